/**
 * `npm run bench:chdb` (issue 24, part 4): the full audit as the session runs
 * it (load, profile, readiness, feasibility, the example metric plan, drift
 * split at the median month) on the planted churn extract, on native DuckDB
 * with 1 thread, native DuckDB on every core, and embedded ClickHouse (chDB)
 * in the ClickHouse dialect, in the same run. Each engine runs in its own
 * child process: chDB allows one engine per process, the SQL dialect is
 * process-wide, and each process's `process.cpuUsage()` is then that engine's
 * CPU alone (both engines run inside the process). Statements chDB refuses are
 * counted per phase, with their first errors, not hidden. Figures are printed;
 * nothing here passes or fails.
 *
 * Flags:
 *   --rows N          rows of the planted extract (default 10,000,000; 200000 for a quick run)
 *   --engines a,b     a subset of native-1t, native-all, chdb
 *   --suggest-roles   let the session suggest the roles, as a file drop does (default: the
 *                     planted roles and context, set as the CLI's role flags set them, so that
 *                     a role-suggestion statement chDB refuses does not stop every later phase)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNativeConnector } from '../src/lib/engine/native-connector';
import { plantedAuditInput } from '../tests/fixtures/planted-defects';
import type { PlantedDefects } from '../scripts/lib/synthetic';
import { AUDIT_PHASES, type AuditPhase, type PhaseCost } from './session-audit';
import { engineSessionAudit, sharedLoaderEngine, type EngineAuditResult } from './lib/engine-session-audit';
import { medianMonth, plantedExtract } from './lib/planted-extract';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'bench/out');
const ENGINES = ['native-1t', 'native-all', 'chdb'] as const;
type EngineName = (typeof ENGINES)[number];

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? '—'
    : `${(a / b).toFixed(2)}×`;
const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

interface ChildResult extends EngineAuditResult {
  /** Peak resident memory of the child process, in MB. */
  maxRssMb: number;
}

/** One engine's audit in this process; written as JSON to `out`. */
async function child(engine: EngineName, path: string, splitAt: string, out: string): Promise<void> {
  const keyPath = flag('--key');
  const given = keyPath
    ? plantedAuditInput(JSON.parse(readFileSync(keyPath, 'utf8')) as PlantedDefects)
    : undefined;
  let result: EngineAuditResult;
  if (engine === 'chdb') {
    const { createChdbConnector, loadChdbDataset } = await import('../src/lib/engine/chdb-connector');
    const { CLICKHOUSE, useDialect } = await import('../src/lib/core/sql/dialect');
    const { nodeDecoders } = await import('../src/lib/engine/node-decoders');
    const connector = await createChdbConnector();
    // As the CLI's `--engine chdb`: every statement from here on in the ClickHouse dialect.
    useDialect(CLICKHOUSE);
    result = await engineSessionAudit(
      connector,
      (conn) => ({
        connector: conn,
        decoders: nodeDecoders,
        load: (source, options) =>
          loadChdbDataset(conn, source.path ?? source.name, {
            ...(options.tableName !== undefined ? { tableName: options.tableName } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          }),
      }),
      path,
      splitAt,
      given,
    );
  } else {
    const connector = await createNativeConnector(engine === 'native-1t' ? { threads: 1 } : {});
    result = await engineSessionAudit(connector, sharedLoaderEngine, path, splitAt, given);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  writeFileSync(out, JSON.stringify({ ...result, maxRssMb } satisfies ChildResult));
}

/** Run `engine` in a child process of this script; undefined when it failed (logged). */
function runChild(
  engine: EngineName,
  path: string,
  splitAt: string,
  key: string | undefined,
): ChildResult | undefined {
  const out = join(OUT, `chdb-bench-${process.pid}-${engine}.json`);
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      script,
      '--child',
      engine,
      '--path',
      path,
      '--split',
      splitAt,
      '--out',
      out,
      ...(key ? ['--key', key] : []),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  try {
    if (run.status !== 0) {
      log(`  ${engine} failed: exit ${run.status ?? run.signal}`);
      return undefined;
    }
    return JSON.parse(readFileSync(out, 'utf8')) as ChildResult;
  } finally {
    rmSync(out, { force: true });
  }
}

async function main(): Promise<void> {
  const rows = Number(flag('--rows') ?? 10_000_000);
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`--rows must be a positive integer`);
  const chosen = flag('--engines')?.split(',') ?? [...ENGINES];
  const engines = ENGINES.filter((e) => chosen.includes(e));

  let t = performance.now();
  const { path, key, planted, generated } = await plantedExtract(OUT, rows);
  const given = argv.includes('--suggest-roles') ? undefined : key;
  const size = statSync(path).size;
  log(
    `${generated ? 'generated' : 'reused'} ${path}: ${planted.rows.toLocaleString('en-US')} rows × ${planted.columns.length} columns, ${(size / 1e6).toFixed(0)} MB${generated ? ` in ${fmt(performance.now() - t)}` : ''}`,
  );
  const eventTime = plantedAuditInput(planted).roles.eventTime ?? 'snapshot_date';
  const splitAt = await medianMonth(path, eventTime);

  const runs: Partial<Record<EngineName, ChildResult>> = {};
  const loads: Partial<Record<EngineName, string>> = {};
  for (const engine of engines) {
    log(`  ${engine}… (load average ${loadAverage()})`);
    loads[engine] = loadAverage();
    t = performance.now();
    const result = runChild(engine, path, splitAt, given);
    loads[engine] += ` → ${loadAverage()}`;
    if (!result) continue;
    runs[engine] = result;
    if (result.failed.length) {
      const failures = join(OUT, `chdb-${rows}-${engine}-failed.json`);
      writeFileSync(failures, `${JSON.stringify(result.failed, null, 2)}\n`);
      log(`  ${engine}: every failed statement in ${failures}`);
    }
    const phases = Object.entries(result.phases)
      .map(([p, c]) => `${p} ${fmt(c.wall)} / ${fmt(c.cpu)} CPU`)
      .join(', ');
    log(
      `  ${engine} in ${fmt(performance.now() - t)}: ${result.summary}; analyse ${result.analyse}, drift ${result.drift}; ${phases}; ${result.failed.length} statements failed`,
    );
  }
  printReport(rows, size, splitAt, given ? 'planted' : 'suggested', engines, runs, loads);
}

function printReport(
  rows: number,
  size: number,
  splitAt: string,
  roles: 'planted' | 'suggested',
  engines: readonly EngineName[],
  runs: Partial<Record<EngineName, ChildResult>>,
  loads: Partial<Record<EngineName, string>>,
): void {
  const chdb = runs.chdb;
  const failedIn = (phase: AuditPhase | 'between'): string => {
    if (!chdb) return '—';
    const failed = chdb.failed.filter((f) => f.phase === phase && !f.fused).length;
    return `${failed} / ${chdb.statements[phase] ?? 0}`;
  };
  const total = (r: ChildResult | undefined): PhaseCost | undefined =>
    r &&
    Object.values(r.phases).reduce<PhaseCost>((a, c) => ({ wall: a.wall + c.wall, cpu: a.cpu + c.cpu }), {
      wall: 0,
      cpu: 0,
    });
  console.log(
    `\n### Full audit on chDB against native DuckDB: planted churn extract, ${rows.toLocaleString('en-US')} rows (${(size / 1e6).toFixed(0)} MB CSV), ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n`,
  );
  console.log(
    `| phase | ${engines.map((e) => `${e} wall | ${e} CPU`).join(' | ')} | chdb ÷ native-1t wall | chdb ÷ native-1t CPU | chdb statements failed / sent |`,
  );
  console.log(`|---|${engines.map(() => '---|---').join('|')}|---|---|---|`);
  const row = (
    label: string,
    get: (r: ChildResult | undefined) => PhaseCost | undefined,
    failed: string,
  ): void => {
    const c = get(chdb);
    const n = get(runs['native-1t']);
    console.log(
      `| ${label} | ${engines.map((e) => `${fmt(get(runs[e])?.wall)} | ${fmt(get(runs[e])?.cpu)}`).join(' | ')} | ${ratio(c?.wall, n?.wall)} | ${ratio(c?.cpu, n?.cpu)} | ${failed} |`,
    );
  };
  for (const phase of AUDIT_PHASES) row(phase, (r) => r?.phases[phase], failedIn(phase));
  row('between phases', () => undefined, failedIn('between'));
  row(
    '**total**',
    total,
    chdb
      ? `${chdb.failed.filter((f) => !f.fused).length} / ${Object.values(chdb.statements).reduce((a, n) => a + n, 0)}`
      : '—',
  );
  console.log(
    `\nEach phase is the session's own \`sz:<phase>:<file>\` mark (drift: the comparison split at ${splitAt} and the history); CPU is the engine's child process's \`process.cpuUsage()\` over the same interval (all threads). Roles: ${roles === 'planted' ? 'the planted ones, set before the analysis (no suggestion)' : 'suggested by the session on each engine'}. "Failed" counts statements the engine refused (DuckDB's fused one-row statements, re-run part by part, are not counted).\n`,
  );
  console.log(
    '| engine | what the session decided | analyse | drift | "could not run" findings | peak RSS | load average (1, 5, 15 min) before → after |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const engine of engines) {
    const r = runs[engine];
    console.log(
      r
        ? `| ${engine} | ${r.summary} | ${r.analyse} | ${r.drift.replace(/\|/g, '/')} | ${r.couldNotRun.length} | ${r.maxRssMb.toFixed(0)} MB | ${loads[engine]} |`
        : `| ${engine} | failed (see the log) | | | | | ${loads[engine] ?? ''} |`,
    );
  }
  if (!chdb) return;
  const native = runs['native-1t'] ?? runs['native-all'];
  if (native) {
    const onlyIn = (a: ChildResult, b: ChildResult): string[] =>
      a.findings.filter((f) => !b.findings.includes(f));
    const differing = [
      ...onlyIn(native, chdb).map((f) => `native only: ${f}`),
      ...onlyIn(chdb, native).map((f) => `chDB only: ${f}`),
    ];
    console.log(
      differing.length
        ? `\nFindings the engines disagree on (id and severity):\n\n${differing.map((d) => `- ${d}`).join('\n')}`
        : '\nBoth engines gave the same findings, with the same severities.',
    );
  }
  const errors = new Map<string, { count: number; phases: Set<string> }>();
  for (const f of chdb.failed) {
    const key = f.error.replace(/\s+/g, ' ').slice(0, 160);
    const e = errors.get(key) ?? { count: 0, phases: new Set<string>() };
    e.count += 1;
    e.phases.add(f.phase);
    errors.set(key, e);
  }
  if (errors.size) {
    console.log('\nchDB errors, most frequent first:\n');
    for (const [error, e] of [...errors].sort((a, b) => b[1].count - a[1].count).slice(0, 15))
      console.log(`- ${e.count}× (${[...e.phases].join(', ')}): ${error}`);
  }
  if (chdb.sessionErrors.length) {
    console.log('\nchDB session errors (a phase that failed as a whole):\n');
    for (const e of chdb.sessionErrors) console.log(`- ${e.replace(/\s+/g, ' ')}`);
  }
  if (chdb.couldNotRun.length) {
    console.log('\nchDB "could not run" findings:\n');
    for (const title of chdb.couldNotRun) console.log(`- ${title.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
}

const childEngine = flag('--child');
if (childEngine !== undefined) {
  if (!ENGINES.some((e) => e === childEngine)) throw new RangeError(`unknown engine ${childEngine}`);
  await child(childEngine as EngineName, flag('--path')!, flag('--split')!, flag('--out')!);
} else await main();
