import { newAudit, nowIso } from '../core/audit/document';
import { withDataset } from '../core/audit/edits';
import { toDatasetRef } from '../engine/dataset-ref';
import type { AuditDocument, ColumnRoles, DatasetRef, ProjectContext } from '../core/audit/schema';
import { checksToRerun } from '../core/readiness/registry';
import { roleStatsFromProfile, suggestRoles, type RoleSuggestions } from '../core/readiness/roles';
import { verdictFor } from '../core/readiness/verdict';
import { runAnalysis as runAuditPipeline } from '../session/analyse';
import { auditHtmlReport } from '../report/html-report';
import { loadDataset, type LoadedDataset, type LoadOptions, type LoadProgress } from '../engine/load-dataset';
import { browserFileSource } from '../engine/browser-source';
import { LoadError, errorText } from '../engine/errors';
import { dropTableQuery, previewPageQuery } from '../core/sql/table';
import type { Row } from '../engine/connector';
import { auditDB } from '../store/db';
import { getAudit, saveAudit, deleteAudit, importAudit } from '../store/audits';
import { engineSession } from './engine-session';
import { Job } from './job.svelte';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

const STAGE_LABEL: Record<LoadProgress['stage'], string> = {
  reading: 'Reading file',
  decoding: 'Decoding',
  loading: 'Loading into DuckDB',
  finishing: 'Checking columns',
};

function newId(): string {
  return crypto.randomUUID();
}

/**
 * The app's state and the actions the UI may take. Components stay thin:
 * they render this state and call these methods.
 */
export class AppState {
  audit = $state<AuditDocument | undefined>(undefined);
  /** Tables loaded in this page session, by dataset id. Client data is not persisted. */
  loaded = $state<Record<string, LoadedDataset>>({});
  job = $state<Job | undefined>(undefined);
  notices = $state<Notice[]>([]);
  selectedDatasetId = $state<string | undefined>(undefined);
  /** The files behind loaded datasets, kept for this session only, so they can be re-read with other options. */
  // Not reactive on purpose: files are looked up on demand, never rendered.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #files = new Map<string, File>();
  #noticeId = 0;
  #chain: Promise<unknown> = Promise.resolve();

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
    try {
      const audit = await getAudit(auditDB(), id);
      if (!audit) {
        this.notify('error', 'That audit no longer exists.');
        return;
      }
      this.audit = audit;
      this.selectedDatasetId = audit.primaryDatasetId ?? audit.datasets[0]?.id;
      location.hash = `#/audit/${id}`;
    } catch (error) {
      this.notify('error', `This saved audit cannot be opened: ${errorText(error)}`);
    }
  }

  close(): void {
    this.audit = undefined;
    this.selectedDatasetId = undefined;
    location.hash = '#/';
  }

  /** Start a new audit from dropped files (or add them to the open one). */
  async addFiles(files: File[], options: Omit<LoadOptions, 'signal' | 'onProgress'> = {}): Promise<void> {
    if (files.length === 0) return;
    const loadedAny = await this.#enqueue(() => this.#addFiles(files, options));
    if (loadedAny) await this.analyse();
  }

  /**
   * Long tasks run one after another: files dropped while an analysis runs, or a
   * role changed mid-run, wait their turn instead of being refused or lost.
   */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(task, task);
    this.#chain = result.catch(() => {});
    return result;
  }

  async #addFiles(files: File[], options: Omit<LoadOptions, 'signal' | 'onProgress'>): Promise<boolean> {
    let audit = this.audit ?? newAudit(files[0]!.name.replace(/\.[^.]*$/, ''), newId());
    const job = new Job(files.length === 1 ? `Loading ${files[0]!.name}` : `Loading ${files.length} files`);
    this.job = job;
    let loadedCount = 0;
    try {
      const { conn, decoders } = await engineSession();
      for (const [index, file] of files.entries()) {
        if (job.cancelled) break;
        job.label = `Loading ${file.name}${files.length > 1 ? ` (${index + 1} of ${files.length})` : ''}`;
        try {
          const loaded = await loadDataset(conn, decoders, browserFileSource(file), {
            ...options,
            signal: job.signal,
            onProgress: (p) => job.update(STAGE_LABEL[p.stage], p.fraction),
          });
          performance.measure(`sz:load:${file.name}`, {
            start: performance.now() - loaded.loadMs,
            end: performance.now(),
          });
          const ref = toDatasetRef(loaded, audit.datasets);
          const previous = this.loaded[ref.id];
          if (previous && previous.tableName !== loaded.tableName)
            await conn.exec(dropTableQuery(previous.tableName));
          this.loaded = { ...this.loaded, [ref.id]: loaded };
          this.#files.set(ref.id, file);
          audit = withDataset(audit, ref);
          for (const warning of loaded.warnings) this.notify('warning', warning);
          this.selectedDatasetId = ref.id;
          loadedCount++;
        } catch (error) {
          this.notify(
            error instanceof LoadError && error.code === 'cancelled' ? 'info' : 'error',
            errorText(error),
          );
        }
      }
      if (audit.datasets.length > 0) {
        this.audit = await saveAudit(auditDB(), audit);
        location.hash = `#/audit/${audit.id}`;
      }
    } catch (error) {
      this.notify('error', `The data engine could not start: ${errorText(error)}`);
    } finally {
      this.job = undefined;
    }
    return loadedCount > 0 && !job.cancelled;
  }

  /** Tables of the datasets loaded in this session. */
  get tables(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.loaded).map(([id, d]) => [id, d.tableName]));
  }

  /** Role suggestions with reasons for a dataset, from its profile. */
  suggestionsFor(datasetId: string): RoleSuggestions | undefined {
    const dataset = this.audit?.datasets.find((d) => d.id === datasetId);
    const profile = this.audit?.profiles[datasetId];
    return dataset && profile ? suggestRoles(dataset.columns, roleStatsFromProfile(profile)) : undefined;
  }

  /**
   * Profile the loaded datasets and run the readiness checks, with progress and
   * cancel. Roles start from the suggestions the first time; the user edits them after.
   */
  analyse(options: { reprofile?: boolean; onlyChecks?: readonly string[] } = {}): Promise<void> {
    return this.#enqueue(() => this.#analyse(options));
  }

  async #analyse(options: { reprofile?: boolean; onlyChecks?: readonly string[] }): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    if (Object.keys(this.tables).length === 0) {
      this.notify('warning', 'Load the audit’s files first: their data is not in memory.');
      return;
    }
    const job = new Job(options.onlyChecks ? 'Re-running affected checks' : 'Profiling and auditing');
    this.job = job;
    try {
      const { conn } = await engineSession();
      let working = audit;
      if (!options.onlyChecks) {
        working = await runAuditPipeline(conn, working, {
          tables: this.tables,
          skipReadiness: true,
          ...(options.reprofile ? { reprofile: true } : {}),
          signal: job.signal,
          onProgress: (p) => job.update(p.label, p.fraction / 2),
        });
        working = this.#withSuggestedRoles(working);
      }
      working = await runAuditPipeline(conn, working, {
        tables: this.tables,
        ...(options.onlyChecks ? { onlyChecks: options.onlyChecks } : {}),
        signal: job.signal,
        onProgress: (p) => job.update(p.label, options.onlyChecks ? p.fraction : 0.5 + p.fraction / 2),
      });
      // The user may have edited the audit while it ran; keep their edits, take the results.
      const latest = this.audit?.id === working.id ? this.audit : working;
      this.audit = await saveAudit(auditDB(), {
        ...latest,
        profiles: working.profiles,
        roles: { ...working.roles, ...latest.roles },
        findings: working.findings,
        verdict: verdictFor(working.findings, latest.waivers),
      });
    } catch (error) {
      this.notify(
        job.cancelled ? 'info' : 'error',
        job.cancelled ? 'Analysis cancelled. Results so far were not saved.' : errorText(error),
      );
    } finally {
      this.job = undefined;
    }
  }

  #withSuggestedRoles(audit: AuditDocument): AuditDocument {
    const primary = audit.datasets.find((d) => d.id === audit.primaryDatasetId) ?? audit.datasets[0];
    if (!primary || audit.roles[primary.id]) return audit;
    const profile = audit.profiles[primary.id];
    if (!profile) return audit;
    const { roles } = suggestRoles(primary.columns, roleStatsFromProfile(profile));
    return { ...audit, roles: { ...audit.roles, [primary.id]: roles } };
  }

  /** Change column roles and re-run only the checks that depend on what changed. */
  async setRoles(datasetId: string, roles: ColumnRoles): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    const before = audit.roles[datasetId] ?? { segments: [], excluded: [] };
    const rerun = checksToRerun({ roles: before, context: audit.context }, { roles, context: audit.context });
    this.audit = await saveAudit(auditDB(), { ...audit, roles: { ...audit.roles, [datasetId]: roles } });
    if (rerun.length > 0 && this.tables[datasetId]) await this.analyse({ onlyChecks: rerun });
  }

  /** Change the project context (as-of date, task…) and re-run the dependent checks. */
  async setContext(patch: Partial<ProjectContext>): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    const context = { ...audit.context, ...patch };
    const primaryId = audit.primaryDatasetId ?? audit.datasets[0]?.id ?? '';
    const roles = audit.roles[primaryId] ?? { segments: [], excluded: [] };
    const rerun = checksToRerun({ roles, context: audit.context }, { roles, context });
    this.audit = await saveAudit(auditDB(), { ...audit, context });
    if (rerun.length > 0 && this.tables[primaryId]) await this.analyse({ onlyChecks: rerun });
  }

  /** Make a dataset the one the readiness checks run on. */
  async setPrimary(datasetId: string): Promise<void> {
    if (!this.audit) return;
    this.audit = await saveAudit(auditDB(), {
      ...this.audit,
      primaryDatasetId: datasetId,
      findings: [],
      verdict: undefined,
    });
    await this.analyse();
  }

  /** Remove a dataset from the audit, with its profile, roles and findings, and free its table. */
  async removeDataset(datasetId: string): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    const loaded = this.loaded[datasetId];
    if (loaded) {
      const { conn } = await engineSession();
      await conn.exec(dropTableQuery(loaded.tableName));
      const rest = { ...this.loaded };
      delete rest[datasetId];
      this.loaded = rest;
      this.#files.delete(datasetId);
    }
    const datasets = audit.datasets.filter((d) => d.id !== datasetId);
    const profiles = { ...audit.profiles };
    delete profiles[datasetId];
    const roles = { ...audit.roles };
    delete roles[datasetId];
    const findings = audit.findings.filter((f) => f.datasetId !== datasetId);
    const primaryDatasetId = audit.primaryDatasetId === datasetId ? datasets[0]?.id : audit.primaryDatasetId;
    this.audit = await saveAudit(auditDB(), {
      ...audit,
      datasets,
      profiles,
      roles,
      findings,
      primaryDatasetId,
      verdict: datasets.length > 0 ? verdictFor(findings, audit.waivers) : undefined,
    });
    this.selectedDatasetId = primaryDatasetId;
    if (primaryDatasetId && primaryDatasetId !== audit.primaryDatasetId) await this.analyse();
  }

  /** Waive a finding with a reason; the verdict ignores waived findings. */
  async waive(findingId: string, reason: string): Promise<void> {
    const audit = this.audit;
    if (!audit || reason.trim() === '') return;
    const waivers = [
      ...audit.waivers.filter((w) => w.findingId !== findingId),
      { findingId, reason: reason.trim(), at: nowIso() },
    ];
    this.audit = await saveAudit(auditDB(), {
      ...audit,
      waivers,
      verdict: verdictFor(audit.findings, waivers),
    });
  }

  async unwaive(findingId: string): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    const waivers = audit.waivers.filter((w) => w.findingId !== findingId);
    this.audit = await saveAudit(auditDB(), {
      ...audit,
      waivers,
      verdict: verdictFor(audit.findings, waivers),
    });
  }

  /** Attach a note to a finding (one note per finding; an empty text removes it). */
  async setNote(findingId: string, text: string): Promise<void> {
    const audit = this.audit;
    if (!audit) return;
    const others = audit.notes.filter((n) => n.findingId !== findingId);
    const notes = text.trim() === '' ? others : [...others, { findingId, text: text.trim(), at: nowIso() }];
    this.audit = await saveAudit(auditDB(), { ...audit, notes });
  }

  /** Download a self-contained HTML report (no script, no external resource). */
  exportHtmlReport(): void {
    if (!this.audit) return;
    const html = auditHtmlReport(this.audit, nowIso());
    downloadBlob(new Blob([html], { type: 'text/html' }), `${safeFileName(this.audit.name)}.report.html`);
  }

  /** Download the audit document (the same schema the CLI writes). */
  exportAuditFile(): void {
    if (!this.audit) return;
    const blob = new Blob([`${JSON.stringify(this.audit, null, 2)}\n`], { type: 'application/json' });
    downloadBlob(blob, `${safeFileName(this.audit.name)}.audit.json`);
  }

  /** Re-read a loaded file with other options: another sheet, delimiter, header or encoding. */
  async reload(datasetId: string, options: Omit<LoadOptions, 'signal' | 'onProgress'>): Promise<void> {
    const file = this.#files.get(datasetId);
    if (!file) {
      this.notify('warning', 'Choose the file again first: its data is not in memory.');
      return;
    }
    await this.addFiles([file], options);
  }

  canReload(datasetId: string): boolean {
    return this.#files.has(datasetId) && this.loaded[datasetId] !== undefined;
  }

  /** Load the bundled demo extract, served from the app's own origin. */
  async tryDemo(): Promise<void> {
    try {
      const response = await fetch('./demo/customer-churn.csv');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      // The demo's story (README): the extract was taken on 2026-11-01 to rank accounts by churn risk.
      const demo = newAudit('Kestrel churn (demo)', newId());
      demo.context = {
        decision: 'Which accounts should the retention team call this month (about 300 calls)?',
        task: 'binary',
        targetDefinition: 'churned = Yes when the account cancelled within 90 days of the snapshot',
        positiveClass: 'Yes',
        predictionPoint: 'At the monthly account snapshot (snapshot_date)',
        asOf: '2026-11-01',
      };
      this.audit = demo;
      await this.addFiles([
        new File([blob], 'customer-churn.csv', { type: 'text/csv', lastModified: Date.UTC(2026, 10, 1) }),
      ]);
    } catch (error) {
      this.notify('error', `The demo dataset could not be loaded: ${errorText(error)}`);
    }
  }

  async rename(name: string): Promise<void> {
    if (!this.audit || name.trim() === '') return;
    this.audit = await saveAudit(auditDB(), { ...this.audit, name: name.trim() });
  }

  async remove(id: string): Promise<void> {
    await deleteAudit(auditDB(), id);
    if (this.audit?.id === id) this.close();
  }

  /** Import a shared audit file; invalid files are rejected whole, nothing saved is touched. */
  async importFile(file: File): Promise<void> {
    try {
      const text = await file.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`“${file.name}” is not JSON, so it is not a Sprint Zero audit file.`);
      }
      const audit = await importAudit(auditDB(), json, newId);
      this.notify('info', `Imported audit “${audit.name}”.`);
    } catch (error) {
      this.notify('error', errorText(error));
    }
  }

  /** A page of rows for the preview; never the whole table. */
  async previewPage(tableName: string, offset: number, limit: number): Promise<Row[]> {
    const { conn } = await engineSession();
    return conn.query(previewPageQuery(tableName, offset, limit));
  }
}

function safeFileName(name: string): string {
  return (
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'audit'
  );
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const app = new AppState();
