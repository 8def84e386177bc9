/**
 * The feasibility step (issue 21) in `npm run bench`: run as the session runs
 * it after every analysis, timed by the runner's own `sz:feasibility:*` marks
 * (the whole step under the file's name, each stage under its id) on every
 * engine, in Node and in the page alike; in Node the statements each stage
 * sent are timed too. Figures are printed; nothing here passes or fails.
 */
import type { Page } from '@playwright/test';
import type { Connector } from '../src/lib/engine/connector';
import {
  feasibilityAnalysis,
  feasibilityResult,
  type FeasibilityInput,
} from '../src/lib/core/feasibility/analysis';
import { QueryRunner } from '../src/lib/session/query-runner';
import { chargingConnector } from './full-audit';

/** A `performance` measure as both Node and the page report it. */
interface Measure {
  name: string;
  startTime: number;
  duration: number;
}

/** One statement the step sent, charged to its stage. */
export interface TimedStatement {
  stage: string;
  ms: number;
  sql: string;
}

export interface FeasibilityTiming {
  /** The whole step: its `sz:feasibility:<subject>` mark. */
  ms: number;
  /** Each stage's mark (its statements and the TypeScript between them). */
  stages: Record<string, number>;
  /** Statements each stage sent (Node only: the page's statements are not visible here). */
  statements?: Record<string, number>;
  /** Every statement, slowest first (Node only). */
  slowest?: TimedStatement[];
  /** `done`, or why the baselines did not run. */
  status?: string;
  /** The best baseline's held-out AUC (Node only), a sanity check that the step did its work. */
  auc?: number;
}

/** The run's mark and the stage marks inside it (a later run of the step, after a role edit, is left out). */
function fromMeasures(measures: readonly Measure[], subject: string): FeasibilityTiming | undefined {
  const run = measures.find((m) => m.name === `sz:feasibility:${subject}`);
  if (!run) return undefined;
  const end = run.startTime + run.duration + 1;
  const stages: Record<string, number> = {};
  for (const m of measures)
    if (m !== run && m.startTime >= run.startTime - 1 && m.startTime + m.duration <= end)
      stages[m.name.slice('sz:feasibility:'.length)] = m.duration;
  return { ms: run.duration, stages };
}

const feasibilityMeasures = (): Measure[] =>
  performance
    .getEntriesByType('measure')
    .filter((m) => m.name.startsWith('sz:feasibility:'))
    .map(({ name, startTime, duration }) => ({ name, startTime, duration }));

/** Run the feasibility step on `conn` as the session does, timed by its marks and per statement. */
export async function timeFeasibility(
  conn: Connector,
  input: FeasibilityInput,
  subject: string,
): Promise<FeasibilityTiming> {
  const charging = chargingConnector(conn);
  const before = new Set(feasibilityMeasures());
  const state = await new QueryRunner(charging.conn).run(
    feasibilityAnalysis(input),
    {},
    { subject, onProgress: (p) => charging.charge(p.stage) },
  );
  const fresh = feasibilityMeasures().filter(
    (m) => ![...before].some((b) => b.name === m.name && b.startTime === m.startTime),
  );
  const timing = fromMeasures(fresh, subject);
  if (!timing) throw new Error(`no sz:feasibility:${subject} mark`);
  const result = feasibilityResult(state);
  const best = result.baselines.find((b) => b.model === result.best)?.auc?.estimate;
  return {
    ...timing,
    statements: charging.counts,
    slowest: [...charging.log].sort((a, b) => b.ms - a.ms),
    status:
      result.status === 'done'
        ? `done, ${result.sample.capped ? 'capped ' : ''}${result.sample.trainRows} train / ${result.sample.testRows} test rows`
        : (result.reason ?? result.status),
    ...(best !== undefined ? { auc: best } : {}),
  };
}

/** The page's feasibility marks for the file `name`, waited for up to `timeout` ms; undefined when the step never ran. */
export async function browserFeasibility(
  page: Page,
  name: string,
  timeout = 1_800_000,
): Promise<FeasibilityTiming | undefined> {
  try {
    await page.waitForFunction((n) => performance.getEntriesByName(`sz:feasibility:${n}`).length > 0, name, {
      timeout,
      polling: 250,
    });
  } catch {
    return undefined;
  }
  const measures = await page.evaluate(() =>
    performance
      .getEntriesByType('measure')
      .filter((m) => m.name.startsWith('sz:feasibility:'))
      .map(({ name, startTime, duration }) => ({ name, startTime, duration })),
  );
  return fromMeasures(measures, name);
}

const fmt = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? '—'
    : `${(a / b).toFixed(2)}×`;
const oneLine = (sql: string, max: number): string => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
/** The prediction models a statement reads (`model = 'oof'`), which tell apart statements that share a head. */
const modelsRead = (sql: string): string => {
  const models = [...new Set([...sql.matchAll(/model = '([^']+)'/g)].map((m) => m[1]))];
  return models.length ? ` (model ${models.join(', ')})` : '';
};

/** What the tables need of an engine's run. */
export interface FeasibilityRun {
  profile: number;
  feasibility?: FeasibilityTiming;
}

/**
 * The feasibility tables: the step's time and its ratio to the profile on the
 * same engine (target ≤ 1.0×), the ratio to native DuckDB single-threaded
 * (target for the browser ≤ 1.5×), the slowest stages on every engine and
 * the slowest statements of the reference engine.
 */
export function printFeasibility(runs: Record<string, FeasibilityRun>, stageCount = 5): void {
  const ran = Object.entries(runs).filter((e): e is [string, Required<FeasibilityRun>] => !!e[1].feasibility);
  if (!ran.length) {
    console.log('\nThe feasibility step ran on no engine.');
    return;
  }
  const n1 = runs['native-1t']?.feasibility;
  console.log('\n### Feasibility step (issue 21): baselines, learning curve, out-of-fold label noise\n');
  console.log(
    '| engine | feasibility | profile | feasibility / profile (target ≤ 1.0×) | / native 1 thread (browser target ≤ 1.5×) | status | best AUC |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [engine, r] of ran)
    console.log(
      `| ${engine} | ${fmt(r.feasibility.ms)} | ${fmt(r.profile)} | ${ratio(r.feasibility.ms, r.profile)} | ${engine === 'native-1t' ? '1.00×' : ratio(r.feasibility.ms, n1?.ms)} | ${r.feasibility.status ?? 'done'} | ${r.feasibility.auc?.toFixed(3) ?? '—'} |`,
    );

  const reference = ran.find(([e]) => e === 'native-1t') ?? ran[0]!;
  const slowStages = Object.entries(reference[1].feasibility.stages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, stageCount)
    .map(([stage]) => stage);
  console.log(
    `\nSlowest ${stageCount} feasibility stages (marks \`sz:feasibility:<stage>\`, ordered by ${reference[0]}; statements in brackets where known):\n`,
  );
  console.log(`| stage | ${ran.map(([e]) => e).join(' | ')} |`);
  console.log(`|---|${ran.map(() => '---').join('|')}|`);
  for (const stage of slowStages)
    console.log(
      `| ${stage} | ${ran
        .map(([, r]) => {
          const count = r.feasibility.statements?.[stage];
          return `${fmt(r.feasibility.stages[stage])}${count !== undefined ? ` (${count})` : ''}`;
        })
        .join(' | ')} |`,
    );
  const share =
    slowStages.reduce((a, s) => a + (reference[1].feasibility.stages[s] ?? 0), 0) /
    reference[1].feasibility.ms;
  console.log(
    `\nThese ${slowStages.length} take ${(share * 100).toFixed(0)}% of ${reference[0]}'s feasibility time.`,
  );

  const statements =
    reference[1].feasibility.slowest ?? ran.find(([, r]) => r.feasibility.slowest)?.[1].feasibility.slowest;
  if (!statements?.length) return;
  console.log(`\nSlowest ${stageCount} feasibility statements on ${reference[0]}:\n`);
  console.log('| stage | time | statement |');
  console.log('|---|---|---|');
  for (const s of statements.slice(0, stageCount))
    console.log(
      `| ${s.stage}${modelsRead(s.sql)} | ${fmt(s.ms)} | \`${oneLine(s.sql, 110).replace(/\|/g, '\\|')}\` |`,
    );
}
