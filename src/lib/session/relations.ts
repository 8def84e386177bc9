import { relationsAnalysis, relationsOutcome } from '../core/relations/analysis';
import { acceptRelation, isRelationFinding, relationsInput, withRelations } from '../core/relations/document';
import { withReplacedFindings } from '../core/audit/edits';
import type { AuditDocument } from '../core/model/audit';
import { sameLink, type RelationLink } from '../core/model/relations';
import type { RelationsInput, RelationsOutcome } from '../core/relations/types';
import type { StageFailure } from '../core/pipeline/stage';
import { AnalysisError, QueryRunner } from './query-runner';
import type { TaskContext } from './task-queue';
import type { SessionHost } from './types';

export interface RelationsOptions {
  /**
   * Suggest relations from the keys (default: as the last run did, else true);
   * false is the CLI's `--no-suggest`.
   */
  discover?: boolean;
  /** Accept every suggestion found, then measure it: the CLI without `--relation`. */
  acceptSuggestions?: boolean;
}

export interface RelationsOutcomeStatus {
  status: 'done' | 'skipped' | 'no-audit' | 'cancelled' | 'failed';
  message?: string;
  /** The suggestions this run accepted (`acceptSuggestions`). */
  accepted?: RelationLink[];
  /** Statements that failed while the rest went on: their figures are missing. */
  warning?: string;
}

/** The link alone, without what discovery measured. */
const linkOf = (link: RelationLink): RelationLink => ({
  child: { dataset: link.child.dataset, column: link.child.column },
  parent: { dataset: link.parent.dataset, column: link.parent.column },
});

/** Accept links not accepted yet, as suggestions. */
function withAccepted(audit: AuditDocument, links: readonly RelationLink[]): AuditDocument {
  const known = audit.relationState?.accepted ?? [];
  return links
    .filter((link) => !known.some((a) => sameLink(a, link)))
    .reduce((doc, link) => acceptRelation(doc, link, 'suggested'), audit);
}

/**
 * With fewer than two tables nothing joins: the measurements, suggestions and
 * findings go, the decisions (accepted, dismissed) stay for when the files are back.
 */
function withoutRelations(audit: AuditDocument): AuditDocument {
  const state = audit.relationState;
  const stale = audit.relations !== undefined || (state?.suggestions.length ?? 0) > 0;
  if (!stale && !audit.findings.some(isRelationFinding)) return audit;
  const { relations: _dropped, ...rest } = audit;
  const cleared = withReplacedFindings(rest, isRelationFinding, []);
  return state ? { ...cleared, relationState: { ...state, suggestions: [] } } : cleared;
}

/** Progress as a reader sees it: "Relations: checking subscriptions.csv → customers.csv". */
function progressLabel(label: string): string {
  if (/^relations\b/i.test(label)) return label;
  return `Relations: ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

async function measure(
  runner: QueryRunner,
  input: RelationsInput,
  task: TaskContext,
  pass: { index: number; of: number },
): Promise<RelationsOutcome & { failures: StageFailure[] }> {
  const state = await runner.run(
    relationsAnalysis(input),
    {},
    {
      signal: task.signal,
      onProgress: (p) =>
        task.progress(progressLabel(p.label), (pass.index + p.done / Math.max(1, p.total)) / pass.of),
      subject: 'all',
    },
  );
  return { ...relationsOutcome(state), failures: state.failures ?? [] };
}

/** The failed statements in one sentence, or undefined when none failed. */
function failureWarning(failures: readonly StageFailure[]): string | undefined {
  const first = failures[0];
  if (!first) return undefined;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
  return `Some relation checks could not run${more}, so their figures are missing: ${first.message}.`;
}

/**
 * Check the relations between the loaded datasets as a queued, cancellable
 * task: discover candidate keys (unless told not to), measure every accepted
 * relation in SQL (orphans, duplicates, fan-out, point in time), and save the
 * suggestions, results and findings with the verdict. Every analysis runs this
 * before the feasibility baselines, so its findings are in the verdict they read.
 */
export async function computeRelations(
  session: SessionHost,
  options: RelationsOptions = {},
): Promise<RelationsOutcomeStatus> {
  if (!session.audit) return { status: 'no-audit' };
  return session.runTask('Checking related tables', async (task): Promise<RelationsOutcomeStatus> => {
    const audit = session.audit;
    if (!audit) return { status: 'no-audit' };
    const tables = session.tableMap();
    const discover = options.discover ?? audit.relationState?.discovery !== 'off';
    const input = relationsInput(audit, tables, { discover });
    const mine = (change: (current: AuditDocument) => AuditDocument) =>
      session.edit((current) => (current.id === audit.id ? change(current) : current));
    if (!input) {
      await mine(withoutRelations);
      return { status: 'skipped', message: 'Relations need at least two loaded tables.' };
    }
    try {
      const { connector } = await session.engine();
      const runner = new QueryRunner(connector);
      const started = performance.now();
      const passes = options.acceptSuggestions ? 2 : 1;
      let outcome = await measure(runner, input, task, { index: 0, of: passes });
      const failures = [...outcome.failures];
      let accepted: RelationLink[] = [];
      if (options.acceptSuggestions && outcome.suggestions.length > 0) {
        accepted = outcome.suggestions.map(linkOf);
        // Discovery ran on the first pass; the second measures what it found.
        const next = relationsInput(withAccepted(audit, accepted), tables, { discover: false });
        if (next) {
          outcome = await measure(runner, next, task, { index: 1, of: passes });
          failures.push(...outcome.failures);
        }
      }
      const computedAt = new Date().toISOString();
      const durationMs = Math.round(performance.now() - started);
      await mine((current) =>
        withRelations(withAccepted(current, accepted), outcome, {
          discovery: discover ? 'ran' : 'off',
          computedAt,
          durationMs,
        }),
      );
      const warning = failureWarning(failures);
      return { status: 'done', accepted, ...(warning ? { warning } : {}) };
    } catch (error) {
      if (task.signal.aborted || (error instanceof AnalysisError && error.code === 'cancelled'))
        return { status: 'cancelled' };
      return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** Apply a decision about a relation (accept, dismiss, remove), then check the relations again. */
export async function editRelations(
  session: SessionHost,
  change: (audit: AuditDocument) => AuditDocument,
): Promise<RelationsOutcomeStatus> {
  if (!(await session.edit(change))) return { status: 'no-audit' };
  return computeRelations(session);
}
