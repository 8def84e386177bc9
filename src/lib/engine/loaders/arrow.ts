import { RecordBatchReader, tableFromIPC, tableToIPC, type DataType, type Schema } from 'apache-arrow';
import { LoadError, MAX_COLUMNS, errorText, plainEngineMessage, quotedName, tooManyColumns } from '../errors';
import type { LoadContext } from './types';

/** An Arrow IPC file or stream, inserted as a stream. */
export async function loadArrowFile(ctx: LoadContext): Promise<void> {
  const bytes = await ctx.readBytes();
  ctx.report({ stage: 'loading' });
  await ctx.conn
    .insertArrowIPC(ctx.tableName, arrowToStream(bytes, ctx.source.name))
    .catch((error: unknown) => {
      throw nestedTooDeeply(ctx.source.name, error) ?? error;
    });
}

/** Arrow IPC *files* (Feather v2) carry a footer; DuckDB-WASM takes only the stream form. */
function arrowToStream(bytes: Uint8Array, fileName: string): Uint8Array {
  const isFile =
    bytes[0] === 0x41 &&
    bytes[1] === 0x52 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x4f &&
    bytes[4] === 0x57 &&
    bytes[5] === 0x31;
  const endsWithMagic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31].every(
    (b, i) => bytes[bytes.length - 6 + i] === b,
  );
  if (isFile && !endsWithMagic)
    throw new LoadError(
      'malformed-arrow',
      'This Arrow file cannot be read: it does not end with the “ARROW1” marker, so its footer (where an Arrow file keeps its schema) is missing: it looks truncated. Copy or export it again; a download that stopped early looks like this.',
    );
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new LoadError(
      'malformed-arrow',
      `This Arrow file cannot be read: ${arrowReason(error)}`,
      errorText(error),
    );
  }
  if (table.schema.fields.length === 0)
    throw new LoadError('malformed-arrow', 'This Arrow file cannot be read: it has no columns.');
  // Refuse from the schema, before DuckDB copies every column.
  if (table.schema.fields.length > MAX_COLUMNS)
    throw tooManyColumns('This Arrow file', table.schema.fields.length);
  assertArrowDepth(table.schema, quotedName(fileName));
  return isFile ? tableToIPC(table, 'stream') : bytes;
}

/** apache-arrow's reading errors in words: most are a damaged header or a file cut short. */
function arrowReason(error: unknown): string {
  const text = errorText(error);
  if (
    /Expected to read \d+ bytes for message body|Unexpected end|out of bounds|offset is outside/i.test(text)
  )
    return 'it ends before its last record batch does: it looks truncated. Copy or export it again; a download that stopped early looks like this.';
  if (/Cannot read propert|undefined|null|Unrecognized|Invalid|schema|flatbuffer|message/i.test(text))
    return 'its schema (the part that describes its columns) is missing or damaged, so it is not a readable Arrow IPC file or stream. Export it again.';
  return `${plainEngineMessage(error)}.`;
}

/**
 * The deepest an Arrow column may nest for DuckDB-WASM to import it. At 64
 * levels its flatbuffer reader stops ("Max recursion depth reached"), and from
 * then on every Arrow import of that engine fails the same way (duckdb-wasm
 * 1.32), so a deeper schema must never reach it.
 */
export const MAX_ARROW_DEPTH = 56;

/** The schema at the head of an Arrow IPC stream, read without its record batches. */
export function ipcSchema(ipc: Uint8Array): Schema {
  return RecordBatchReader.from(ipc).open().schema;
}

/** How many levels of child fields a type holds. */
function arrowTypeDepth(type: DataType): number {
  let deepest = 0;
  const stack: [DataType, number][] = [[type, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of item.children ?? []) stack.push([child.type, depth + 1]);
  }
  return deepest;
}

/** Refuses a schema with a column nested past `MAX_ARROW_DEPTH`, naming the columns. */
export function assertArrowDepth(schema: Schema, subject: string): void {
  const deep = schema.fields.filter((f) => arrowTypeDepth(f.type) > MAX_ARROW_DEPTH).map((f) => f.name);
  if (deep.length === 0) return;
  throw new LoadError(
    'unsupported-format',
    `${subject} nests column${deep.length > 1 ? 's' : ''} ${deep.map((n) => quotedName(n, 60)).join(', ')} more than ${MAX_ARROW_DEPTH} levels deep (structures or lists inside each other), which the engine cannot read. Flatten ${deep.length > 1 ? 'those columns' : 'that column'} (or write ${deep.length > 1 ? 'them' : 'it'} as JSON text) and load the file again.`,
  );
}

/** The engine's own words for the same limit, should a schema get past the check above. */
export function nestedTooDeeply(fileName: string, error: unknown): LoadError | undefined {
  if (!/Max recursion depth reached|DepthLimitReached|Recursion level in ArrowSchema/i.test(errorText(error)))
    return undefined;
  return new LoadError(
    'unsupported-format',
    `${quotedName(fileName)} nests a column too deeply: structures or lists inside each other more than ${MAX_ARROW_DEPTH} levels down, which the engine cannot read. Flatten that column (or write it as JSON text) and load the file again.`,
    errorText(error),
  );
}
