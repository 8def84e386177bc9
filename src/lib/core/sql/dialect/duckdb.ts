import { ident, str, sqlList } from '../quote';
import type { SqlDialect } from './types';

const lambda = (params: readonly string[], body: string): string => `lambda ${params.join(', ')}: ${body}`;

/** DuckDB (WASM in the browser and Node, native in the CLI): the engine every builder targets today. */
export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  backslashEscapes: false,
  tryStrptime: (text, formats) =>
    `try_strptime(${text}, ${typeof formats === 'string' ? str(formats) : sqlList(formats.map(str))})`,
  timestampText: (time) => `CAST(${time} AS VARCHAR)`,
  formatTime: (time, format) => `strftime(${time}, ${str(format)})`,
  makeDate: (year, month, day) => `make_date(${year}, ${month}, ${day})`,
  timestampFromMicros: (micros) => `make_timestamp(${micros})`,
  epochMicros: (time) => `epoch_us(${time})`,
  isoWeekday: (time) => `isodow(${time})`,
  // DuckDB's scalar generate_series returns a list; unnest makes it rows.
  timeSeries: (lo, hi, step) => `unnest(generate_series(${lo}, ${hi}, ${step}))`,

  tryCast: (expression, type) => `TRY_CAST(${expression} AS ${type})`,
  intDiv: (dividend, divisor) => `${dividend} // ${divisor}`,
  textLength: (text) => `length(${text})`,
  textSlice: (text, from, to) => `${text}[${from}:${to}]`,
  charFromCode: (code) => `chr(${Math.trunc(code)})`,
  lowerText: (text) => `lower(${text})`,
  containsText: (text, needle) => `contains(${text}, ${needle})`,
  isFinite: (number) => `isfinite(${number})`,

  regexMatches: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  regexFullMatch: (text, pattern) => `regexp_full_match(${text}, ${pattern})`,
  regexReplace: (text, pattern, replacement, all = false) =>
    `regexp_replace(${text}, ${pattern}, ${replacement}${all ? ", 'g'" : ''})`,

  bindValue: (value, name, body) => `list_transform([${value}], ${name} -> ${body})[1]`,
  splitChars: (text) => `string_split(${text}, '')`,
  listTransform: (list, params, body) => `list_transform(${list}, ${lambda(params, body)})`,
  listReduce: (list, params, body, initial) => `list_reduce(${list}, ${lambda(params, body)}, ${initial})`,
  listSum: (list) => `list_sum(${list})`,

  countIf: (condition) => `count_if(${condition})`,
  argMax: (arg, by) => `arg_max(${arg}, ${by})`,
  approxDistinct: (expression) => `approx_count_distinct(${expression})`,
  quantileCont: (expression, levels) => `quantile_cont(${expression}, ${levels})`,
  quantileDisc: (expression, level) => `quantile_disc(${expression}, ${level})`,
  median: (expression) => `median(${expression})`,
  hash: (expressions) => `hash(${expressions.join(', ')})`,
  hashLiteral: (digits) => `${digits}::UBIGINT`,

  groupByAll: () => 'GROUP BY ALL',
  qualify: (condition) => `QUALIFY ${condition}`,
  sample: (spec) =>
    `USING SAMPLE ${spec.method === 'reservoir' ? `reservoir(${spec.rows} ROWS)` : `bernoulli(${spec.percent}%)`} REPEATABLE (${spec.seed})`,
  starReplace: (replacements) =>
    `* REPLACE (${replacements.map(([expression, column]) => `${expression} AS ${ident(column)}`).join(', ')})`,
  describeColumnsQuery: (table) =>
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${str(table)} ORDER BY column_index`,
  cast: (expression, type) => `CAST(${expression} AS ${type})`,
  dateLiteral: (isoDate) => `DATE '${isoDate}'`,
  unnestQuery: (select, lists, from) =>
    `SELECT ${select.join(', ')} FROM (SELECT *, ${lists.map(([list, alias]) => `unnest(${list}) AS ${alias}`).join(', ')} FROM ${from})`,
  rowOf: (names) => `struct_pack(${names.join(', ')})`,
  createTempTableAs: (table, select) => `CREATE TEMP TABLE ${ident(table)} AS ${select}`,
  readsInPlace: false,
  // Insertion order: a table loaded from a file numbers its rows in file order.
  rowOrder: 'rowid',

  // `COLUMNS(*) AS '<prefix>\0'` renames every column, `\0` standing for its own name.
  fuseOneRow: (statements, prefix) =>
    `SELECT * FROM ${statements
      .map((sql, i) => `(SELECT COLUMNS(*) AS '${prefix(i)}\\0' FROM (\n${sql}\n) AS fused_${i})`)
      .join('\nCROSS JOIN ')}`,
};
