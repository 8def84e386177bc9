import type { AuditDocument } from '../../core/model/audit';
import { primaryDatasetId } from '../../core/audit/edits';
import type { DriftRequest } from '../../core/drift/request';
import type { ColumnDrift, LabelDrift } from '../../core/model/drift';
import { METHOD_LABELS } from '../../core/drift/methods';
import { withDriftThresholds } from '../../core/drift/request';
import { redactForExport } from '../../core/redact';
import { formatNumber, formatShare } from '../../core/format';
import { DRIFT_THRESHOLDS, DRIFT_THRESHOLD_SOURCES, type DriftThresholds } from '../../core/thresholds';

/** The thresholds a user may edit per audit, with their defaults and sources. */
export const EDITABLE_THRESHOLDS: readonly (keyof DriftThresholds)[] = [
  'wasserstein',
  'jensenShannon',
  'pValue',
  'psiModerate',
  'psiMajor',
  'label',
  'labelRateRatio',
  'labelCohensH',
  'datasetDriftShare',
  'minSampleSize',
  'missingRateChange',
];

/** One editable threshold: its current value (override or default), default and source. */
export function thresholdRows(
  audit: AuditDocument,
): { key: keyof DriftThresholds; value: number; fallback: number; source: string }[] {
  const overrides = audit.drift?.thresholds ?? {};
  return EDITABLE_THRESHOLDS.map((key) => ({
    key,
    value: overrides[key] ?? DRIFT_THRESHOLDS[key],
    fallback: DRIFT_THRESHOLDS[key],
    source: DRIFT_THRESHOLD_SOURCES[key],
  }));
}

/** The audit with one threshold changed (a value equal to the default removes the override). */
export function withThreshold(
  audit: AuditDocument,
  key: keyof DriftThresholds,
  value: number,
): AuditDocument {
  if (!Number.isFinite(value) || value < 0) return audit;
  const next: Record<string, number> = { ...(audit.drift?.thresholds ?? {}) };
  if (value === DRIFT_THRESHOLDS[key]) delete next[key];
  else next[key] = value;
  return withDriftThresholds(audit, next);
}

/** What the comparison form holds. */
export interface DriftFormState {
  kind: DriftRequest['kind'];
  currentDatasetId: string;
  referenceDatasetId: string;
  splitAt: string;
  splitColumn: string;
  /** Comma-separated source values forming the reference. */
  referenceValues: string;
}

/**
 * A sensible first form: with two or more datasets, the one added last is the
 * current extract and the primary (audited) one the reference; with one, a
 * split of the primary dataset (at a date when it has an event time).
 */
export function initialForm(audit: AuditDocument): DriftFormState {
  const primary = primaryDatasetId(audit) ?? '';
  const other = audit.datasets.filter((d) => d.id !== primary).at(-1)?.id ?? '';
  const roles = audit.roles[primary];
  const previous = audit.drift?.report?.comparison;
  return {
    kind: previous?.kind ?? (other ? 'datasets' : roles?.eventTime ? 'date-split' : 'source-split'),
    currentDatasetId: previous?.currentDatasetId ?? (other || primary),
    referenceDatasetId: previous?.kind === 'datasets' ? previous.referenceDatasetId : primary,
    splitAt: previous?.splitAt ?? '',
    splitColumn: previous?.splitColumn ?? '',
    referenceValues: (previous?.referenceValues ?? []).join(', '),
  };
}

/** The session request for a form. */
export function requestFromForm(form: DriftFormState): DriftRequest {
  const base = { kind: form.kind, currentDatasetId: form.currentDatasetId };
  if (form.kind === 'datasets') return { ...base, referenceDatasetId: form.referenceDatasetId };
  if (form.kind === 'date-split')
    return {
      ...base,
      splitAt: form.splitAt.trim(),
      ...(form.splitColumn ? { splitColumn: form.splitColumn } : {}),
    };
  return {
    ...base,
    referenceValues: form.referenceValues
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    ...(form.splitColumn ? { splitColumn: form.splitColumn } : {}),
  };
}

const STATUS_TEXT: Record<ColumnDrift['status'], string> = {
  drift: 'Drift',
  'no-drift': 'Stable',
  'not-enough-data': 'Not enough data',
  skipped: 'Not compared',
};

/** One row of the drift table, as text. */
export function driftRow(c: ColumnDrift): {
  status: string;
  method: string;
  statistic: string;
  psi: string;
  missing: string;
  note: string;
} {
  const pct = (x: number): string => formatShare(x);
  const pValue = c.method === 'ks' || c.method === 'chi-square';
  const notes: string[] = [];
  if (c.newCategories.length)
    notes.push(`new: ${c.newCategories.map((n) => `${n.value} (${pct(n.share)})`).join(', ')}`);
  if (c.goneCategories.length)
    notes.push(`gone: ${c.goneCategories.map((n) => `${n.value} (${pct(n.share)})`).join(', ')}`);
  if (c.reason) notes.push(c.reason);
  return {
    status: STATUS_TEXT[c.status],
    method:
      c.status === 'skipped' ? '—' : `${METHOD_LABELS[c.method]}${c.methodOverridden ? ' (chosen)' : ''}`,
    statistic:
      c.statistic === null
        ? '—'
        : `${formatNumber(c.statistic, pValue ? { digits: 4 } : {})} (${pValue ? 'p, drift below' : 'drift at'} ${formatNumber(c.threshold, pValue ? { digits: 4 } : {})})`,
    psi:
      c.psi === null
        ? '—'
        : `${formatNumber(c.psi, { digits: 3 })}${c.psiLevel && c.psiLevel !== 'none' ? ` · ${c.psiLevel}` : ''}`,
    missing: `${pct(c.missing.reference)} → ${pct(c.missing.current)}${c.missing.drift ? ' ⚠' : ''}`,
    note: notes.join('; '),
  };
}

/** The label's verdict and class rates, as text. */
export function labelSummary(label: LabelDrift): {
  verdict: string;
  reason?: string;
  rule?: string;
  classes: { label: string; reference: string; current: string; change: string; verdict: string }[];
} {
  const pct = (x: number): string => formatShare(x);
  const status =
    label.status === 'drift' ? 'drifts' : label.status === 'no-drift' ? 'stable' : 'not enough data';
  const js = formatNumber(label.jensenShannon);
  return {
    verdict: `Label “${label.column}”: ${status} (Jensen–Shannon ${js}).`,
    ...(label.reason ? { reason: label.reason } : {}),
    ...(label.rule ? { rule: label.rule } : {}),
    classes: (label.classRates ?? []).map((c) => ({
      label: c.label,
      reference: `${pct(c.reference.rate)} [${pct(c.reference.lower)}, ${pct(c.reference.upper)}]`,
      current: `${pct(c.current.rate)} [${pct(c.current.lower)}, ${pct(c.current.upper)}]`,
      change: `${c.ratio === null ? (c.reference.rate === 0 ? 'new' : 'gone') : `× ${formatNumber(c.ratio, { digits: 2 })}`}, h ${formatNumber(c.cohensH, { digits: 2 })}`,
      verdict: !c.judged
        ? 'too rare to judge'
        : c.drift
          ? 'moved'
          : c.separated
            ? 'small move'
            : 'within noise',
    })),
  };
}

/** The contract as a downloadable JSON text, redacted like every export (personal categories become SQL parameters). */
export function contractText(audit: AuditDocument): string | null {
  const contract = audit.drift?.contract ? redactForExport(audit).drift?.contract : undefined;
  return contract ? `${JSON.stringify(contract, null, 2)}\n` : null;
}
