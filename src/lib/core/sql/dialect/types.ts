/**
 * The engine-specific SQL the builders use, named once: every DuckDB-only
 * function, clause and operator in `core/sql` is spelled here, so a second
 * engine (ClickHouse, issue "Where the data lives") implements this interface
 * instead of editing each builder. Arguments are SQL text (expressions and
 * literals, already quoted) unless a parameter says otherwise; date formats
 * are raw strftime patterns, because an engine may need to translate them.
 *
 * Left to the builders, as every target engine spells them alike: `CAST`,
 * `count(*) FILTER (WHERE …)`, `corr`/`regr_*`, `date_trunc`, `datediff`,
 * `year`/`quarter`/`hour`, `least`/`greatest`, `row_number() OVER`,
 * `WITH … AS MATERIALIZED` (not inside a `WITH RECURSIVE` on ClickHouse:
 * `withRelations` in sql/cte.ts nests such a statement instead). Listed with
 * their reasons in the dialect test.
 */
export interface SqlDialect {
  readonly name: string;
  /**
   * Whether the engine reads a backslash in string literals and quoted identifiers
   * as an escape (ClickHouse does, DuckDB does not): `quote.ts` then doubles
   * every backslash, or a name ending in one would close its own quotes.
   */
  readonly backslashEscapes: boolean;

  /** Text parsed as a TIMESTAMP with the first of `formats` that fits; NULL when none does. */
  tryStrptime(text: string, formats: string | readonly string[]): string;
  /** A TIMESTAMP as text as DuckDB casts it: `2024-01-02 03:04:05`, decimals only when not zero. */
  timestampText(time: string): string;
  /** A time as text in `format`. */
  formatTime(time: string, format: string): string;
  /** A DATE from year, month and day numbers. */
  makeDate(year: string, month: string, day: string): string;
  /** A TIMESTAMP from microseconds since 1970-01-01 UTC. */
  timestampFromMicros(micros: string): string;
  /** Microseconds since 1970-01-01 UTC of a TIMESTAMP. */
  epochMicros(time: string): string;
  /** The ISO day of the week, Monday 1 to Sunday 7. */
  isoWeekday(time: string): string;
  /** One row per step from `lo` to `hi` inclusive (`step` an INTERVAL), as a select-list expression. */
  timeSeries(lo: string, hi: string, step: string): string;

  /** `CAST` that yields NULL instead of failing. */
  tryCast(expression: string, type: string): string;
  /** Integer division, truncating. */
  intDiv(dividend: string, divisor: string): string;
  /** Length of text in characters (not bytes). */
  textLength(text: string): string;
  /** Characters `from` to `to` of text, 1-based and inclusive. */
  textSlice(text: string, from: number, to: number): string;
  /** The one-character text of a Unicode code point (`9` a tab). */
  charFromCode(code: number): string;
  /** Text in lower case, every alphabet (not only ASCII). */
  lowerText(text: string): string;
  /** True when `needle` occurs in the text. */
  containsText(text: string, needle: string): string;
  /** True for a number that is neither infinite nor NaN. */
  isFinite(number: string): string;

  /** True when the regex matches anywhere in the text. */
  regexMatches(text: string, pattern: string): string;
  /** True when the regex matches the whole text. */
  regexFullMatch(text: string, pattern: string): string;
  /** Replace the first match of `pattern` (every match with `all`). */
  regexReplace(text: string, pattern: string, replacement: string, all?: boolean): string;

  /**
   * `body` with `name` bound to `value`, so an expression written once in
   * `body` is computed once per row even when it is used in several branches.
   */
  bindValue(value: string, name: string, body: string): string;
  /** A list from the text's characters. */
  splitChars(text: string): string;
  /** Each element of `list` mapped by `body` over `params` (element, then its 1-based index). */
  listTransform(list: string, params: readonly string[], body: string): string;
  /** `list` folded by `body` over `params` (accumulator, element), starting from `initial`. */
  listReduce(list: string, params: readonly string[], body: string, initial: string): string;
  /** The sum of a list's elements. */
  listSum(list: string): string;

  /** The number of rows where `condition` holds (cheaper than a FILTER clause in DuckDB-WASM). */
  countIf(condition: string): string;
  /** The value of `arg` on the row where `by` is largest. */
  argMax(arg: string, by: string): string;
  /** An approximate count of distinct values (HyperLogLog). */
  approxDistinct(expression: string): string;
  /** Interpolated quantile(s); `levels` a fraction literal or a list literal of fractions. */
  quantileCont(expression: string, levels: string): string;
  /** The quantile that is an actual value (the lower one); `level` a fraction literal. */
  quantileDisc(expression: string, level: string): string;
  /** The interpolated median. */
  median(expression: string): string;
  /** A 64-bit hash of one or more values. */
  hash(expressions: readonly string[]): string;
  /** A hash value (decimal digits, validated by the caller) typed as `hash` returns it. */
  hashLiteral(digits: string): string;

  /** `GROUP BY` every non-aggregate select item. */
  groupByAll(): string;
  /** A filter on window-function results, written after the window: the clause text. */
  qualify(condition: string): string;
  /** A reproducible sample clause after a `FROM table`. */
  sample(spec: SampleSpec): string;
  /** `*` with some columns replaced by expressions (`[expression, column]` pairs). */
  starReplace(replacements: readonly (readonly [expression: string, column: string])[]): string;
  /**
   * Column names and types of a table, in order (`column_name`, `data_type`),
   * from the catalogue; types spelled as DuckDB names them (`sqlKind` reads them).
   */
  describeColumnsQuery(table: string): string;

  /** `CAST` to a type named as DuckDB spells it (`DATE`, `TIMESTAMP`, `DOUBLE`…), full range and precision kept. */
  cast(expression: string, type: string): string;
  /** A DATE literal from a validated ISO `YYYY-MM-DD` (any year, 1900 too). */
  dateLiteral(isoDate: string): string;
  /**
   * A SELECT of `select` items over `from`, one row per element of the
   * `lists` (unnested side by side, each element named by its alias, which
   * `select` may use).
   */
  unnestQuery(
    select: readonly string[],
    lists: readonly (readonly [list: string, alias: string])[],
    from: string,
  ): string;
  /** A struct of the named columns (`names` plain aliases), whose fields read back as `value.name`. */
  rowOf(names: readonly string[]): string;
  /**
   * Each row's position in the order the table was loaded (a file's row
   * order), for every table of the engine. Absent where tables keep no such
   * order: the row-order check then says it does not apply, rather than
   * reading a storage order as the file's.
   */
  readonly rowOrder?: string;
  /** Create a temporary table from a SELECT. */
  createTempTableAs(table: string, select: string): string;
  /**
   * Whether analyses write nothing by default: samples and intermediate rows
   * become CTEs of the statements that read them instead of temporary tables.
   * On ClickHouse a server user may have no write rights (readonly=1), and each
   * HTTP request is a session of its own, so a temporary table would not
   * outlive the statement that made it.
   */
  readonly readsInPlace: boolean;

  /**
   * One statement returning the single row of each statement side by side,
   * each column renamed `<prefix i><name>` (see `fusedOneRowQuery`). Absent:
   * the engine cannot rename columns by pattern, so statements run one by one.
   */
  fuseOneRow?: (statements: readonly string[], prefix: (index: number) => string) => string;
}

/** A random sample: each row with probability `percent` (one pass), or exactly `rows` rows. */
export type SampleSpec =
  | { method: 'bernoulli'; percent: string; seed: number }
  | { method: 'reservoir'; rows: number; seed: number };
