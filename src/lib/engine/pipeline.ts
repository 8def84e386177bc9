import type { AuditDocument, DatasetProfile, Finding } from '../core/audit/schema';
import { verdictFor } from '../core/readiness/verdict';
import { mergeFindings } from '../core/readiness/findings';
import type { Connector } from './connector';
import { profileDataset } from './run-profile';
import { runReadiness } from './run-readiness';

/** Progress of a whole audit run, as one fraction for one progress bar. */
export interface PipelineProgress {
  label: string;
  fraction: number;
}

export interface PipelineOptions {
  /** DuckDB table of each loaded dataset, by dataset id. Datasets without a table are skipped. */
  tables: Record<string, string>;
  /** Recompute profiles even when the audit already has one for the same fingerprint. */
  reprofile?: boolean;
  /** Re-run only these readiness checks (after a role or as-of change). */
  onlyChecks?: readonly string[];
  skipReadiness?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: PipelineProgress) => void;
}

/**
 * Profile every loaded dataset, run the readiness checks on the primary one,
 * and derive the verdict. The browser and the CLI both call this, so an audit
 * means the same thing wherever it was produced.
 */
export async function runAuditPipeline(
  conn: Connector,
  audit: AuditDocument,
  options: PipelineOptions,
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
  const primary = audit.datasets.find((d) => d.id === audit.primaryDatasetId) ?? audit.datasets[0];
  const primaryTable = primary ? options.tables[primary.id] : undefined;
  if (!options.skipReadiness && primary && primaryTable) {
    const started = performance.now();
    const fresh = await runReadiness(conn, {
      tableName: primaryTable,
      datasetId: primary.id,
      columns: primary.columns,
      roles: audit.roles[primary.id] ?? { segments: [], excluded: [] },
      context: audit.context,
      ...(profiles[primary.id] ? { profile: profiles[primary.id] } : {}),
      ...(options.onlyChecks ? { only: options.onlyChecks } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) =>
        report({ label: `Readiness: ${p.check}`, fraction: (step + p.done / Math.max(1, p.total)) / steps }),
    });
    findings = options.onlyChecks ? mergeFindings(audit.findings, fresh, options.onlyChecks) : fresh;
    performance.measure(`sz:readiness:${primary.fileName}`, { start: started, end: performance.now() });
  }
  report({ label: 'Done', fraction: 1 });
  return { ...audit, profiles, findings, verdict: verdictFor(findings, audit.waivers) };
}
