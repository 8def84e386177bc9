/**
 * The full audit as the app runs it, on every engine: the session loads the
 * file, profiles it, suggests roles, runs readiness, the feasibility
 * baselines and the metric plan (all of which follow a file drop), then
 * measures drift of the file split at a date, as the Drift tab does. In Node
 * the same `AuditSession` runs on DuckDB-WASM or native DuckDB; in the browser
 * the built app is driven as a user would. Every phase is timed by the
 * session's own `sz:<phase>:<file>` marks, with the CPU time of the same
 * interval beside it (see `cpu.ts`).
 */
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import type { Connector } from '../src/lib/engine/connector';
import { nodeDecoders } from '../src/lib/engine/node-decoders';
import { fileSource } from '../src/lib/engine/node-source';
import { AuditSession, memoryAuditStore } from '../src/lib/session';
import { primaryDatasetId, rolesOf } from '../src/lib/core/audit/edits';
import { CODE_CACHE_SETTLE_MS, openBrowser, serviceWorkerPage, waitForPhase } from './browser';
import { browserCpuTimeline, cpuSampledConnector, type CpuTimeline, type StatementCost } from './cpu';

/** The phases of one audit, in the order the session runs them. */
export const AUDIT_PHASES = ['load', 'profile', 'readiness', 'feasibility', 'plan', 'drift'] as const;
export type AuditPhase = (typeof AUDIT_PHASES)[number];

export interface PhaseCost {
  wall: number;
  cpu: number;
}

/** A phase's mark as epoch milliseconds. */
interface Span {
  name: string;
  start: number;
  end: number;
}

export interface SessionAuditTiming {
  phases: Partial<Record<AuditPhase, PhaseCost>>;
  /** Every SQL statement with its phase (Node only: the page's statements are not visible here). */
  statements?: (StatementCost & { phase: AuditPhase | 'between' })[];
  /** Browser only: CPU milliseconds per phase and kind of Chromium thread (see `cpu.ts`). */
  threads?: Partial<Record<AuditPhase, Record<string, number>>>;
  /** What the session decided, to see that every engine did the same work. */
  summary: string;
}

/** The marks of each phase for the file `name`; drift is its comparison and its history together. */
const MARK_NAMES: Record<AuditPhase, string[]> = {
  load: ['load'],
  profile: ['profile'],
  readiness: ['readiness'],
  feasibility: ['feasibility'],
  plan: ['plan'],
  drift: ['drift', 'drift-history'],
};

interface MeasureLike {
  name: string;
  startTime: number;
  duration: number;
}

/** Spans of each phase from `measures` (the last of each name), in epoch ms. */
function phaseSpans(
  measures: readonly MeasureLike[],
  timeOrigin: number,
  file: string,
): Partial<Record<AuditPhase, Span[]>> {
  const spans: Partial<Record<AuditPhase, Span[]>> = {};
  for (const phase of AUDIT_PHASES) {
    const found = MARK_NAMES[phase].flatMap((mark) => {
      const m = measures.filter((x) => x.name === `sz:${mark}:${file}`).at(-1);
      return m
        ? [{ name: m.name, start: timeOrigin + m.startTime, end: timeOrigin + m.startTime + m.duration }]
        : [];
    });
    if (found.length) spans[phase] = found;
  }
  return spans;
}

function costs(
  spans: Partial<Record<AuditPhase, Span[]>>,
  timeline: CpuTimeline,
): Partial<Record<AuditPhase, PhaseCost>> {
  return Object.fromEntries(
    Object.entries(spans).map(([phase, list]) => [
      phase,
      list.reduce(
        (a, s) => ({ wall: a.wall + (s.end - s.start), cpu: a.cpu + timeline.between(s.start, s.end) }),
        { wall: 0, cpu: 0 },
      ),
    ]),
  );
}

function phaseOf(at: number, spans: Partial<Record<AuditPhase, Span[]>>): AuditPhase | 'between' {
  for (const [phase, list] of Object.entries(spans))
    if (list.some((s) => at >= s.start - 1 && at <= s.end + 1)) return phase as AuditPhase;
  return 'between';
}

/**
 * The audit on a Node engine through the app's session. `connector` is
 * closed at the end. `splitAt` is the drift comparison's date.
 */
export async function nodeSessionAudit(
  connector: Connector,
  path: string,
  splitAt: string,
): Promise<SessionAuditTiming> {
  const file = basename(path);
  performance.clearMeasures();
  const sampled = cpuSampledConnector(connector);
  const session = new AuditSession({
    engine: { connector: sampled.conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const errors: string[] = [];
  session.on('error', (e) => errors.push(e.message));
  try {
    const loaded = await session.addSources([await fileSource(path)], {}, { analyse: false });
    if (loaded.loaded.length === 0) throw new Error(`could not load ${file}: ${errors.join('; ')}`);
    const analysed = await session.analyse({});
    if (analysed !== 'done') throw new Error(`analysis ${analysed}: ${errors.join('; ')}`);
    const audit = session.audit!;
    const id = primaryDatasetId(audit)!;
    const drift = await session.drift({ kind: 'date-split', currentDatasetId: id, splitAt });
    if (drift.status !== 'done') throw new Error(`drift ${drift.status}: ${drift.message ?? ''}`);
    const spans = phaseSpans(performance.getEntriesByType('measure'), performance.timeOrigin, file);
    return {
      phases: costs(spans, sampled.timeline),
      statements: sampled.statements.map((s) => ({ ...s, phase: phaseOf(s.at, spans) })),
      summary: summaryOf(session),
    };
  } finally {
    await connector.close();
  }
}

function summaryOf(session: AuditSession): string {
  const audit = session.audit!;
  const roles = rolesOf(audit, primaryDatasetId(audit)!);
  const findings = audit.findings.length;
  return `target ${roles.target ?? '—'}, event time ${roles.eventTime ?? '—'}, ${findings} findings`;
}

const sectionTab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Audit sections' }).getByRole('button', { name, exact: true });

/**
 * The same audit in the built app in headless Chromium: drop the file, wait
 * for the metric plan that follows the analysis, then split the file at
 * `splitAt` in the Drift tab. CPU is the whole Chromium process tree's.
 *
 * `returning`: a visitor who has audited before. The context lets the service
 * worker precache the app, audits the same file once and stays while Chromium
 * writes the engine's wasm code cache; the timed audit then runs in a new page
 * of that context, so V8 reuses the optimised code instead of compiling it
 * again on its background threads. Without it, a first visit (service worker
 * blocked, cold caches).
 */
export async function browserSessionAudit(
  path: string,
  splitAt: string,
  port: number,
  options: { returning?: boolean } = {},
): Promise<SessionAuditTiming> {
  const handle = await openBrowser(port);
  try {
    const context = await handle.browser.newContext({
      serviceWorkers: options.returning ? 'allow' : 'block',
    });
    if (options.returning) {
      const first = await serviceWorkerPage(context, handle.base);
      await auditInPage(first, handle.base, path, splitAt);
      await first.waitForTimeout(CODE_CACHE_SETTLE_MS);
      await first.close();
    }
    const cpu = browserCpuTimeline();
    try {
      const { spans, summary } = await auditInPage(await context.newPage(), handle.base, path, splitAt);
      cpu.stop();
      await context.close();
      return {
        phases: costs(spans, cpu.timeline),
        threads: Object.fromEntries(
          Object.entries(spans).map(([phase, list]) => [
            phase,
            Object.fromEntries(
              [...cpu.threads].map(([group, line]) => [
                group,
                list.reduce((a, s) => a + line.between(s.start, s.end), 0),
              ]),
            ),
          ]),
        ),
        summary,
      };
    } finally {
      cpu.stop();
    }
  } finally {
    await handle.close();
  }
}

/** One audit of `path` in `page`: the phases' spans (epoch ms) and the verdict's first words. */
async function auditInPage(
  page: Page,
  base: string,
  path: string,
  splitAt: string,
): Promise<{ spans: Partial<Record<AuditPhase, Span[]>>; summary: string }> {
  const file = basename(path);
  await page.goto(base);
  await page.getByTestId('file-input').setInputFiles(path);
  await waitForPhase(page, file, 'plan');
  await sectionTab(page, 'Drift').click();
  const drift = page.getByRole('region', { name: 'Drift' });
  // Not "Compare with a saved audit", which shows once the browser holds another audit (a returning visitor).
  await drift.getByRole('combobox', { name: /^Compare(?!\s*with)/ }).selectOption('date-split');
  await drift.getByLabel('Reference before').fill(splitAt);
  await drift.getByRole('button', { name: 'Measure drift' }).click();
  await waitForPhase(page, file, 'drift');
  // The history follows the comparison in the same task; the button comes back when it ends.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('button')].some(
        (b) => b.textContent?.trim() === 'Measure drift' && !b.disabled,
      ),
    undefined,
    { timeout: 1_800_000, polling: 250 },
  );
  const { origin, measures } = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    measures: performance
      .getEntriesByType('measure')
      .map(({ name, startTime, duration }) => ({ name, startTime, duration })),
  }));
  await sectionTab(page, 'Readiness & verdict').click();
  const summary = (
    await page
      .getByTestId('verdict')
      .textContent({ timeout: 10_000 })
      .catch(() => '')
  )
    ?.replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return {
    spans: phaseSpans(measures, origin, file),
    summary: summary || 'verdict not shown on the Drift tab',
  };
}
