import type { Connector } from '../connector';
import type { Decoders } from '../decoders/types';
import type { DataSource } from '../connector';
import { quotedName } from '../errors';
import { assertArrowDepth, ipcSchema, nestedTooDeeply } from './arrow';
import type { LoadContext, LoadProgress } from './types';

/**
 * A Parquet file: in parts where the engine can write a table in parts, else
 * decoded whole to Arrow and inserted at once.
 */
export async function loadParquetFile(ctx: LoadContext): Promise<void> {
  const { conn, decoders, source, tableName, options } = ctx;
  const nested = (error: unknown): never => {
    throw nestedTooDeeply(source.name, error) ?? error;
  };
  if (canWriteInParts(conn)) {
    await loadParquetInParts(
      conn,
      decoders,
      source,
      tableName,
      ctx.report,
      ctx.throwIfCancelled,
      options.signal,
    ).catch(nested);
    return;
  }
  const bytes = await ctx.readBytes();
  ctx.report({ stage: 'decoding' });
  const ipc = await decoders.parquetToIPC(bytes, options.signal);
  ctx.throwIfCancelled();
  assertArrowDepth(ipcSchema(ipc), quotedName(source.name));
  ctx.report({ stage: 'loading' });
  await conn.insertArrowIPC(tableName, ipc).catch(nested);
}

/**
 * Parquet a few row groups at a time: each part is decoded (in the browser, in
 * the decode worker, one part ahead) and appended to the table as it comes, so
 * the whole decoded table never sits in memory as Arrow, and a cancel takes
 * effect between parts. The first part creates the table, so its columns and
 * types are those a whole-file insert gives. The rows land in one transaction
 * on the writer's own connection: nothing sees the table until every part is
 * in, and a failure or a cancel rolls it all back.
 */
async function loadParquetInParts(
  conn: WritingConnector,
  decoders: Decoders,
  source: DataSource,
  tableName: string,
  report: (p: LoadProgress) => void,
  throwIfCancelled: () => void,
  signal?: AbortSignal,
): Promise<void> {
  report({ stage: 'loading', fraction: 0 });
  const file = source.blob ? await source.blob() : new Blob([bufferOf(await source.bytes())]);
  const writer = await conn.arrowTableWriter(tableName);
  try {
    let done = 0;
    for await (const part of decoders.parquetParts(file, signal)) {
      throwIfCancelled();
      if (done === 0) assertArrowDepth(ipcSchema(part.ipc), quotedName(source.name));
      await writer.append(part.ipc);
      throwIfCancelled();
      done += part.rows;
      report({
        stage: 'loading',
        fraction: part.totalRows > 0 ? done / part.totalRows : 1,
        rows: { done, total: part.totalRows },
        rowGroups: { done: part.rowGroupsDone, total: part.rowGroups },
      });
    }
    await writer.commit();
  } finally {
    await writer.abort().catch(() => {});
  }
}

type WritingConnector = Connector & Required<Pick<Connector, 'arrowTableWriter'>>;

function canWriteInParts(conn: Connector): conn is WritingConnector {
  return typeof conn.arrowTableWriter === 'function';
}

/** The bytes as a `BlobPart`: typed arrays over a `SharedArrayBuffer` are not one. */
function bufferOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}
