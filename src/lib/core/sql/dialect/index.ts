import { quoteFor } from '../quote';
import { DUCKDB } from './duckdb';
import type { SqlDialect } from './types';

export type { SampleSpec, SqlDialect } from './types';
export { DUCKDB } from './duckdb';
export { CLICKHOUSE, clickhouseType } from './clickhouse';
export { CLICKHOUSE_SETTINGS, clickhouseSettingsClause } from './settings';

/**
 * The active engine's dialect, an ES live binding every builder reads at call
 * time (`import { dialect as d } from './dialect'`, then `d.median(x)`). One
 * engine per process: chDB allows one per process and the browser always runs
 * DuckDB, so the CLI chooses once with `useDialect` before any builder runs,
 * instead of threading a dialect through some 300 builder signatures.
 */
export let dialect: SqlDialect = DUCKDB;

/** Make `next` the active dialect (and quote for it); call once, before building any statement. */
export function useDialect(next: SqlDialect): void {
  dialect = next;
  quoteFor(next);
}
