/**
 * `npm run bench:native-lake`: the full audit on native DuckDB of a folder of
 * Hive-partitioned Parquet files (a data-lake export of the planted churn
 * extract), under a memory limit. Prints the time of each phase (generate, load,
 * profile, readiness) and of the slowest readiness checks, the peak resident
 * memory of each phase, the peak spill in the temp directory, the data's size on
 * disk and in memory, and whether every planted defect was found. Exits 1 when a
 * planted defect is missed or a check could not run.
 *
 * Read in place (the default), readiness reads the loader's file-order view (the
 * data's columns plus `rowid` in file order), so `time-order` runs on data left on
 * disk; every other check reads only the data's columns, as on the plain view.
 *
 * Flags:
 *   --rows N            rows of the planted extract (default 5,000,000)
 *   --memory-limit SZ   DuckDB memory limit (default 1GB)
 *   --temp-dir DIR      where DuckDB spills (default bench/out/spill); a folder per run inside it
 *   --threads N         worker threads (default: all cores)
 *   --copy              copy the files into the database instead of querying them in place
 *   --data-view         read in place, but audit the plain data view (no `rowid`: time-order cannot run)
 *   --generate-only     write the Parquet folder (if not there yet) and stop
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { createNativeConnector, loadNativeDataset } from '../src/lib/engine/native-connector';
import { profileDataset } from '../src/lib/session/profile';
import { runReadiness } from '../src/lib/session/readiness';
import { ident, str } from '../src/lib/core/sql/quote';
import type { ColumnSchema, Finding } from '../src/lib/core/model/audit';
import type { Connector } from '../src/lib/engine/connector';
import type { PlantedDefects } from '../scripts/lib/synthetic';
import { churnDatasetSql, describeChurnTable } from '../scripts/lib/synthetic-sql';
import { plantedAuditInput } from '../tests/fixtures/planted-defects';
import { chargingConnector } from './full-audit';
import { ROOT } from './browser';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ROWS = Number(option('--rows') ?? 5_000_000);
const MEMORY_LIMIT = option('--memory-limit') ?? '1GB';
const TEMP_DIR = join(option('--temp-dir') ?? join(ROOT, 'bench/out/spill'), `native-lake-${process.pid}`);
const THREADS = option('--threads');
const AS_VIEW = !argv.includes('--copy');
const DATA_VIEW = argv.includes('--data-view');
const GENERATE_ONLY = argv.includes('--generate-only');
const OUT = join(ROOT, 'bench/out');
const DATASET = 'lake';
const started = performance.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);

// ---------------------------------------------------------------------------
// Measuring: peak resident memory and peak spill, per phase
// ---------------------------------------------------------------------------

/** Peak resident set of this process since the last reset (VmHWM), in bytes; it includes DuckDB's memory. */
function highWaterMark(): number | undefined {
  const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** Start a new peak: writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0). */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Peak RSS over spans of the run: VmHWM, reset at every checkpoint, so each phase
 * and each readiness check gets its own peak. Where VmHWM cannot be reset, the
 * 200 ms samples of the phase's sampler stand in.
 */
const rss = {
  exact: resetHighWaterMark(),
  sampled: 0,
  /** Peaks of the spans closed since the current phase started. */
  phasePeak: 0,
  /** The peak since the last checkpoint; a new span starts now. */
  checkpoint(): number {
    const now = process.memoryUsage().rss;
    const peak = Math.max(this.sampled, now, (this.exact ? highWaterMark() : undefined) ?? 0);
    this.exact = resetHighWaterMark();
    this.sampled = now;
    this.phasePeak = Math.max(this.phasePeak, peak);
    return peak;
  },
};

/** Bytes the files under `dir` occupy on disk (allocated blocks, not apparent size). */
function diskBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      total += statSync(join(entry.parentPath, entry.name)).blocks * 512;
    } catch {
      // DuckDB deleted the spill file between the listing and the stat.
    }
  }
  return total;
}

interface PhaseResult<T> {
  value: T;
  ms: number;
  /** CPU time of every thread of the process (DuckDB's workers included): less sensitive than `ms` to a busy machine. */
  cpuMs: number;
  /** Peak RSS during the phase (see `rss`). */
  peakRss: number;
  /** Peak bytes in the temp directory during the phase (sampled every 200 ms). */
  peakSpill: number;
}

/** Run one phase, timing it and tracking its own peak memory and spill. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<PhaseResult<T>> {
  log(`${name}…`);
  rss.checkpoint();
  rss.phasePeak = 0;
  let peakSpill = diskBytes(TEMP_DIR);
  const sampler = setInterval(() => {
    rss.sampled = Math.max(rss.sampled, process.memoryUsage().rss);
    peakSpill = Math.max(peakSpill, diskBytes(TEMP_DIR));
  }, 200);
  const t = performance.now();
  const cpu = process.cpuUsage();
  try {
    const value = await work();
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    rss.checkpoint();
    const peakRss = rss.phasePeak;
    log(
      `${name}: ${seconds(ms)} (CPU ${seconds(cpuMs)}), peak RSS ${mib(peakRss)}, peak spill ${mib(peakSpill)}`,
    );
    return { value, ms, cpuMs, peakRss, peakSpill };
  } finally {
    clearInterval(sampler);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

// ---------------------------------------------------------------------------
// The data: generated once per row count, then reused
// ---------------------------------------------------------------------------

/** Write the planted extract as Parquet files partitioned by source, streaming: no table is built. */
async function lake(rows: number): Promise<{ dir: string; planted: PlantedDefects; generated: boolean }> {
  const dir = join(OUT, `churn-lake-${rows}`);
  const key = `${dir}.planted.json`;
  if (existsSync(dir) && existsSync(key))
    return { dir, planted: JSON.parse(readFileSync(key, 'utf8')) as PlantedDefects, generated: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const conn = await createNativeConnector({ memoryLimit: MEMORY_LIMIT, tempDir: TEMP_DIR });
  try {
    const plan = churnDatasetSql({ rows });
    await conn.exec(
      `COPY (${plan.sql}) TO ${str(dir)} (FORMAT parquet, PARTITION_BY (source_system), ROW_GROUP_SIZE 122880)`,
    );
    await conn.exec(
      `CREATE VIEW churn AS SELECT * FROM read_parquet(${str(join(dir, '**', '*.parquet'))}, hive_partitioning = true)`,
    );
    const planted = await describeChurnTable(conn, 'churn', plan);
    writeFileSync(key, `${JSON.stringify(planted, null, 2)}\n`);
    return { dir, planted, generated: true };
  } finally {
    await conn.close();
  }
}

/** Bytes per value of a DuckDB type in its in-memory vectors (strings: the 16-byte header). */
function valueWidth(type: string): number {
  const t = type.toUpperCase();
  const decimal = /^DECIMAL\((\d+)/.exec(t);
  if (decimal) {
    const p = Number(decimal[1]);
    return p <= 4 ? 2 : p <= 9 ? 4 : p <= 18 ? 8 : 16;
  }
  if (/^(BOOLEAN|TINYINT|UTINYINT)$/.test(t)) return 1;
  if (/^(SMALLINT|USMALLINT)$/.test(t)) return 2;
  if (/^(INTEGER|UINTEGER|DATE|FLOAT)$/.test(t)) return 4;
  if (/^(BIGINT|UBIGINT|DOUBLE|TIME|TIMESTAMP.*)$/.test(t)) return 8;
  return 16;
}

/**
 * The data's size uncompressed in DuckDB's vectors: fixed-width values, string
 * headers, the bytes of strings too long to inline (over 12), and validity bits.
 * One scan of the string columns.
 */
async function inMemoryBytes(conn: Connector, table: string, columns: ColumnSchema[], rows: number) {
  const strings = columns.filter((c) => /^(VARCHAR|BLOB)$/i.test(c.type));
  const [row] = strings.length
    ? await conn.query(
        `SELECT ${strings.map((c, i) => `sum(CASE WHEN octet_length(CAST(${ident(c.name)} AS BLOB)) > 12 THEN octet_length(CAST(${ident(c.name)} AS BLOB)) ELSE 0 END) AS s${i}`).join(', ')} FROM ${ident(table)}`,
      )
    : [{}];
  const longStrings = strings.reduce((sum, _c, i) => sum + Number(row?.[`s${i}`] ?? 0), 0);
  const fixed = columns.reduce((sum, c) => sum + valueWidth(c.type) * rows, 0);
  return fixed + longStrings + Math.ceil((rows * columns.length) / 8);
}

/** Parquet's own total of uncompressed page bytes, from the files' footers. */
async function parquetUncompressedBytes(conn: Connector, dir: string): Promise<number> {
  const [row] = await conn.query(
    `SELECT sum(total_uncompressed_size) AS bytes FROM parquet_metadata(${str(join(dir, '**', '*.parquet'))})`,
  );
  return Number(row?.bytes ?? 0);
}

// ---------------------------------------------------------------------------
// The answer key: every planted defect, and the exact count where the finding has one
// ---------------------------------------------------------------------------

interface DefectCheck {
  defect: string;
  /** Findings that must be present, at a severity above info. */
  ids: string[];
  /** Counts the findings must state exactly, as [what, found, planted]. */
  exact: [string, unknown, unknown][];
}

function defectChecks(findings: Finding[], p: PlantedDefects): DefectCheck[] {
  const get = (id: string): Finding | undefined => findings.find((f) => f.id === id.replace('{ds}', DATASET));
  const ev = (id: string, key: string): unknown => get(id)?.evidence[key];
  const all: (DefectCheck & { flag: keyof PlantedDefects['defects'] })[] = [
    {
      flag: 'conflictingLabels',
      defect: 'conflicting labels',
      ids: ['labels-conflicting:{ds}:churned'],
      exact: [
        ['groups', ev('labels-conflicting:{ds}:churned', 'groups'), p.conflictingLabels.groups],
        ['rows', ev('labels-conflicting:{ds}:churned', 'rows'), p.conflictingLabels.rows],
      ],
    },
    {
      flag: 'leakingColumn',
      defect: 'leaking column',
      ids: ['leakage-single-feature:{ds}:cancellation_reason'],
      exact: [['severity', get('leakage-single-feature:{ds}:cancellation_reason')?.severity, 'blocker']],
    },
    {
      flag: 'futureDates',
      defect: 'future dates',
      ids: ['time-future:{ds}:snapshot_date'],
      exact: [['rows', ev('time-future:{ds}:snapshot_date', 'future'), p.futureDates.rows]],
    },
    {
      flag: 'sentinelDates',
      defect: 'sentinel dates',
      ids: ['time-sentinel:{ds}:signup_date'],
      exact: [['rows', ev('time-sentinel:{ds}:signup_date', 'sentinelRows'), p.sentinelDates.rows]],
    },
    {
      flag: 'gapMonth',
      defect: 'gap month',
      ids: ['coverage-gaps:{ds}:empty'],
      exact: [['month', ev('coverage-gaps:{ds}:empty', 'months'), p.gapMonth]],
    },
    {
      flag: 'stale',
      defect: 'stale extract',
      ids: ['coverage-recency:{ds}:snapshot_date'],
      exact: [['days', ev('coverage-recency:{ds}:snapshot_date', 'ageDays'), p.snapshotRange.daysBeforeAsOf]],
    },
    {
      flag: 'sourceLabelShift',
      defect: 'label shift by source',
      ids: ['labels-by-source:{ds}:source:legacy_billing'],
      exact: [],
    },
    {
      flag: 'sourceSpellings',
      defect: 'spellings by source',
      ids: ['consistency-vocabulary:{ds}:region', 'consistency-vocabulary:{ds}:plan'],
      exact: [['source', ev('consistency-vocabulary:{ds}:region', 'sources'), p.sourceSpellings.source]],
    },
    { flag: 'labelVariants', defect: 'label variants', ids: ['labels-variants:{ds}:churned'], exact: [] },
    {
      flag: 'missingLikeTokens',
      defect: 'missing-like tokens',
      ids: ['quality-missing-like:{ds}:payment_method'],
      exact: [['rows', ev('quality-missing-like:{ds}:payment_method', 'rows'), p.missingLikeTokens.rows]],
    },
    {
      flag: 'numericSentinels',
      defect: 'numeric sentinels',
      ids: ['quality-sentinels:{ds}:monthly_fee'],
      exact: [],
    },
    {
      flag: 'unitScale',
      defect: 'unit scale',
      ids: ['consistency-scale:{ds}:monthly_fee'],
      exact: [['factor', ev('consistency-scale:{ds}:monthly_fee', 'nearestPowerOfTen'), p.unitScale.factor]],
    },
    {
      flag: 'pii',
      defect: 'personal data',
      ids: ['privacy-pii:{ds}:email', 'privacy-pii:{ds}:phone', 'privacy-pii:{ds}:card_number'],
      exact: [],
    },
    {
      flag: 'duplicateRows',
      defect: 'duplicate rows',
      ids: ['leakage-split-duplicates:{ds}:rows', 'quality-duplicates:{ds}:rows'],
      exact: [
        ['groups', ev('leakage-split-duplicates:{ds}:rows', 'groups'), p.duplicateRows.groups],
        ['extra rows', ev('quality-duplicates:{ds}:rows', 'duplicateRows'), p.duplicateRows.extraRows],
      ],
    },
    {
      flag: 'outcomeBeforeEvent',
      defect: 'outcome before event',
      ids: ['time-outcome-before-event:{ds}:churn_date'],
      exact: [['rows', ev('time-outcome-before-event:{ds}:churn_date', 'before'), p.outcomeBeforeEvent.rows]],
    },
    {
      flag: 'midnightTimestamps',
      defect: 'midnight timestamps',
      ids: ['time-of-day:{ds}:snapshot_date:midnight'],
      exact: [['rows', ev('time-of-day:{ds}:snapshot_date:midnight', 'midnight'), p.midnightTimestamps.rows]],
    },
  ];
  return all.filter((c) => p.defects[c.flag]);
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/** Load, profile and audit the generated folder, and print the tables. */
async function audit(generate: PhaseResult<Awaited<ReturnType<typeof lake>>>): Promise<void> {
  const { dir, planted } = generate.value;
  const conn = await createNativeConnector({
    memoryLimit: MEMORY_LIMIT,
    tempDir: TEMP_DIR,
    ...(THREADS ? { threads: Number(THREADS) } : {}),
  });
  try {
    const settings = await conn.settings();
    const load = await phase('load', () => loadNativeDataset(conn, dir, { asView: AS_VIEW }));
    const loaded = load.value;
    const audited = DATA_VIEW ? loaded.tableName : (loaded.fileOrderView ?? loaded.tableName);

    log('measuring the data…');
    const onDisk = diskBytes(dir);
    const parquetRaw = await parquetUncompressedBytes(conn, dir);
    const inMemory = await inMemoryBytes(conn, loaded.tableName, loaded.columns, loaded.rowCount);

    const profile = await phase('profile', () => profileDataset(conn, loaded.tableName, DATASET));
    const charging = chargingConnector(conn);
    let current = '';
    let since = process.cpuUsage();
    const checkCpu: Record<string, number> = {};
    const checkRss: Record<string, number> = {};
    /** Close the running check's span: its CPU time and its peak RSS. */
    const closeCheck = (): void => {
      const used = process.cpuUsage(since);
      since = process.cpuUsage();
      checkCpu[current] = (checkCpu[current] ?? 0) + (used.user + used.system) / 1000;
      checkRss[current] = Math.max(checkRss[current] ?? 0, rss.checkpoint());
    };
    const readiness = await phase('readiness', () =>
      runReadiness(charging.conn, {
        tableName: audited,
        datasetId: DATASET,
        columns: loaded.columns,
        ...plantedAuditInput(planted, { segments: ['region'] }),
        profile: profile.value,
        onProgress: (p) => {
          if (p.check !== current) {
            closeCheck();
            log(`  ${p.check} (${p.done}/${p.total})`);
          }
          current = p.check;
          charging.charge(p.check);
        },
      }),
    );
    const findings = readiness.value;

    const phases = [load, profile, readiness];
    const auditMs = phases.reduce((s, x) => s + x.ms, 0);
    const auditCpu = phases.reduce((s, x) => s + x.cpuMs, 0);
    const auditPeak = Math.max(...phases.map((x) => x.peakRss));
    const auditSpill = Math.max(...phases.map((x) => x.peakSpill));
    console.log(
      `\n### Native DuckDB, Parquet folder: ${loaded.rowCount.toLocaleString('en-US')} rows × ${loaded.columns.length} columns, ${AS_VIEW ? 'queried in place' : 'copied in'}\n`,
    );
    console.log(
      `Memory limit ${settings.memoryLimit}, ${settings.threads} threads, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM. ` +
        `Data: ${gib(onDisk)} of Parquet on disk (${gib(parquetRaw)} uncompressed pages), ${gib(inMemory)} in memory uncompressed.` +
        (AS_VIEW
          ? ` Readiness read ${audited === loaded.tableName ? 'the data view' : 'the file-order view'}.`
          : ''),
    );
    console.log('\n| phase | time | CPU time | peak RSS | peak spill |');
    console.log('|---|---|---|---|---|');
    const row = (name: string, p: PhaseResult<unknown>): void =>
      console.log(
        `| ${name} | ${seconds(p.ms)} | ${seconds(p.cpuMs)} | ${mib(p.peakRss)} | ${mib(p.peakSpill)} |`,
      );
    row(generate.value.generated ? 'generate' : 'generate (reused)', generate);
    row('load', load);
    row('profile', profile);
    row('readiness', readiness);
    console.log(
      `| **audit** (load to verdict) | **${seconds(auditMs)}** | ${seconds(auditCpu)} | **${mib(auditPeak)}** | ${mib(auditSpill)} |`,
    );

    const checks = Object.entries(charging.times).sort((a, b) => b[1] - a[1]);
    console.log('\n| slowest readiness checks | time | share | CPU time | peak RSS | statements |');
    console.log('|---|---|---|---|---|---|');
    for (const [check, ms] of checks.slice(0, 10))
      console.log(
        `| ${check} | ${seconds(ms)} | ${((100 * ms) / readiness.ms).toFixed(0)} % | ${seconds(checkCpu[check] ?? 0)} | ${mib(checkRss[check] ?? 0)} | ${charging.counts[check] ?? 0} |`,
      );

    const defects = defectChecks(findings, planted);
    const missing = (d: DefectCheck): string[] =>
      d.ids.filter((id) => {
        const f = findings.find((x) => x.id === id.replace('{ds}', DATASET));
        return !f || f.severity === 'info';
      });
    const unequal = (d: DefectCheck): string[] =>
      d.exact.filter(([, a, b]) => a !== b).map(([what, a, b]) => `${what} ${String(a)} ≠ ${String(b)}`);
    console.log('\n| planted defect | found | exact counts |');
    console.log('|---|---|---|');
    for (const d of defects) {
      const m = missing(d);
      const u = unequal(d);
      console.log(
        `| ${d.defect} | ${m.length ? `missed ${m.join(', ')}` : 'yes'} | ${d.exact.length === 0 ? '–' : u.length ? u.join('; ') : 'yes'} |`,
      );
    }
    const errors = findings.filter((f) => f.id.endsWith(':error'));
    const found = defects.filter((d) => missing(d).length === 0).length;
    const severities = ['blocker', 'major', 'minor', 'info']
      .map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`)
      .join(', ');
    console.log(
      `\n${found} of ${defects.length} planted defects found; ${findings.length} findings (${severities}); ${errors.length} check${errors.length === 1 ? '' : 's'} could not run${errors.length ? `: ${errors.map((e) => e.title).join(' | ')}` : ''}.`,
    );
    if (found < defects.length || errors.length > 0) process.exitCode = 1;
  } finally {
    await conn.close();
  }
}

mkdirSync(TEMP_DIR, { recursive: true });
try {
  const generate = await phase('generate', () => lake(ROWS));
  const { dir, planted } = generate.value;
  if (GENERATE_ONLY)
    console.log(`${dir}: ${planted.rows.toLocaleString('en-US')} rows, ${gib(diskBytes(dir))} of Parquet`);
  else await audit(generate);
} finally {
  rmSync(TEMP_DIR, { recursive: true, force: true });
}
