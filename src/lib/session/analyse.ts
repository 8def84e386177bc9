import type { AuditDocument, DatasetProfile, Finding } from '../core/model/audit';
import { primaryDataset, rolesOf, withFindings } from '../core/audit/edits';
import { mergeFindings } from '../core/readiness/findings';
import { CHECK_IDS, checkById } from '../core/readiness/registry';
import { isCheckId } from '../core/readiness/check-ids';
import { AREA_LABELS } from '../core/readiness/area-labels';
import type { Connector } from '../engine/connector';
import { profileDataset } from './profile';
import { runReadiness, type RunReadinessOptions } from './readiness';

/** Progress of a whole analysis, as one fraction for one progress bar. */
export interface AnalysisProgress {
  label: string;
  fraction: number;
}

export interface AnalysisOptions {
  /** DuckDB table of each loaded dataset, by dataset id. Datasets without a table are skipped. */
  tables: Readonly<Record<string, string>>;
  /** Recompute profiles even when the audit already has one for the same load. */
  reprofile?: boolean;
  /** Re-run only these readiness checks (after a role or as-of change). */
  onlyChecks?: readonly string[];
  skipReadiness?: boolean;
  /** Receives the readiness setup the checks read (see `runReadiness`). */
  onReadinessSetup?: RunReadinessOptions['onSetup'];
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * Profile every loaded dataset, run the readiness checks on the primary one,
 * and derive the verdict. Fresh readiness findings replace only earlier
 * readiness findings (checks in `CHECK_IDS`); findings other tasks produced
 * (drift history, metric plan) are kept. The session calls this for the app and the CLI
 * alike, so an audit means the same thing wherever it was produced.
 */
export async function runAnalysis(
  conn: Connector,
  audit: AuditDocument,
  options: AnalysisOptions,
): Promise<AuditDocument> {
  const report = options.onProgress ?? (() => {});
  const loaded = audit.datasets.filter((d) => options.tables[d.id] !== undefined);
  const profiles: Record<string, DatasetProfile> = { ...audit.profiles };
  const steps = loaded.length + (options.skipReadiness ? 0 : 1);
  let step = 0;

  for (const dataset of loaded) {
    const existing = profiles[dataset.id];
    // A profile computed after the dataset was (re)loaded is still valid.
    if (existing && !options.reprofile && existing.computedAt >= dataset.loadedAt) {
      step++;
      continue;
    }
    const started = performance.now();
    profiles[dataset.id] = await profileDataset(conn, options.tables[dataset.id]!, dataset.id, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        report({
          label: `Profiling ${dataset.fileName}: ${p.label}`,
          fraction: (step + p.done / Math.max(1, p.total)) / steps,
        }),
    });
    // Timings for `npm run bench`, visible in the browser's performance timeline.
    performance.measure(`sz:profile:${dataset.fileName}`, { start: started, end: performance.now() });
    step++;
  }

  let findings: Finding[] = audit.findings;
  const primary = primaryDataset(audit);
  const primaryTable = primary ? options.tables[primary.id] : undefined;
  if (!options.skipReadiness && primary && primaryTable) {
    const fresh = await runReadiness(conn, {
      subject: primary.fileName,
      tableName: primaryTable,
      datasetId: primary.id,
      columns: primary.columns,
      roles: rolesOf(audit, primary.id),
      context: audit.context,
      ...(profiles[primary.id] ? { profile: profiles[primary.id] } : {}),
      ...(options.onlyChecks ? { only: options.onlyChecks } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onReadinessSetup ? { onSetup: options.onReadinessSetup } : {}),
      onProgress: (p) =>
        report({ label: readinessLabel(p), fraction: (step + p.done / Math.max(1, p.total)) / steps }),
    });
    // Readiness owns only its own checks' findings: drift-history, metric-plan and other
    // tasks' findings stay until their own task recomputes them.
    findings = mergeFindings(audit.findings, fresh, options.onlyChecks ?? CHECK_IDS);
    report({ label: 'Done', fraction: 1 });
    return withFindings({ ...audit, profiles }, findings);
  }
  report({ label: 'Done', fraction: 1 });
  return { ...audit, profiles };
}

/** What the progress panel says while a check runs: its area in words, how far along, and its id. */
function readinessLabel(p: { check: string; done: number; total: number }): string {
  const area = checkById(p.check)?.area;
  if (!area || p.total === 0) return 'Readiness: reading the roles';
  return `Readiness: ${AREA_LABELS[area].toLowerCase()}, check ${Math.min(p.done + 1, p.total)} of ${p.total} (${p.check})`;
}

/**
 * The document after an analysis that started from `started` and produced
 * `working`, merged into `latest` (the document now, with any edits the user
 * made while it ran): their edits are kept, the results taken. Readiness
 * findings come from this run; findings other tasks produced meanwhile (a saved
 * metric plan, drift) stay. A task inferred with the suggested target is kept
 * unless the user changed the task meanwhile.
 */
export function withAnalysisResults(
  started: AuditDocument,
  working: AuditDocument,
  latest: AuditDocument,
): AuditDocument {
  const taskSuggested =
    working.context.task !== started.context.task && latest.context.task === started.context.task;
  return {
    ...latest,
    ...(taskSuggested ? { context: { ...latest.context, task: working.context.task } } : {}),
    profiles: working.profiles,
    roles: { ...working.roles, ...latest.roles },
    findings: mergeFindings(
      latest.findings,
      working.findings.filter((f) => isCheckId(f.check)),
      CHECK_IDS,
    ),
    ...(working.verdict ? { verdict: working.verdict } : {}),
  };
}
