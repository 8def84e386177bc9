/**
 * `npm run bench:native-lake`: the full audit on native DuckDB of a folder of
 * Hive-partitioned Parquet files (a data-lake export of the planted churn
 * extract), under a memory limit, printing the time per phase and the peak
 * resident memory of the process.
 *
 * Flags:
 *   --rows N            rows of the planted extract (default 5,000,000)
 *   --memory-limit SZ   DuckDB memory limit (default 1GB)
 *   --temp-dir DIR      where DuckDB spills (default bench/out/spill)
 *   --threads N         worker threads (default: all cores)
 *   --copy              copy the files into the database instead of querying them in place
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { createNativeConnector, loadNativeDataset } from '../src/lib/engine/native-connector';
import { profileDataset } from '../src/lib/engine/run-profile';
import { runReadiness } from '../src/lib/engine/run-readiness';
import { str } from '../src/lib/core/sql/quote';
import type { PlantedDefects } from '../scripts/lib/synthetic';
import { churnDatasetSql, describeChurnTable } from '../scripts/lib/synthetic-sql';
import { chargingConnector } from './full-audit';
import { ROOT } from './browser';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ROWS = Number(option('--rows') ?? 5_000_000);
const MEMORY_LIMIT = option('--memory-limit') ?? '1GB';
const TEMP_DIR = option('--temp-dir') ?? join(ROOT, 'bench/out/spill');
const THREADS = option('--threads');
const AS_VIEW = !argv.includes('--copy');
const OUT = join(ROOT, 'bench/out');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Write the planted extract as Parquet files partitioned by source, streaming: no table is built. */
async function lake(rows: number): Promise<{ dir: string; planted: PlantedDefects }> {
  const dir = join(OUT, `churn-lake-${rows}`);
  const key = `${dir}.planted.json`;
  if (existsSync(dir) && existsSync(key)) return { dir, planted: JSON.parse(readFileSync(key, 'utf8')) };
  mkdirSync(OUT, { recursive: true });
  const conn = await createNativeConnector({ memoryLimit: MEMORY_LIMIT, tempDir: TEMP_DIR });
  try {
    const t = performance.now();
    const plan = churnDatasetSql({ rows });
    await conn.exec(
      `COPY (${plan.sql}) TO ${str(dir)} (FORMAT parquet, PARTITION_BY (source_system), ROW_GROUP_SIZE 122880)`,
    );
    await conn.exec(
      `CREATE VIEW churn AS SELECT * FROM read_parquet(${str(join(dir, '**', '*.parquet'))}, hive_partitioning = true)`,
    );
    const planted = await describeChurnTable(conn, 'churn', plan);
    writeFileSync(key, `${JSON.stringify(planted, null, 2)}\n`);
    log(`wrote ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return { dir, planted };
  } finally {
    await conn.close();
  }
}

const { dir, planted } = await lake(ROWS);
let peak = 0;
const sample = (): void => void (peak = Math.max(peak, process.memoryUsage().rss));
const sampler = setInterval(sample, 100);
const conn = await createNativeConnector({
  memoryLimit: MEMORY_LIMIT,
  tempDir: TEMP_DIR,
  ...(THREADS ? { threads: Number(THREADS) } : {}),
});
try {
  const settings = await conn.settings();
  let t = performance.now();
  const loaded = await loadNativeDataset(conn, dir, { asView: AS_VIEW });
  const load = performance.now() - t;
  t = performance.now();
  const profile = await profileDataset(conn, loaded.tableName, 'lake');
  const profileMs = performance.now() - t;
  const charging = chargingConnector(conn);
  t = performance.now();
  const findings = await runReadiness(charging.conn, {
    tableName: loaded.tableName,
    datasetId: 'lake',
    columns: loaded.columns,
    roles: {
      target: planted.roles.label,
      id: planted.roles.id,
      eventTime: planted.roles.eventTime,
      outcomeTime: planted.roles.outcomeTime,
      source: planted.roles.source,
      segments: ['region'],
      excluded: [],
    },
    context: {
      decision: 'Who will churn next quarter?',
      task: 'binary',
      targetDefinition: '',
      positiveClass: 'Yes',
      predictionPoint: '',
      asOf: planted.asOf,
    },
    profile,
    onProgress: (p) => charging.charge(p.check),
  });
  const readiness = performance.now() - t;
  sample();
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const conflicts = findings.find((f) => f.id === 'labels-conflicting:lake:churned')?.evidence.groups;
  console.log(
    `\n### Native DuckDB, Parquet folder (${loaded.rowCount.toLocaleString('en-US')} rows, ${AS_VIEW ? 'queried in place' : 'copied in'}), memory limit ${settings.memoryLimit}, ${settings.threads} threads, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM\n`,
  );
  console.log('| load | profile | readiness | total | peak RSS |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${s(load)} | ${s(profileMs)} | ${s(readiness)} | ${s(load + profileMs + readiness)} | ${(peak / 2 ** 20).toFixed(0)} MiB |`,
  );
  console.log(
    `\nPlanted conflicting-label groups found: ${String(conflicts)} of ${planted.conflictingLabels.groups}; ${findings.length} findings.`,
  );
} finally {
  clearInterval(sampler);
  await conn.close();
}
