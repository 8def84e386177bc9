import type { DatasetRef } from '../core/model/audit';
import { duckdb, formatDialect } from 'sql-formatter';
import { ident } from '../core/sql/quote';

/**
 * SQL as a client reads it in a report: the app's internal table names
 * (`t1_customer_churn`) replaced by the file each table was loaded from, and
 * the statement pretty-printed by `sql-formatter` (DuckDB dialect). The
 * formatter is imported on first use, so the app's bundle only carries it
 * once a report is exported.
 */

/**
 * The stem the loader gives a file's table (`engine/load-dataset` `tableNameFor`:
 * `Customer Churn.csv` → `t3_customer_churn`), so a table can be traced back to its file.
 */
export function tableStem(fileName: string): string {
  return (
    fileName
      .replace(/\.[^.]*$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 32) || 'data'
  );
}

/** Quoted internal table names: `"t<n>_<stem>"`, optionally with a loader suffix (`__source`). */
const TABLE = /"t\d+_([a-z0-9_]*)"/g;

/**
 * The statement with each internal table named by its source file, quoted as
 * an identifier: DuckDB reads `FROM "customer-churn.csv"` straight from the
 * file, so the statement runs next to the client's file as written. A table
 * whose stem matches no dataset (or several) keeps its name.
 */
export function withSourceNames(sql: string, datasets: readonly Pick<DatasetRef, 'fileName'>[]): string {
  const byStem = new Map<string, string | null>();
  for (const d of datasets) {
    const stem = tableStem(d.fileName);
    byStem.set(stem, byStem.has(stem) ? null : d.fileName);
  }
  return sql.replace(TABLE, (whole, stem: string) => {
    const file = byStem.get(stem);
    return file ? ident(file) : whole;
  });
}

/**
 * The statement laid out one clause per line. SQL the formatter cannot parse
 * is returned as it was (trimmed): a listing must never fail the report.
 */
export function prettySql(sql: string): string {
  try {
    return formatDialect(sql, {
      dialect: duckdb,
      keywordCase: 'upper',
      tabWidth: 2,
      // Lists of up to ~90 characters stay on one line, which halves the printed length.
      expressionWidth: 90,
    }).trim();
  } catch {
    return sql.trim();
  }
}
