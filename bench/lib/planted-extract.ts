/**
 * The planted churn extract as a CSV in bench/out, generated once by native
 * DuckDB, with its answer key beside it. The same file names as `npm run
 * bench`, so either bench reuses the other's extract.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNativeConnector } from '../../src/lib/engine/native-connector';
import { ident, str } from '../../src/lib/core/sql/quote';
import type { PlantedDefects } from '../../scripts/lib/synthetic';
import { churnDatasetSql, describeChurnTable } from '../../scripts/lib/synthetic-sql';

export interface PlantedExtract {
  path: string;
  /** The answer key (JSON) beside it. */
  key: string;
  planted: PlantedDefects;
  /** Whether this call wrote the file (false: reused). */
  generated: boolean;
}

/** `churn-<rows>.csv` in `outDir`, generated unless it and its key are there already. */
export async function plantedExtract(outDir: string, rows: number): Promise<PlantedExtract> {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `churn-${rows}.csv`);
  const key = join(outDir, `churn-${rows}.planted.json`);
  if (existsSync(path) && existsSync(key))
    return { path, key, planted: JSON.parse(readFileSync(key, 'utf8')) as PlantedDefects, generated: false };
  const native = await createNativeConnector();
  try {
    const plan = churnDatasetSql({ rows });
    await native.exec(`CREATE TABLE churn AS ${plan.sql}`);
    const planted = await describeChurnTable(native, 'churn', plan);
    // Quote every text field, so the planted "Y " keeps its space through any reader.
    await native.exec(`COPY churn TO ${str(path)} (HEADER, FORCE_QUOTE *)`);
    writeFileSync(key, `${JSON.stringify(planted, null, 2)}\n`);
    return { path, key, planted, generated: true };
  } finally {
    await native.close();
  }
}

/**
 * The first of the month at the median of `column`: the drift comparison's
 * split date, computed once so every engine splits the file at the same date.
 */
export async function medianMonth(path: string, column: string): Promise<string> {
  const native = await createNativeConnector({ threads: 1 });
  try {
    const [row] = await native.query(
      `SELECT strftime(date_trunc('month', quantile_disc(TRY_CAST(${ident(column)} AS TIMESTAMP), 0.5)), '%Y-%m-%d') AS at FROM read_csv(${str(path)})`,
    );
    return String(row?.at);
  } finally {
    await native.close();
  }
}
