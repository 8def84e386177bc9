import { readFile, stat } from 'node:fs/promises';
import { auditDiff, auditDiffLines } from '../core/audit/diff';
import { AuditImportError } from '../core/model/document';
import type { AuditDocument } from '../core/model/audit';
import { redactForExport } from '../core/redact';
import { formatCount, formatNumber, formatShare, plural } from '../core/format';
import { checkAuditFileSize, readAuditText } from '../report/import-audit';
import { cliErrorText, fileErrorText } from './errors';
import { primaryDataset } from '../core/audit/edits';
import type { DriftRequest } from '../core/drift/request';
import type { DriftReport, MonitoringContract } from '../core/model/drift';
import type { AuditSession } from '../session';
import { runDrift } from '../session/drift';
import type { CliFlags } from './flags';
import { printable, quoted } from './output';

/** Exit code of `--fail-on-drift` when a drift threshold is crossed. */
export const DRIFT_EXIT_CODE = 5;

/** Whether the flags ask for drift at all. */
export function wantsDrift(flags: CliFlags): boolean {
  return (
    flags.reference !== undefined ||
    flags['split-at'] !== undefined ||
    (flags['reference-source'] ?? []).length > 0 ||
    flags.contract !== undefined ||
    // The check exports carry the monitoring contract's drift statistics.
    flags['export-contract'] !== undefined ||
    flags['fail-on-drift'] === true
  );
}

/** True when a report crosses any threshold: a column, a missing rate or the label. */
export function driftCrossed(report: DriftReport): boolean {
  return (
    report.columns.some((c) => c.status === 'drift' || c.missing.drift) ||
    report.label?.status === 'drift' ||
    report.dataset.drift
  );
}

/** The comparison the flags describe; without one, the primary dataset against itself (a contract only). */
export function driftRequestFromFlags(
  flags: CliFlags,
  currentDatasetId: string,
  referenceDatasetId: string | undefined,
): DriftRequest {
  if (referenceDatasetId) return { kind: 'datasets', currentDatasetId, referenceDatasetId };
  if (flags['split-at'] !== undefined)
    return { kind: 'date-split', currentDatasetId, splitAt: flags['split-at'] };
  const sources = flags['reference-source'] ?? [];
  if (sources.length > 0) return { kind: 'source-split', currentDatasetId, referenceValues: sources };
  return { kind: 'datasets', currentDatasetId, referenceDatasetId: currentDatasetId, allowSelf: true };
}

export interface CliDriftResult {
  ok: boolean;
  crossed: boolean;
  contract?: MonitoringContract;
}

/**
 * Run drift after the audit, as the flags ask, and print a summary. The
 * results (report, history, contract) are saved in the session's document.
 */
export async function cliDrift(
  session: AuditSession,
  flags: CliFlags,
  referenceDatasetId: string | undefined,
  log: (line: string) => void,
): Promise<CliDriftResult> {
  const primary = primaryDataset(session.audit!);
  if (!primary) return { ok: false, crossed: false };
  const request = driftRequestFromFlags(flags, primary.id, referenceDatasetId);
  const outcome = await runDrift(session, request);
  if (outcome.status !== 'done' || !outcome.report) {
    log(`error: drift: ${outcome.message ?? outcome.status}`);
    return { ok: false, crossed: false };
  }
  const report = outcome.report;
  const self = request.kind === 'datasets' && request.referenceDatasetId === request.currentDatasetId;
  if (!self) {
    log(
      `drift: ${report.comparison.referenceLabel} → ${report.comparison.currentLabel}: ${formatCount(report.dataset.drifted)} of ${plural(report.dataset.compared, 'column')} drift (${formatShare(report.dataset.share, { digits: 0 })}, dataset drift at ${formatShare(report.dataset.threshold, { digits: 0 })})`,
    );
    for (const c of report.columns.filter((x) => x.status === 'drift' || x.missing.drift))
      log(
        `  ${quoted(c.column)}: ${c.status === 'drift' ? `${c.rule}: ${formatNumber(c.statistic, { digits: 4 })}` : 'distribution stable'}${c.missing.drift ? `; missing ${formatShare(c.missing.reference)} → ${formatShare(c.missing.current)}` : ''}`,
      );
    if (report.label)
      log(
        `  label ${quoted(report.label.column)}: ${report.label.status} (Jensen–Shannon ${report.label.jensenShannon})${report.label.reason ? `: ${report.label.reason}` : ''}`,
      );
    const moved = (report.concept ?? []).filter((s) => s.moved);
    for (const s of moved.slice(0, 3))
      log(
        `  label rate in ${quoted(s.feature)} = ${quoted(s.segment)}: ${formatShare(s.reference.rate)} → ${formatShare(s.current.rate)}`,
      );
  }
  const history = outcome.history;
  if (history)
    for (const c of history.columns.filter((x) => x.major > 0))
      log(
        `  history: ${quoted(c.column)} differs strongly from the first months in ${c.major} of ${c.compared} months`,
      );
  return {
    ok: true,
    crossed: !self && driftCrossed(report),
    ...(outcome.contract ? { contract: outcome.contract } : {}),
  };
}

/** How `--diff` reads a file: its size first (so an oversized file is never read), then its bytes. */
export interface DiffFiles {
  size: (path: string) => Promise<number>;
  read: (path: string) => Promise<Uint8Array>;
}

const nodeDiffFiles: DiffFiles = {
  size: async (path) => (await stat(path)).size,
  read: (path) => readFile(path),
};

export interface CliDiffOptions {
  /** Keep personal values in what is printed and written (`--include-personal-values`); masked by default. */
  includePersonalValues?: boolean;
  files?: DiffFiles;
}

/**
 * Read one audit file for `--diff` exactly as the app imports one: the same
 * size cap (checked before reading), UTF-8 with a byte-order mark allowed,
 * the same depth guard, string and list limits and messages (`import-audit.ts`).
 */
async function readDiffInput(path: string, files: DiffFiles): Promise<AuditDocument> {
  let size: number;
  let bytes: Uint8Array;
  try {
    size = await files.size(path);
    checkAuditFileSize(size, path);
    bytes = await files.read(path);
  } catch (error) {
    if (error instanceof AuditImportError) throw error;
    throw new AuditImportError(`“${path}” cannot be read: ${fileErrorText(error).replace(/\.$/, '')}.`);
  }
  return readAuditText(new TextDecoder().decode(bytes), path);
}

/**
 * `--diff old.audit.json new.audit.json`: print the re-audit diff on stderr
 * and return it as JSON text (written to `--out` or stdout by the caller).
 * Both files pass the import's checks, then the export's redaction: what is
 * printed and written holds no personal value unless the user asks for them,
 * even when the files were written with `--include-personal-values`.
 */
export async function cliDiff(
  paths: readonly string[],
  log: (line: string) => void,
  options: CliDiffOptions = {},
): Promise<{ exitCode: 0 | 1; text?: string }> {
  if (paths.length !== 2) {
    log('error: --diff needs two audit files: the old one, then the new one.');
    return { exitCode: 1 };
  }
  const files = options.files ?? nodeDiffFiles;
  const documents: AuditDocument[] = [];
  for (const path of paths) {
    try {
      documents.push(await readDiffInput(path, files));
    } catch (error) {
      const message = cliErrorText(error);
      log(`error: ${message.includes(quoted(path)) ? message : `${quoted(path)}: ${message}`}`);
      return { exitCode: 1 };
    }
  }
  const mode = options.includePersonalValues ? 'none' : 'personal';
  const [oldDoc, newDoc] = documents.map((d) => redactForExport(d, mode));
  const diff = auditDiff(oldDoc!, newDoc!);
  for (const line of auditDiffLines(diff)) log(printable(line));
  return { exitCode: 0, text: `${JSON.stringify(diff, null, 2)}\n` };
}
