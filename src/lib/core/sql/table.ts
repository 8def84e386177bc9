import { ident } from './quote';

/** One page of a table for the preview: never the whole table. */
export function previewPageQuery(table: string, offset: number, limit: number): string {
  return `SELECT * FROM ${ident(table)} LIMIT ${Math.max(1, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`;
}

/** Drop a table if it exists. */
export function dropTableQuery(table: string): string {
  return `DROP TABLE IF EXISTS ${ident(table)}`;
}
