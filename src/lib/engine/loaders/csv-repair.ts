/**
 * Second readings of a CSV the sniffer got wrong: a header collapsed into one
 * column by ragged rows, a file separated by something other than commas, and
 * header names the reader renamed without a word.
 */
import type { Connector } from '../connector';
import { LoadError, errorText, plainEngineMessage, quotedName } from '../errors';
import { headerFields } from '../column-names';
import { dropTableQuery } from '../../core/sql/table';
import { raggedRowCountsQuery } from '../../core/sql/load';
import { decodeHead, describeTable } from './common';
import type { CsvAttempt, CsvReadOptions, LoadedDataset } from './types';

const DELIMITER_NAMES: Record<string, string> = {
  ' ': 'spaces',
  '\t': 'tabs',
  ';': 'semicolons',
  '|': 'pipes',
  ',': 'commas',
};

/** Rows of the head a delimiter guess is judged on. */
const DELIMITER_SAMPLE_ROWS = 200;

/**
 * A file the sniffer read as one column although its header holds several
 * names, as a space-separated file with quoted names does (`'OBS' 'GPA'
 * 'TUCE'` then `1 2.66 20`): DuckDB takes the whole line as one value, and the
 * header as one odd name. When one delimiter splits the header into several
 * non-empty names and every sampled row into as many fields, with at least one
 * column of numbers throughout, the evidence is unambiguous: the file is read
 * again with that delimiter, and a warning says so. When most rows, not all,
 * split that way, the columns would not line up: the load is refused with a
 * message naming the delimiter and how to set it. A header of words over rows
 * that do not split alike (one column of free text) is left as it is.
 */
export async function readOtherDelimiter(
  conn: Connector,
  tableName: string,
  fileName: string,
  head: Uint8Array,
  used: CsvReadOptions,
  attempt: CsvAttempt,
  warnings: string[],
): Promise<void> {
  if (used.delimiter) return;
  if ((await describeTable(conn, tableName)).length !== 1) return;
  const text = decodeHead(head, used.encoding);
  const lines = text.split(/\r?\n/);
  // The head may end inside a line; judge only complete ones.
  if (!text.endsWith('\n')) lines.pop();
  const [header, ...rest] = lines.filter((l) => l.trim() !== '');
  if (header === undefined) return;
  const rows = rest.slice(0, DELIMITER_SAMPLE_ROWS);
  if (rows.length === 0) return;
  const split = (line: string, d: string, q: string): string[] =>
    headerFields(`${line}\n`, d, q).fields.map((f) => f.trim());
  const isNumber = (v: string): boolean => v !== '' && Number.isFinite(Number(v));
  let best:
    | { d: string; q: string; names: string[]; matching: number; firstOff?: { line: number; fields: number } }
    | undefined;
  for (const d of Object.keys(DELIMITER_NAMES))
    for (const q of ['"', "'"]) {
      const names = split(header, d, q);
      if (names.length < 2 || names.some((n) => n === '')) continue;
      const widths = rows.map((r) => split(r, d, q));
      const alike = widths.filter((f) => f.length === names.length);
      // At least one column holds a number on every row that splits alike: data, not prose.
      const numeric = names.some((_, i) => alike.length > 0 && alike.every((f) => isNumber(f[i]!)));
      if (!numeric) continue;
      const off = widths.findIndex((f) => f.length !== names.length);
      const candidate = {
        d,
        q,
        names,
        matching: alike.length,
        ...(off >= 0 ? { firstOff: { line: off + 2, fields: widths[off]!.length } } : {}),
      };
      // On a tie, the quote that unwraps the names ('OBS' read with ' as the quote) wins.
      const wrapped = (ns: string[]): number => ns.filter((n) => /^(["']).*\1$/.test(n)).length;
      if (
        !best ||
        candidate.matching > best.matching ||
        (candidate.matching === best.matching && wrapped(names) < wrapped(best.names))
      )
        best = candidate;
    }
  if (!best || best.matching < rows.length * 0.8) return;
  const name = DELIMITER_NAMES[best.d]!;
  const shown = best.names
    .slice(0, 6)
    .map((n) => `“${n}”`)
    .join(', ');
  const refuse = (why: string, cause?: unknown): LoadError =>
    new LoadError(
      'malformed-csv',
      `${quotedName(fileName)} reads as a single column, but its header holds ${best.names.length} names separated by ${name} (${shown}${best.names.length > 6 ? ', …' : ''}): it is most likely separated by ${name}, not commas. ${why} Load it again with the delimiter set to ${name}, or save it from a spreadsheet as comma-separated CSV.`,
      cause === undefined ? undefined : errorText(cause),
    );
  if (best.firstOff)
    throw refuse(
      `It was not loaded: ${best.matching} of ${rows.length} rows split into ${best.names.length} fields that way, but line ${best.firstOff.line} splits into ${best.firstOff.fields}, so the columns would not line up.`,
    );
  const options: CsvReadOptions = {
    ...used,
    delimiter: best.d,
    ...(best.q !== '"' ? { quote: best.q } : {}),
  };
  await conn.exec(dropTableQuery(tableName));
  try {
    await attempt(options, false);
  } catch (error) {
    throw refuse(`Read that way, it still fails: ${plainEngineMessage(errorText(error))}`, error);
  }
  const width = (await describeTable(conn, tableName)).length;
  if (width !== best.names.length)
    throw refuse(`Read that way it gives ${width} columns, not ${best.names.length}.`);
  Object.assign(used, options);
  warnings.push(
    `${quotedName(fileName)} is separated by ${name}, not commas: it was read with that delimiter into ${width} columns (${shown}${width > 6 ? ', …' : ''}), as the header and every one of the first ${rows.length} rows agree. If the columns look wrong, choose another delimiter in the file's reading options.`,
  );
}

/**
 * With ragged rows the sniffer can give up on the delimiter and read each line
 * as one column named like `id,name,value`. Detect that and re-read with the
 * delimiter the header shows, padding short rows.
 */
export async function repairCollapsedHeader(
  conn: Connector,
  tableName: string,
  fileName: string,
  used: CsvReadOptions,
  attempt: CsvAttempt,
  warnings: string[],
): Promise<void> {
  if (used.delimiter) return;
  const columns = await describeTable(conn, tableName);
  if (columns.length !== 1) return;
  const header = columns[0]!.name;
  const delimiter = [',', ';', '\t', '|']
    .map((d) => ({ d, n: header.split(d).length - 1 }))
    .sort((a, b) => b.n - a.n)[0];
  if (!delimiter || delimiter.n === 0) return;
  await conn.exec(dropTableQuery(tableName));
  const repaired = { ...used, delimiter: delimiter.d };
  await attempt(repaired, true);
  Object.assign(used, repaired);
  const all = await describeTable(conn, tableName);
  const headerWidth = delimiter.n + 1;
  const extra = all.slice(headerWidth);
  const [counts] = await conn.query(
    raggedRowCountsQuery(
      tableName,
      extra.map((c) => c.name),
      all[headerWidth - 1]?.name,
    ),
  );
  warnings.push(
    `Rows of ${quotedName(fileName)} have different numbers of fields (the header has ${headerWidth}): ` +
      `${Number(counts?.long_rows ?? 0)} rows have more fields${extra.length > 0 ? ` (kept in added columns ${extra.map((c) => `“${c.name}”`).join(', ')})` : ''}, ` +
      `${Number(counts?.short_rows ?? 0)} rows have fewer and were padded with empty values. Check the file's quoting and delimiter.`,
  );
}

/** The CSV reader renames duplicate and empty header names silently; tell the user which. */
export async function warnRenamedHeaders(
  conn: Connector,
  tableName: string,
  head: Uint8Array,
  dialect: LoadedDataset['csvDialect'],
  warnings: string[],
): Promise<void> {
  if (dialect && !dialect.header) return;
  const text = decodeHead(head, dialect?.encoding);
  // A quoted header may hold line breaks, so read the first record, not the first line.
  const header = new Set(
    headerFields(text, dialect?.delimiter ?? ',', dialect?.quote || '"').fields.map((f) => f.trim()),
  );
  const renamed = (await describeTable(conn, tableName))
    .map((c) => c.name)
    .filter((name) => !header.has(name.trim()) && !warnings.some((w) => w.includes(`“${name}”`)));
  if (renamed.length > 0 && renamed.length < 50)
    warnings.push(
      `The header has duplicate or empty column names; the reader named them ${renamed.map((n) => `“${n}”`).join(', ')}. Rename them in the source if they matter.`,
    );
}
