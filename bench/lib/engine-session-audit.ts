/**
 * The full audit through the app's session on any Node engine (native DuckDB
 * or chDB), timed per phase by the session's own `sz:<phase>:<file>` marks,
 * with this process's CPU time over each phase, and every statement the
 * engine refused, so a partly working engine is measured rather than hidden.
 * Unlike `nodeSessionAudit` it takes a whole `SessionEngine` (chDB loads files
 * with its own readers) and never stops at a failed phase.
 */
import { basename } from 'node:path';
import type { Connector } from '../../src/lib/engine/connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource } from '../../src/lib/engine/node-source';
import { AuditSession, memoryAuditStore } from '../../src/lib/session';
import type { SessionEngine } from '../../src/lib/session/types';
import { primaryDatasetId, rolesOf, setContext, setRoles } from '../../src/lib/core/audit/edits';
import type { ColumnRoles, ProjectContext } from '../../src/lib/core/model/audit';
import { CpuTimeline, epochNow } from '../cpu';
import { AUDIT_PHASES, type AuditPhase, type PhaseCost } from '../session-audit';

/** The session's mark names of each phase; drift is its comparison and its history. */
const MARK_NAMES: Record<AuditPhase, string[]> = {
  load: ['load'],
  profile: ['profile'],
  readiness: ['readiness'],
  feasibility: ['feasibility'],
  plan: ['plan'],
  drift: ['drift', 'drift-history'],
};

const STATEMENT_METHODS = new Set(['query', 'queryArrow', 'exec']);
/** CPU samples between statements too: chDB's and native DuckDB's calls leave the event loop free. */
const SAMPLE_EVERY_MS = 100;

const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface FailedStatement {
  phase: AuditPhase | 'between';
  /** A DuckDB fused one-row statement, which the runner re-runs part by part. */
  fused: boolean;
  sql: string;
  error: string;
}

export interface EngineAuditResult {
  phases: Partial<Record<AuditPhase, PhaseCost>>;
  /** Statements sent per phase. */
  statements: Partial<Record<AuditPhase | 'between', number>>;
  failed: FailedStatement[];
  /** Titles of the audit's "could not run" findings. */
  couldNotRun: string[];
  /** Every finding as `id (severity)`, to name the findings two engines disagree on. */
  findings: string[];
  /** Errors the session reported (a phase that failed as a whole). */
  sessionErrors: string[];
  analyse: string;
  drift: string;
  summary: string;
  rows: number;
}

/**
 * `conn` with a CPU sample before and after every call, and every statement's
 * start time and failure recorded; what it returns is unchanged. Generic, so a
 * `ChdbConnector` stays one for `loadChdbDataset`.
 */
export function measuredConnector<C extends Connector>(
  conn: C,
): {
  conn: C;
  timeline: CpuTimeline;
  sent: { at: number; sql: string; error?: string }[];
  stop: () => void;
} {
  const timeline = new CpuTimeline();
  const sent: { at: number; sql: string; error?: string }[] = [];
  const sample = (): void => timeline.add(epochNow(), processCpuMs());
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const wrapped = new Proxy(conn, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        sample();
        const entry =
          STATEMENT_METHODS.has(String(key)) && typeof args[0] === 'string'
            ? { at: epochNow(), sql: args[0] }
            : undefined;
        if (entry) sent.push(entry);
        const result = fn.apply(target, args);
        if (!(result instanceof Promise)) {
          sample();
          return result;
        }
        return result.then(
          (v: unknown) => {
            sample();
            return v;
          },
          (error: unknown) => {
            sample();
            if (entry) Object.assign(entry, { error: String(error) });
            throw error;
          },
        );
      };
    },
  });
  return { conn: wrapped, timeline, sent, stop: () => clearInterval(timer) };
}

interface Span {
  start: number;
  end: number;
}

function phaseSpans(file: string): Partial<Record<AuditPhase, Span[]>> {
  const measures = performance.getEntriesByType('measure');
  const origin = performance.timeOrigin;
  const spans: Partial<Record<AuditPhase, Span[]>> = {};
  for (const phase of AUDIT_PHASES) {
    const found = MARK_NAMES[phase].flatMap((mark) => {
      const m = measures.filter((x) => x.name === `sz:${mark}:${file}`).at(-1);
      return m ? [{ start: origin + m.startTime, end: origin + m.startTime + m.duration }] : [];
    });
    if (found.length) spans[phase] = found;
  }
  return spans;
}

/** Every stage mark (`sz:<analysis>:<stage>`) of each phase: a phase that failed has those of the stages it finished. */
function stageSpans(): Partial<Record<AuditPhase, Span[]>> {
  const origin = performance.timeOrigin;
  const spans: Partial<Record<AuditPhase, Span[]>> = {};
  for (const m of performance.getEntriesByType('measure')) {
    const analysis = m.name.split(':')[1] ?? '';
    const phase = AUDIT_PHASES.find((p) => MARK_NAMES[p].includes(analysis));
    if (phase)
      (spans[phase] ??= []).push({ start: origin + m.startTime, end: origin + m.startTime + m.duration });
  }
  return spans;
}

function phaseOf(at: number, ...levels: Partial<Record<AuditPhase, Span[]>>[]): AuditPhase | 'between' {
  for (const spans of levels)
    for (const phase of AUDIT_PHASES)
      if (spans[phase]?.some((s) => at >= s.start - 1 && at <= s.end + 1)) return phase;
  return 'between';
}

/**
 * Load `path`, analyse it with the roles the session suggests (profile,
 * readiness, feasibility, the example plan), then drift split at `splitAt`.
 * With `given`, these roles and context are set first, as the CLI's role
 * flags do, and none are suggested: every phase then runs whatever the role
 * suggestion's own statements do on the engine.
 * `makeEngine` receives the measured connector to build the engine around, so
 * a custom loader's statements are measured too. The connector is closed.
 */
export async function engineSessionAudit<C extends Connector>(
  connector: C,
  makeEngine: (conn: C) => SessionEngine,
  path: string,
  splitAt: string,
  given?: { roles: ColumnRoles; context: ProjectContext },
): Promise<EngineAuditResult> {
  const file = basename(path);
  performance.clearMeasures();
  const measured = measuredConnector(connector);
  const session = new AuditSession({ engine: makeEngine(measured.conn), store: memoryAuditStore() });
  const sessionErrors: string[] = [];
  const errorTimes: { at: number; text: string }[] = [];
  session.on('error', (e) => {
    const text = `${e.code}: ${e.message}`.slice(0, 300);
    sessionErrors.push(text);
    errorTimes.push({ at: epochNow(), text });
  });
  let analyse = 'not run';
  let drift = 'not run';
  let summary = '';
  let couldNotRun: string[] = [];
  let findings: string[] = [];
  let rows = 0;
  try {
    const loaded = await session.addSources([await fileSource(path)], {}, { analyse: false });
    const loadedId = session.audit ? primaryDatasetId(session.audit) : undefined;
    if (loaded.loaded.length > 0 && loadedId) {
      if (given)
        await session.edit((audit) => setContext(setRoles(audit, loadedId, given.roles), given.context));
      analyse = await session.analyse({ suggestRoles: !given });
      // The session follows only a finished analysis with these; run them anyway, to measure every phase.
      if (analyse !== 'done') {
        await session.feasibility({ run: true });
        await session.plan();
        analyse += ' (feasibility and plan run anyway)';
      }
      const audit = session.audit;
      const id = audit ? primaryDatasetId(audit) : undefined;
      if (audit && id) {
        rows = audit.datasets.find((d) => d.id === id)?.rowCount ?? 0;
        const outcome = await session.drift({ kind: 'date-split', currentDatasetId: id, splitAt });
        drift = outcome.status + (outcome.message ? `: ${outcome.message.slice(0, 200)}` : '');
        const done = session.audit!;
        couldNotRun = done.findings.filter((f) => /could not run/i.test(f.title)).map((f) => f.title);
        // Dataset ids are random per run: name each by its position so two engines' ids compare.
        const named = (text: string): string =>
          done.datasets.reduce((t, d, i) => t.replaceAll(d.id, `dataset${i + 1}`), text);
        findings = done.findings.map((f) => `${named(f.id)} (${f.severity})`);
        const roles = rolesOf(done, id);
        summary = `target ${roles.target ?? '—'}, event time ${roles.eventTime ?? '—'}, ${done.findings.length} findings`;
      }
    }
  } finally {
    measured.stop();
    await connector.close();
  }
  const spans = phaseSpans(file);
  const stages = stageSpans();
  const phases: Partial<Record<AuditPhase, PhaseCost>> = {};
  for (const [phase, list] of Object.entries(spans) as [AuditPhase, Span[]][])
    phases[phase] = list.reduce(
      (a, s) => ({ wall: a.wall + s.end - s.start, cpu: a.cpu + measured.timeline.between(s.start, s.end) }),
      { wall: 0, cpu: 0 },
    );
  const statements: EngineAuditResult['statements'] = {};
  const failed: FailedStatement[] = [];
  for (const s of measured.sent) {
    const marked = phaseOf(s.at, spans, stages);
    const phase = marked === 'between' && s.error !== undefined ? failedPhase(s.at, errorTimes) : marked;
    statements[phase] = (statements[phase] ?? 0) + 1;
    if (s.error !== undefined)
      failed.push({ phase, fused: s.sql.includes('\u001f'), sql: s.sql, error: s.error.slice(0, 300) });
  }
  return { phases, statements, failed, couldNotRun, findings, sessionErrors, analyse, drift, summary, rows };
}

/**
 * The phase a failed statement outside every mark belonged to: a phase that
 * fails leaves no mark, but the session's next error names it ("The readiness
 * failed while …").
 */
function failedPhase(at: number, errors: readonly { at: number; text: string }[]): AuditPhase | 'between' {
  const next = errors.find((e) => e.at >= at);
  const phase = next && /The ([\w-]+) failed/.exec(next.text)?.[1];
  return AUDIT_PHASES.find((p) => p === phase) ?? 'between';
}

/** The engine for a plain Node connector: the shared loader, as the app's session uses. */
export const sharedLoaderEngine = (conn: Connector): SessionEngine => ({
  connector: conn,
  decoders: nodeDecoders,
});
