import { newAudit } from '../core/model/document';
import { primaryDatasetId, rolesOf } from '../core/audit/edits';
import type { AuditDocument, ColumnRoles, DatasetRef, ProjectContext } from '../core/model/audit';
import type { Row } from '../engine/connector';
import type { LoadedDataset } from '../engine/load-dataset';
import { AuditSession, type AnalyseOptions, type RolesOutcome, type SessionLoadOptions } from '../session';
import { savedAudits } from '../store/audits';
import { workerSavedAudits } from '../store/worker-store';
import { exampleChurnPlan } from '../core/plan/summary';
import { browserEngine, browserFileSource } from './engine-session';
import { Job } from './job.svelte';
import { AuditImport } from './landing/audit-import.svelte';
import { DEMO_AUDIT_NAME, DEMO_CONTEXT, DEMO_SOURCE_COLUMN, fetchDemoFile } from './landing/demo';
import { roleSuggestionsFor } from './readiness/role-editor';
import type { RoleSuggestions } from '../core/readiness/roles';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

const newId = (): string => crypto.randomUUID();
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The app's reactive state around one headless `AuditSession`: what is open
 * and selected, the route (`location.hash`), notices and downloads. The
 * session does the work; this mirrors its events into runes for the components.
 */
export class AppState {
  readonly session: AuditSession;
  audit = $state<AuditDocument | undefined>(undefined);
  /** Tables loaded in this page session, by dataset id. Client data is not persisted. */
  loaded = $state<Record<string, LoadedDataset>>({});
  job = $state<Job | undefined>(undefined);
  notices = $state<Notice[]>([]);
  selectedDatasetId = $state<string | undefined>(undefined);
  /** The audit file being imported, one at a time, with its step, question and cancel. */
  importing = $state<AuditImport | undefined>(undefined);
  /** The demo's file is being fetched and loaded: the empty audit says so instead of asking for a file. */
  loadingDemo = $state(false);
  /** The session's suggestions, whose time roles were checked against the data, by dataset id. */
  #checkedSuggestions = $state<Record<string, RoleSuggestions>>({});
  #noticeId = 0;

  constructor(session = new AuditSession({ engine: browserEngine, store: workerSavedAudits(), newId })) {
    this.session = session;
    session.on('audit', (audit) => (this.audit = audit));
    session.on('tables', (tables) => (this.loaded = Object.fromEntries(tables)));
    session.on('task', (task) => {
      if (!task) this.job = undefined;
      else if (this.job?.id === task.id) this.job.update(task);
      else this.job = new Job(task, () => session.cancel());
    });
    session.on('notice', (notice) => this.notify(notice.kind, notice.text));
    session.on('error', (error) => this.notify('error', error.message));
    session.on('roles-suggested', ({ datasetId, suggestions }) => {
      this.#checkedSuggestions = { ...this.#checkedSuggestions, [datasetId]: suggestions };
    });
  }

  notify(kind: Notice['kind'], text: string): void {
    this.notices = [...this.notices, { id: ++this.#noticeId, kind, text }];
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  get selectedDataset(): DatasetRef | undefined {
    return this.audit?.datasets.find((d) => d.id === this.selectedDatasetId) ?? this.audit?.datasets[0];
  }

  /** Open a saved audit by id. */
  async open(id: string): Promise<void> {
    if (!(await this.session.openSaved(id)) || !this.audit) return;
    this.selectedDatasetId = primaryDatasetId(this.audit);
    location.hash = `#/audit/${id}`;
  }

  close(): void {
    this.session.close();
    this.selectedDatasetId = undefined;
    location.hash = '#/';
  }

  /** Start a new audit from dropped files (or add them to the open one), then analyse it. */
  async addFiles(files: File[], options: SessionLoadOptions = {}): Promise<void> {
    const outcome = await this.session.addSources(files.map(browserFileSource), options, { analyse: false });
    const last = outcome.loaded.at(-1);
    if (last) this.selectedDatasetId = last;
    if (this.audit && this.audit.datasets.length > 0) location.hash = `#/audit/${this.audit.id}`;
    if (last && !outcome.cancelled) await this.analyse();
  }

  /** Re-read a loaded file with other options: another sheet, delimiter, header or encoding. */
  async reload(datasetId: string, options: SessionLoadOptions): Promise<void> {
    await this.session.reload(datasetId, options);
  }

  canReload(datasetId: string): boolean {
    return this.loaded[datasetId] !== undefined && this.session.canReload(datasetId);
  }

  /** Role suggestions with reasons for a dataset, from its profile. */
  suggestionsFor(datasetId: string): RoleSuggestions | undefined {
    const checked = this.#checkedSuggestions[datasetId];
    const columns = this.audit?.datasets.find((d) => d.id === datasetId)?.columns ?? [];
    // Kept only while the dataset still has those columns (a reload may read another sheet).
    if (checked?.suggestions.every((s) => columns.some((c) => c.name === s.column))) return checked;
    return this.audit ? roleSuggestionsFor(this.audit, datasetId) : undefined;
  }

  /** Profile and audit; the session follows every analysis with the metric plan. */
  analyse(options: AnalyseOptions = {}): Promise<unknown> {
    return this.session.analyse(options);
  }

  /** Set column roles; a time role on a column that is not time is refused (with the reason). */
  setRoles(datasetId: string, roles: ColumnRoles): Promise<RolesOutcome> {
    return this.session.setRoles(datasetId, roles);
  }

  setContext(patch: Partial<ProjectContext>): Promise<void> {
    return this.session.setContext(patch);
  }

  async removeDataset(datasetId: string): Promise<void> {
    await this.session.removeDataset(datasetId);
    this.selectedDatasetId = this.audit ? primaryDatasetId(this.audit) : undefined;
  }

  /** Make another dataset the assessed one (saved in the audit): readiness and the plan's baselines run on it. */
  async setAssessedDataset(datasetId: string): Promise<void> {
    await this.session.setPrimary(datasetId);
  }

  waive(findingId: string, reason: string): Promise<boolean> {
    return this.session.waive(findingId, reason);
  }

  unwaive(findingId: string): Promise<boolean> {
    return this.session.unwaive(findingId);
  }

  setNote(findingId: string, text: string): Promise<boolean> {
    return this.session.setNote(findingId, text);
  }

  rename(name: string): Promise<boolean> {
    return this.session.rename(name);
  }

  /** A page of rows for the preview; never the whole table. */
  previewPage(datasetId: string, offset: number, limit: number): Promise<Row[]> {
    return this.session.previewPage(datasetId, offset, limit);
  }

  /** Load the bundled demo extract with its story's context. */
  async tryDemo(): Promise<void> {
    this.loadingDemo = true;
    try {
      const file = await fetchDemoFile();
      // The demo opens with an example metric plan for its churn story (300 retention calls a month).
      this.session.open({
        ...newAudit(DEMO_AUDIT_NAME, newId()),
        context: { ...DEMO_CONTEXT },
        plan: { plan: exampleChurnPlan() },
      });
      await this.addFiles([file]);
      // The story names the three merged systems, so the demo sets the source role the app
      // otherwise only offers: its planted source problems show on the first verdict.
      const id = this.audit ? primaryDatasetId(this.audit) : undefined;
      if (this.audit && id && !rolesOf(this.audit, id).source)
        await this.setRoles(id, { ...rolesOf(this.audit, id), source: DEMO_SOURCE_COLUMN });
    } catch (error) {
      this.notify('error', `The demo dataset could not be loaded: ${messageOf(error)}`);
    } finally {
      this.loadingDemo = false;
    }
  }

  /** Delete a saved audit, closing it when it is the open one. */
  async remove(id: string): Promise<void> {
    await savedAudits().remove(id);
    if (this.audit?.id === id) this.close();
  }

  /**
   * Import a shared audit file in a worker (read, validated, masked, saved),
   * with its progress and a cancel in `importing`. Invalid files are refused
   * whole; a file asking to keep personal values asks the user first.
   */
  async importFile(file: File): Promise<void> {
    if (this.importing) {
      this.notify('warning', `“${file.name}” was not imported: finish or cancel the import under way first.`);
      return;
    }
    const job = new AuditImport(file);
    this.importing = job;
    const outcome = await job.run();
    this.importing = undefined;
    if (outcome.kind === 'failed') this.notify('error', outcome.message);
    else if (outcome.kind === 'cancelled')
      this.notify('info', `The import of “${file.name}” was cancelled; nothing was saved.`);
    else
      this.notify(
        'info',
        outcome.keptValues
          ? `Imported audit “${outcome.name}”, with its personal values kept, as you chose.`
          : outcome.maskedValues > 0
            ? `Imported audit “${outcome.name}”; ${outcome.maskedValues.toLocaleString('en-US')} personal value${outcome.maskedValues === 1 ? '' : 's'} masked.`
            : `Imported audit “${outcome.name}”.`,
      );
  }
}

export const app = new AppState();
