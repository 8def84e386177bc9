import { formatShare } from '../format';
import {
  bucketSql,
  jensenShannonAgainstReferenceSql,
  missingRateSql,
  psiAgainstReferenceSql,
  type BucketSpec,
} from '../sql/drift';
import { str } from '../sql/quote';
import { canonicalLabelSql } from '../sql/readiness-common';
import { PSI_EPSILON } from '../stats/drift';
import { resolveDriftThresholds, type DriftThresholds } from '../thresholds';
import {
  MONITORING_CONTRACT_FORMAT,
  type ColumnDrift,
  type DriftReport,
  type MonitoredColumn,
  type MonitoringContract,
} from '../model/drift';

/** The table name every contract statement reads; replace it with the table to monitor. */
export const CONTRACT_TABLE = 'current_data';

export interface ContractOptions {
  thresholds?: Partial<DriftThresholds>;
  createdAt?: string;
  tablePlaceholder?: string;
}

function monitored(
  column: string,
  kind: 'numeric' | 'categorical',
  spec: BucketSpec,
  bucket: string,
  bins: { label: string; share: number }[],
  missingReference: number | null,
  table: string,
  t: DriftThresholds,
): MonitoredColumn {
  const refShares = bins.map((b) => b.share);
  return {
    column,
    kind,
    bins,
    ...(spec.kind === 'numeric' ? { edges: [...spec.edges] } : { categories: [...spec.categories] }),
    bucketSql: bucket,
    statistics: [
      {
        name: 'psi',
        reference: 0,
        review: t.psiModerate,
        retrain: t.psiMajor,
        sql: psiAgainstReferenceSql(table, bucket, refShares, PSI_EPSILON),
      },
      {
        name: 'jensen-shannon',
        reference: 0,
        review: t.jensenShannon,
        retrain: t.deepchecksFeature,
        sql: jensenShannonAgainstReferenceSql(table, bucket, refShares),
      },
      ...(missingReference === null
        ? []
        : [
            {
              name: 'missing-rate' as const,
              reference: missingReference,
              review: Math.min(1, missingReference + t.missingRateChange),
              retrain: Math.min(1, missingReference + 2 * t.missingRateChange),
              sql: missingRateSql(table, column),
            },
          ]),
    ],
  };
}

function columnSpec(c: ColumnDrift): BucketSpec | null {
  if (c.kind === 'numeric' && c.edges) return { kind: 'numeric', edges: c.edges };
  if (c.kind === 'categorical' && c.categories) return { kind: 'categorical', categories: c.categories };
  return null;
}

/**
 * What must be watched after launch, from a drift report: for each compared
 * column its reference buckets and shares, the statistics with review and
 * retrain thresholds, and the DuckDB SQL that computes each one on a new
 * table. Review/retrain: PSI moderate/major; Jensen–Shannon Evidently's 0.1 /
 * Deepchecks' 0.2; missing rate the reference rate plus one / two times
 * `missingRateChange`.
 */
export function monitoringContract(report: DriftReport, options: ContractOptions = {}): MonitoringContract {
  const t = resolveDriftThresholds({ ...report.thresholds, ...options.thresholds });
  const table = options.tablePlaceholder ?? CONTRACT_TABLE;
  const columns: MonitoredColumn[] = [];
  for (const c of report.columns) {
    if (c.status !== 'drift' && c.status !== 'no-drift') continue;
    const spec = columnSpec(c);
    if (!spec) continue;
    columns.push(
      monitored(
        c.column,
        c.kind,
        spec,
        bucketSql(c.column, spec),
        c.shares.map((s) => ({ label: s.label, share: s.reference })),
        c.missing.reference,
        table,
        t,
      ),
    );
  }
  let label: MonitoredColumn | undefined;
  if (report.label && report.label.classes.length > 0) {
    const categories = report.label.classes.map((c) => c.label);
    const expr = canonicalLabelSql(report.label.column);
    const whens = categories.map((c, i) => `WHEN ${expr} = ${str(c)} THEN ${i}`).join(' ');
    const bucket = `(CASE WHEN ${expr} IS NULL THEN NULL ${whens} ELSE ${categories.length} END)`;
    label = monitored(
      report.label.column,
      'categorical',
      { kind: 'categorical', categories },
      bucket,
      [
        ...report.label.classes.map((c) => ({ label: c.label, share: c.reference })),
        { label: '(other)', share: 0 },
      ],
      null,
      table,
      { ...t, jensenShannon: t.label, deepchecksFeature: Math.max(t.label, t.deepchecksFeature) },
    );
  }
  const referenceRows = Math.max(0, ...report.columns.map((c) => c.nReference));
  return {
    format: MONITORING_CONTRACT_FORMAT,
    version: 1,
    createdAt: options.createdAt ?? new Date().toISOString(),
    reference: report.comparison.referenceLabel,
    referenceRows,
    tablePlaceholder: table,
    datasetDriftShare: t.datasetDriftShare,
    columns,
    ...(label ? { label } : {}),
    notes: [
      `Replace ${table} in every statement with the table to monitor (for example a daily extract loaded into DuckDB).`,
      `Empty buckets count as a share of ${PSI_EPSILON} in PSI, on both sides.`,
      'Numeric buckets are reference deciles: bucket i holds values in (edgeᵢ₋₁, edgeᵢ]; categories not seen in the reference fall in the last bucket, "(other)".',
      `Review when a statistic crosses "review"; plan a retrain when it crosses "retrain", or when ${formatShare(t.datasetDriftShare, { digits: 0 })} of the columns need review.`,
    ],
  };
}
