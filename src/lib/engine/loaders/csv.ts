import type { Connector } from '../connector';
import { LoadError, errorText, plainEngineMessage, quotedName } from '../errors';
import { dropTableQuery } from '../../core/sql/table';
import { loadCsvQuery, sniffCsvQuery } from '../../core/sql/load';
import { decodeHead } from './common';
import { loadCsvInParts } from './csv-parts';
import { readOtherDelimiter, repairCollapsedHeader, warnRenamedHeaders } from './csv-repair';
import type {
  CsvAttempt,
  CsvOptions,
  CsvReadOptions,
  FormatExtras,
  LoadContext,
  LoadedDataset,
} from './types';

/** A CSV file, streamed by DuckDB from its registered handle; `csv` from `prepareCsv`. */
export async function loadCsvFile(ctx: LoadContext, csv: CsvOptions): Promise<FormatExtras> {
  await ctx.register();
  const result = await loadCsv(ctx, csv);
  await warnRenamedHeaders(ctx.conn, ctx.tableName, ctx.head, result.csvDialect, ctx.warnings);
  return result;
}

async function loadCsv(ctx: LoadContext, csv: CsvOptions): Promise<Pick<LoadedDataset, 'csvDialect'>> {
  const { conn, tableName, virtualName, head, warnings } = ctx;
  const fileName = ctx.source.name;
  const attempt = csvAttempt(ctx);
  // DuckDB reports a fraction when it can; until then the bar is indeterminate.
  ctx.report({ stage: 'loading' });
  let used: CsvReadOptions = { ...csv };
  try {
    await attempt(used, false);
  } catch (error) {
    await conn.exec(dropTableQuery(tableName));
    // Already the user's message (a part that ran out of memory): no other reading would fit either.
    if (error instanceof LoadError) throw error;
    const text = csvErrorCause(errorText(error));
    const newLine = /Error when sniffing file/i.test(text)
      ? recordTerminator(decodeHead(head, csv.encoding))
      : undefined;
    if (newLine) {
      // Excel writes CRLF between records but a bare LF inside a quoted cell (Alt+Enter); DuckDB's
      // sniffer gives up on the mix, and reads it once told which line break ends a record.
      used = { ...csv, newLine };
      await attempt(used, false).catch(() => {
        throw csvError(fileName, error);
      });
    } else if (/unicode|utf-?8|byte sequence/i.test(text) && !csv.encoding) {
      used = { ...csv, encoding: 'latin-1' };
      await attempt(used, false).catch((second: unknown) => {
        // Report the UTF-8 failure: it names the line, and Latin-1 was only our guess.
        throw csvError(fileName, error, second);
      });
      warnings.push(
        `${quotedName(fileName)} is not valid UTF-8; it was read as Latin-1 (ISO-8859-1). Choose another encoding if characters look wrong.`,
      );
    } else if (/Expected Number of Columns|too many columns|column count|fewer columns/i.test(text)) {
      await attempt(used, true).catch((second: unknown) => {
        throw csvError(fileName, second);
      });
      warnings.push(
        `Some rows of ${quotedName(fileName)} have a different number of fields than the header: short rows were padded with empty values and rows that could not be parsed were skipped. ${firstLine(text)}`,
      );
    } else {
      throw csvError(fileName, error);
    }
  }
  await repairCollapsedHeader(conn, tableName, fileName, used, attempt, warnings);
  await readOtherDelimiter(conn, tableName, fileName, head, used, attempt, warnings);
  return { csvDialect: await sniffDialect(conn, virtualName, used) };
}

function csvAttempt(ctx: LoadContext): CsvAttempt {
  const { conn, tableName, virtualName, report } = ctx;
  return async (opts, lenient) => {
    // A lenient read skips and pads rows by what it sniffed on the whole file: one read only.
    if (!lenient && (await loadCsvInParts(ctx, opts))) return;
    const unsubscribe = conn.onProgress((fraction) => report({ stage: 'loading', fraction }));
    try {
      await conn.exec(loadCsvQuery(tableName, virtualName, opts, lenient));
    } finally {
      unsubscribe();
    }
  };
}

function firstLine(text: string): string {
  return plainEngineMessage(text);
}

/**
 * The line break that ends the first record, outside quotes, when the head
 * also holds a different line break inside a quoted field; otherwise none.
 */
function recordTerminator(text: string): CsvReadOptions['newLine'] {
  let quoted = false;
  let inside: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\r' || ch === '\n') {
      const lineBreak = ch === '\r' && text[i + 1] === '\n' ? '\r\n' : ch;
      if (quoted) inside ??= lineBreak;
      else if (inside !== undefined && inside !== lineBreak) return lineBreak as CsvReadOptions['newLine'];
      if (lineBreak.length === 2) i++;
    }
  }
  return undefined;
}

/**
 * The part of a DuckDB CSV error that says what went wrong: without the
 * offending line's text (the client's data) and without the sniffer's list of
 * options and possible fixes, which name every cause (encodings, line size)
 * whether or not it applies.
 */
function csvErrorCause(text: string): string {
  return text
    .replace(/^Original Line:.*$/gm, '')
    .split(/\n\s*(?:Possible (?:fixes|Solution)|The search space used was)/)[0]!;
}

function csvError(fileName: string, error: unknown, retryError?: unknown): LoadError {
  const raw = errorText(error);
  const text = csvErrorCause(raw);
  const line = /line:?\s*(\d+)/i.exec(text)?.[1];
  if (/Error when sniffing file/i.test(text))
    return new LoadError(
      'malformed-csv',
      `${quotedName(fileName)} could not be read as CSV: the reader could not work out its delimiter, quoting and line breaks from the first rows, which do not follow one consistent layout. Set the delimiter and quote character in the file's reading options, or open it in a spreadsheet and save it again as CSV.`,
      raw,
    );
  if (/Maximum line size of \d+ bytes exceeded/i.test(text))
    return new LoadError(
      'line-too-long',
      `${quotedName(fileName)} has a line longer than DuckDB’s 2 MB limit. It may not be line-delimited text, or a quote is never closed.`,
      raw,
    );
  if (/unicode|utf-?8|byte sequence/i.test(text))
    return new LoadError(
      'invalid-encoding',
      `${quotedName(fileName)} is not valid UTF-8${line ? ` (first bad bytes on line ${line})` : ''}${retryError ? ', and it is not Latin-1 either' : ''}. Choose the file's encoding in the load options (UTF-8, Latin-1, UTF-16), or re-export it as UTF-8.`,
      raw,
    );
  if (/out of memory|failed to allocate/i.test(text))
    return new LoadError(
      'too-large',
      `${quotedName(fileName)} does not fit in the engine’s memory. Split the file or load a sample.`,
      raw,
    );
  return new LoadError(
    'malformed-csv',
    `${quotedName(fileName)} could not be parsed as CSV: ${firstLine(text)}`,
    raw,
  );
}

async function sniffDialect(
  conn: Connector,
  virtualName: string,
  opts: CsvReadOptions,
): Promise<LoadedDataset['csvDialect']> {
  try {
    const [row] = await conn.query(sniffCsvQuery(virtualName, opts));
    return {
      delimiter: opts.delimiter ?? String(row?.delimiter ?? ','),
      quote: opts.quote ?? String(row?.quote ?? '"'),
      header: opts.header ?? Boolean(row?.header ?? true),
      encoding: opts.encoding ?? 'utf-8',
    };
  } catch {
    return undefined;
  }
}
