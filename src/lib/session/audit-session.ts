import { newAudit, nowIso } from '../core/model/document';
import * as edits from '../core/audit/edits';
import type { AuditDocument, ColumnRoles, ProjectContext } from '../core/model/audit';
import type { DriftRequest } from '../core/drift/request';
import type { MetricPlan } from '../core/model/plan';
import { checksToRerun } from '../core/readiness/registry';
import { dropTableQuery, previewPageQuery } from '../core/sql/table';
import type { DataSource, Row } from '../engine/connector';
import { errorText } from '../engine/errors';
import type { LoadedDataset } from '../engine/load-dataset';
import { ReadinessSetupMemo } from './setup-memo';
import { QueryRunner } from './query-runner';
import { timeRoleProblem } from './roles';
import { withAnalysisResults } from './analyse';
import { analyseLoaded } from './analyse-task';
import { loadSources } from './loading';
import { runDrift, type DriftOutcome, type DriftRunOptions } from './drift';
import { computePlan, savePlan, type PlanOutcome } from './plan';
import { computeFeasibility, type FeasibilityOptions, type FeasibilityOutcome } from './feasibility';
import {
  computeRelations,
  editRelations,
  type RelationsOptions,
  type RelationsOutcomeStatus,
} from './relations';
import * as relationEdits from '../core/relations/document';
import type { RelationLink } from '../core/model/relations';
import { Emitter } from './events';
import type { AuditStorePort } from './store-port';
import { TaskQueue, type TaskContext, type TaskState } from './task-queue';
import {
  SessionError,
  type AnalyseOptions,
  type AnalyseOutcome,
  type AuditSessionOptions,
  type LoadOutcome,
  type RolesOutcome,
  type SessionEngine,
  type SessionErrorCode,
  type SessionEvents,
  type SessionHost,
  type SessionLoadOptions,
} from './types';

/** Context fields the metric plan's SQL reads: a change recomputes the plan. */
const PLAN_CONTEXT_KEYS = ['task', 'positiveClass', 'asOf', 'historyFrom'] as const;

/**
 * One open audit and the data behind it, without any UI: the app and the CLI
 * both drive it.
 *
 * It owns the dataset → table registry, loads and reloads files, removes
 * datasets (dropping their tables), serves preview pages, and analyses
 * (profile, then readiness, re-running only the checks a role or context
 * change affects). Long tasks run one at a time through a queue, can be
 * cancelled, and report progress as events. Every change to the document is a
 * pure function from `core/audit/edits`; the session applies it, then saves
 * through the store port. A failed save is reported as an `error` event
 * (`save-failed`) and the edit stays in memory.
 *
 * Extension point: a new capability (drift, metric plan…) adds a method that
 * calls `runTask` for engine work (queued, cancellable, with progress), reads
 * the engine with `engine()` and `tableName()`, and changes the document with
 * `edit` and a pure function from `core/`. Nothing else here needs to change.
 */
export class AuditSession implements SessionHost {
  readonly #events = new Emitter<SessionEvents>((error) => console.error(error));
  readonly #queue: TaskQueue;
  readonly #store: AuditStorePort;
  readonly #newId: () => string;
  readonly #engineSource: AuditSessionOptions['engine'];
  #engine: Promise<SessionEngine> | undefined;
  #audit: AuditDocument | undefined;
  #tables = new Map<string, LoadedDataset>();
  /** The sources behind loaded datasets, kept in memory only, so they can be re-read with other options. */
  #sources = new Map<string, DataSource>();
  readonly readinessSetups = new ReadinessSetupMemo();

  constructor(options: AuditSessionOptions) {
    this.#store = options.store;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#engineSource = options.engine;
    this.#queue = new TaskQueue((task) => this.#events.emit('task', task));
  }

  /** Subscribe to an event; returns the function that unsubscribes. */
  on<K extends keyof SessionEvents>(event: K, listener: (payload: SessionEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The open document, if any. */
  get audit(): AuditDocument | undefined {
    return this.#audit;
  }

  /** Datasets loaded in this session, by dataset id. Client rows live only in the engine. */
  get tables(): ReadonlyMap<string, LoadedDataset> {
    return this.#tables;
  }

  /** The running task, if any. */
  get task(): TaskState | undefined {
    return this.#queue.current;
  }

  /** The DuckDB table of a loaded dataset. */
  tableName(datasetId: string): string | undefined {
    return this.#tables.get(datasetId)?.tableName;
  }

  /** DuckDB table of each loaded dataset, by dataset id: the one place this map is built. */
  tableMap(): Readonly<Record<string, string>> {
    return Object.fromEntries([...this.#tables].map(([id, d]) => [id, d.tableName]));
  }

  /** Whether a dataset's file is still in memory, so it can be re-read with other options. */
  canReload(datasetId: string): boolean {
    return this.#sources.has(datasetId) && this.#tables.has(datasetId);
  }

  /** The engine, started on first use. A failed start is retried on the next call. */
  engine(): Promise<SessionEngine> {
    const source = this.#engineSource;
    this.#engine ??= typeof source === 'function' ? source() : Promise.resolve(source);
    this.#engine.catch(() => (this.#engine = undefined));
    return this.#engine;
  }

  /** Queue engine work as a task: cancellable, with progress, after every earlier task. */
  runTask<T>(label: string, body: (task: TaskContext) => Promise<T>): Promise<T> {
    return this.#queue.run(label, body);
  }

  /** Cancel the running task. */
  cancel(): void {
    this.#queue.cancel();
  }

  /**
   * Apply a pure edit to the open document and save it. Resolves to false when
   * there is no document or the save failed (reported as an `error` event; the
   * edit stays in memory).
   */
  async edit(change: (audit: AuditDocument) => AuditDocument): Promise<boolean> {
    const audit = this.#audit;
    if (!audit) return false;
    const next = change(audit);
    if (next === audit) return true;
    return this.#commit(next);
  }

  /** Make a document the open one without saving it (a new audit, a demo, the CLI's run). */
  open(audit: AuditDocument): void {
    this.#setAudit(audit);
  }

  /** Open a saved audit by id. Resolves to false (after an `error` event) when it cannot be opened. */
  async openSaved(id: string): Promise<boolean> {
    try {
      const audit = await this.#store.load(id);
      if (!audit) {
        this.#fail('not-found', 'That audit no longer exists.');
        return false;
      }
      this.#setAudit(audit);
      return true;
    } catch (error) {
      this.#fail('open-failed', `This saved audit cannot be opened: ${errorText(error)}`, error);
      return false;
    }
  }

  /** Close the open document. Loaded tables stay, so reopening the audit finds its data. */
  close(): void {
    this.#setAudit(undefined);
  }

  /**
   * Load files into the open audit (or a new one named after the first file),
   * one after another, then save it and, unless told not to, analyse it.
   */
  async addSources(
    sources: readonly DataSource[],
    options: SessionLoadOptions = {},
    then: { analyse?: boolean } = {},
  ): Promise<LoadOutcome> {
    const outcome: LoadOutcome = { loaded: [], failed: [], cancelled: false };
    if (sources.length === 0) return outcome;
    const label = sources.length === 1 ? `Loading ${sources[0]!.name}` : `Loading ${sources.length} files`;
    await this.runTask(label, (task) => this.#load(sources, options, task, outcome));
    if (outcome.loaded.length > 0 && !outcome.cancelled && then.analyse !== false) await this.analyse();
    return outcome;
  }

  async #load(
    sources: readonly DataSource[],
    options: SessionLoadOptions,
    task: TaskContext,
    outcome: LoadOutcome,
  ): Promise<void> {
    let audit = this.#audit ?? newAudit(sources[0]!.name.replace(/\.[^.]*$/, ''), this.#newId());
    let engine: SessionEngine;
    try {
      engine = await this.engine();
    } catch (error) {
      const failure = this.#fail(
        'engine-failed',
        `The data engine could not start: ${errorText(error)}`,
        error,
      );
      outcome.failed.push(...sources.map((s) => ({ name: s.name, error: failure })));
      return;
    }
    const registry = { tables: this.#tables, sources: this.#sources };
    const result = await loadSources(engine, sources, audit, registry, options, task, {
      tablesChanged: () => {
        this.readinessSetups.forget();
        this.#events.emit('tables', this.#tables);
      },
      notice: (notice) => this.#events.emit('notice', notice),
      failed: (name, message, error) =>
        outcome.failed.push({ name, error: this.#fail('load-failed', message, error) }),
    });
    audit = result.audit;
    outcome.loaded.push(...result.loaded);
    outcome.cancelled = task.signal.aborted;
    if (outcome.loaded.length === 0) return;
    // Edits made while the files loaded (a rename, a waiver) are kept. Datasets change only
    // inside queued tasks, so this task's list is the current one.
    const latest = this.#audit?.id === audit.id ? this.#audit : audit;
    await this.#commit({ ...latest, datasets: audit.datasets, primaryDatasetId: audit.primaryDatasetId });
  }

  /** Re-read a loaded file with other options: another sheet, delimiter, header or encoding. */
  async reload(datasetId: string, options: SessionLoadOptions): Promise<LoadOutcome | undefined> {
    const source = this.#sources.get(datasetId);
    if (!source) {
      this.#events.emit('notice', {
        kind: 'warning',
        text: 'Choose the file again first: its data is not in memory.',
      });
      return undefined;
    }
    return this.addSources([source], options);
  }

  /** Remove a dataset from the audit, with its profile, roles and findings, and drop its table. */
  async removeDataset(datasetId: string): Promise<void> {
    const audit = this.#audit;
    if (!audit) return;
    const before = edits.primaryDatasetId(audit);
    // Inside the queue: datasets change only in tasks, so a load cannot bring this one back.
    await this.#queue.run(`Removing a dataset`, async () => {
      const loaded = this.#tables.get(datasetId);
      if (loaded) {
        const { connector } = await this.engine();
        await connector.exec(dropTableQuery(loaded.tableName));
        this.#tables.delete(datasetId);
        this.#sources.delete(datasetId);
        this.readinessSetups.forget();
        this.#events.emit('tables', this.#tables);
      }
      await this.edit((current) => edits.removeDataset(current, datasetId));
    });
    const after = this.#audit ? edits.primaryDatasetId(this.#audit) : undefined;
    if (after !== undefined && after !== before) await this.analyse();
    // Relations through the removed dataset go with it.
    else if (this.#audit?.relationState) await this.relations();
  }

  /** A page of a loaded dataset's rows for the preview; never the whole table. */
  async previewPage(datasetId: string, offset: number, limit: number): Promise<Row[]> {
    const table = this.tableName(datasetId);
    if (!table) throw new SessionError('load-failed', 'This dataset’s data is not in memory.');
    const { connector } = await this.engine();
    return connector.query(previewPageQuery(table, offset, limit));
  }

  /**
   * Profile the loaded datasets and run the readiness checks, as a queued,
   * cancellable task. Roles start from the suggestions the first time; the
   * user edits them after. Results are merged into the latest document, so
   * edits made while it ran are kept.
   */
  async analyse(options: AnalyseOptions = {}): Promise<AnalyseOutcome> {
    const label = options.onlyChecks ? 'Re-running affected checks' : 'Profiling and auditing';
    const outcome = await this.runTask(label, (task) => this.#analyse(options, task));
    // Relations, the feasibility baselines, then the metric plan's follow every analysis, so their findings join the verdict.
    if (outcome === 'done') {
      await this.relations({
        ...(options.discoverRelations !== undefined ? { discover: options.discoverRelations } : {}),
        acceptSuggestions: options.acceptSuggestedRelations === true,
      });
      await this.feasibility({ run: options.baselines !== false });
      if (options.plan !== false) await this.plan();
    }
    return outcome;
  }

  /**
   * Train the baselines on the assessed dataset (signal, learning curve, label
   * noise) as a queued task and save them with their findings and the band;
   * see `computeFeasibility`. Every analysis is followed by this.
   */
  feasibility(options?: FeasibilityOptions): Promise<FeasibilityOutcome> {
    return computeFeasibility(this, options);
  }

  /**
   * Check the relations between the loaded datasets (suggested keys, orphans,
   * fan-out, point in time) as a queued task and save them with their findings;
   * see `computeRelations`. Every analysis runs this before the baselines.
   */
  async relations(options?: RelationsOptions): Promise<RelationsOutcomeStatus> {
    const outcome = await computeRelations(this, options);
    if (outcome.status === 'failed')
      this.#fail('analysis-failed', outcome.message ?? 'The relation checks failed.');
    if (outcome.warning) this.#events.emit('notice', { kind: 'warning', text: outcome.warning });
    return outcome;
  }

  /** Accept a relation (named by the user, or a suggestion), then check the relations again. */
  acceptRelation(link: RelationLink, origin: 'user' | 'suggested' = 'user'): Promise<RelationsOutcomeStatus> {
    return editRelations(this, (audit) => relationEdits.acceptRelation(audit, link, origin));
  }

  /** Dismiss a suggestion (never suggested again), then check the relations again. */
  dismissRelation(link: RelationLink): Promise<RelationsOutcomeStatus> {
    return editRelations(this, (audit) => relationEdits.dismissSuggestion(audit, link));
  }

  /** Remove an accepted relation with its results and findings, then check the relations again. */
  removeRelation(link: RelationLink): Promise<RelationsOutcomeStatus> {
    return editRelations(this, (audit) => relationEdits.removeRelation(audit, link));
  }

  /**
   * Compute the metric plan's baselines and checks on the assessed dataset, as
   * a queued task, and save them; with `plan`, that plan is checked (else the
   * saved one). Every analysis is followed by this; see `computePlan`.
   */
  plan(plan?: MetricPlan): Promise<PlanOutcome> {
    return computePlan(this, plan);
  }

  /** Save an edited plan: re-evaluated at once, recomputed when its SQL changes (see `savePlan`). */
  savePlan(plan: MetricPlan | undefined): Promise<PlanOutcome> {
    return savePlan(this, plan);
  }

  async #analyse(options: AnalyseOptions, task: TaskContext): Promise<AnalyseOutcome> {
    const audit = this.#audit;
    if (!audit) return 'no-audit';
    let early: AuditDocument | undefined;
    const run = await analyseLoaded(this, audit, options, task, {
      notice: (notice) => this.#events.emit('notice', notice),
      rolesSuggested: (suggested) => this.#events.emit('roles-suggested', suggested),
      // The profile's numbers show while readiness runs: in memory only, saved with the rest.
      profiled: (working) => {
        const current = this.#audit;
        if (current?.id !== working.id) return;
        early = { ...current, profiles: { ...current.profiles, ...working.profiles } };
        this.#setAudit(early);
      },
    });
    if (run.status === 'failed') this.#fail('analysis-failed', run.message, run.error);
    if (run.status !== 'done') {
      // Nothing of a cancelled or failed run is kept: the early profiles go with it.
      if (early && this.#audit === early) this.#setAudit(audit);
      return run.status;
    }
    const latest = this.#audit?.id === run.working.id ? this.#audit : run.working;
    await this.#commit(edits.withDerivedVerdict(withAnalysisResults(audit, run.working, latest)));
    return 'done';
  }

  /**
   * Why these roles cannot be set, or undefined when they can: a column newly
   * given a time role (event or outcome time) must read as time (dates, date
   * text, years, yyyymm, yyyymmdd or epoch numbers), judged on its loaded data
   * by `checkTimeRole`. Without the data in memory only a DATE or TIMESTAMP
   * column is accepted. Roles already set are not judged again.
   */
  async timeRoleProblem(datasetId: string, roles: ColumnRoles): Promise<string | undefined> {
    const audit = this.#audit;
    if (!audit) return undefined;
    return timeRoleProblem(audit, datasetId, roles, this.tableName(datasetId), async () => this.#runner());
  }

  /**
   * Change column roles and re-run only the checks that depend on what
   * changed. A time role on a column that cannot be read as time is refused
   * (an `error` event, `role-refused`, and nothing changes); resolves to
   * whether the roles were set and, when not, why.
   */
  async setRoles(datasetId: string, roles: ColumnRoles): Promise<RolesOutcome> {
    const audit = this.#audit;
    if (!audit) return { set: false, reason: 'No audit is open.' };
    let problem: string | undefined;
    try {
      problem = await this.timeRoleProblem(datasetId, roles);
    } catch (error) {
      problem = `The time column could not be checked: ${errorText(error)}`;
    }
    if (problem !== undefined) {
      this.#fail('role-refused', problem);
      return { set: false, reason: problem };
    }
    const before = edits.rolesOf(audit, datasetId);
    const rerun = checksToRerun({ roles: before, context: audit.context }, { roles, context: audit.context });
    await this.edit((current) => edits.setRoles(current, datasetId, roles));
    const onPrimary = this.#audit !== undefined && edits.primaryDatasetId(this.#audit) === datasetId;
    if (rerun.length > 0 && onPrimary && this.#tables.has(datasetId))
      await this.analyse({ onlyChecks: rerun });
    else {
      // A child's event time is the other side of the point-in-time check.
      if (before.eventTime !== roles.eventTime) await this.relations();
      // Roles the checks don't read (an excluded column, a segment) still change the baselines' features.
      await this.feasibility();
      await this.plan();
    }
    return { set: true };
  }

  /** Change the project context (as-of date, task…) and re-run the dependent checks. */
  async setContext(patch: Partial<ProjectContext>): Promise<void> {
    const audit = this.#audit;
    if (!audit) return;
    const primaryId = edits.primaryDatasetId(audit);
    const roles = edits.rolesOf(audit, primaryId);
    const next = edits.setContext(audit, patch);
    const rerun = checksToRerun({ roles, context: audit.context }, { roles, context: next.context });
    await this.edit((current) => edits.setContext(current, patch));
    if (rerun.length > 0 && primaryId && this.#tables.has(primaryId))
      await this.analyse({ onlyChecks: rerun });
    // Only what changes the plan's SQL (labels, the positive class, valid times) recomputes it.
    else if (PLAN_CONTEXT_KEYS.some((key) => key in patch)) {
      await this.feasibility();
      await this.plan();
    }
  }

  /**
   * Measure drift as a queued task (comparison, history, findings in the `drift`
   * area, monitoring contract) and save it in the audit; see `runDrift`.
   */
  drift(request: DriftRequest, options?: DriftRunOptions): Promise<DriftOutcome> {
    return runDrift(this, request, options);
  }

  /**
   * Make a dataset the one the readiness checks run on (saved in the audit),
   * and run them: its roles are suggested when it has none, and the task
   * follows its target's values.
   */
  async setPrimary(datasetId: string): Promise<void> {
    const audit = this.#audit;
    if (!audit || edits.primaryDatasetId(audit) === datasetId) return;
    await this.edit((current) => edits.setPrimary(current, datasetId));
    await this.analyse({ taskFromTarget: true });
  }

  /** Waive a finding with a reason; the verdict ignores waived findings. */
  waive(findingId: string, reason: string): Promise<boolean> {
    return this.edit((audit) => edits.waive(audit, findingId, reason, nowIso()));
  }

  unwaive(findingId: string): Promise<boolean> {
    return this.edit((audit) => edits.unwaive(audit, findingId));
  }

  /** Attach a note to a finding (one per finding; an empty text removes it). */
  setNote(findingId: string, text: string): Promise<boolean> {
    return this.edit((audit) => edits.note(audit, findingId, text, nowIso()));
  }

  rename(name: string): Promise<boolean> {
    return this.edit((audit) => edits.rename(audit, name));
  }

  /** A runner on the engine, for one-off statements outside a task (a role check). */
  async #runner(): Promise<QueryRunner> {
    return new QueryRunner((await this.engine()).connector);
  }

  #setAudit(audit: AuditDocument | undefined): void {
    this.#audit = audit;
    this.#events.emit('audit', audit);
  }

  /** Make a document current, then save it; a failed save is reported and the document kept. */
  async #commit(next: AuditDocument): Promise<boolean> {
    this.#setAudit(next);
    try {
      const saved = await this.#store.save(next);
      // A newer edit made while this one was saved wins; it is being saved too.
      if (this.#audit === next) this.#setAudit(saved);
      return true;
    } catch (error) {
      this.#fail(
        'save-failed',
        `This change could not be saved: ${errorText(error)} It is kept in this tab only; export the audit file to keep a copy.`,
        error,
      );
      return false;
    }
  }

  #fail(code: SessionErrorCode, message: string, cause?: unknown): SessionError {
    const error = new SessionError(code, message, cause);
    this.#events.emit('error', error);
    return error;
  }
}
