import { dialect as d } from './dialect';
import { ident } from './quote';

/** One page of a table for the preview: never the whole table. */
export function previewPageQuery(table: string, offset: number, limit: number): string {
  return `SELECT * FROM ${ident(table)} LIMIT ${Math.max(1, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`;
}

/** Drop a table if it exists. */
export function dropTableQuery(table: string): string {
  return `DROP TABLE IF EXISTS ${ident(table)}`;
}

/** Drop a view if it exists (the native engine can query a Parquet lake in place). */
export function dropViewQuery(view: string): string {
  return `DROP VIEW IF EXISTS ${ident(view)}`;
}

/** Create a view from a SELECT; the SELECT is SQL built by another builder, never user text. */
export function createViewAsQuery(view: string, select: string): string {
  return `CREATE VIEW ${ident(view)} AS ${select}`;
}

/**
 * Column names and DuckDB types of a table, in order (`column_name`, `data_type`).
 * Reads the catalogue, so it costs nothing whatever the table's size.
 */
export function describeTableQuery(table: string): string {
  return d.describeColumnsQuery(table);
}

/** Exact row count of a table, as `n` (DuckDB answers it from table metadata). */
export function tableRowCountQuery(table: string): string {
  return `SELECT count(*) AS n FROM ${ident(table)}`;
}

/** Create a table from a SELECT; the SELECT is SQL built by another builder, never user text. */
export function createTableAsQuery(table: string, select: string): string {
  return `CREATE TABLE ${ident(table)} AS ${select}`;
}

/** Replace a table by a SELECT over itself (re-ordering or re-typing its columns). */
export function replaceTableAsQuery(table: string, select: string): string {
  return `CREATE OR REPLACE TABLE ${ident(table)} AS ${select}`;
}

/** `SELECT` the given columns of a table, in the given order. */
export function selectColumnsQuery(table: string, columns: readonly string[]): string {
  return `SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}`;
}

/** `SELECT *` from a table with some columns cast to UTC `TIMESTAMP` (dropping their time zone). */
export function castToTimestampQuery(table: string, columns: readonly string[]): string {
  const replacements = columns.map((c) => [d.cast(ident(c), 'TIMESTAMP'), c] as const);
  return `SELECT ${d.starReplace(replacements)} FROM ${ident(table)}`;
}
