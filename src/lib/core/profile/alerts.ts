import { formatCount, formatNumber, formatShare } from '../format';
import { sqlKind } from '../sql/types';
import type { Alert, ColumnProfile, DatasetProfile } from '../model/audit';
import type { Thresholds } from '../thresholds';
import { associationJudged } from './associations';

/**
 * Profile alerts: observations about single columns and the dataset, each
 * with the measured value and the threshold from `core/thresholds` it crossed.
 * Shares are compared strictly (`value > threshold`) unless the rule says
 * "at least".
 */

const pct = (share: number): string => formatShare(share, { digits: share < 0.1 ? 1 : 0 });
const count = formatCount;

type AddAlert = (kind: string, message: string, value: number, threshold: number) => void;

/** What every column rule reads: the column, its quoted name, its non-missing count, the thresholds. */
interface ColumnAlertContext {
  column: ColumnProfile;
  name: string;
  nonNull: number;
  t: Thresholds;
  add: AddAlert;
}

/** Alerts of one column, given the dataset's row count. */
export function columnAlerts(column: ColumnProfile, rows: number, t: Thresholds): Alert[] {
  const alerts: Alert[] = [];
  const add: AddAlert = (kind, message, value, threshold) =>
    void alerts.push({ kind, column: column.name, message, value, threshold });
  const c: ColumnAlertContext = { column, name: `“${column.name}”`, nonNull: column.count, t, add };
  // An empty column has nothing else to say.
  if (allMissingAlert(c, rows)) return alerts;
  highMissingAlert(c, rows);
  valueSpreadAlerts(c);
  numericAlerts(c);
  temporalAlerts(c);
  textAlerts(c);
  piiAlerts(c);
  return alerts;
}

function allMissingAlert({ column, name, t, add }: ColumnAlertContext, rows: number): boolean {
  const missingShare = rows > 0 ? column.missing / rows : 0;
  if (!(rows > 0 && missingShare >= t.allMissingShare)) return false;
  add(
    'all-missing',
    `${name} has no values in any of the ${count(rows)} rows.`,
    missingShare,
    t.allMissingShare,
  );
  return true;
}

function highMissingAlert({ column, name, t, add }: ColumnAlertContext, rows: number): void {
  const missingShare = rows > 0 ? column.missing / rows : 0;
  if (missingShare > t.highMissingShare)
    add(
      'high-missing',
      `${name} is missing in ${pct(missingShare)} of rows (above ${pct(t.highMissingShare)}).`,
      missingShare,
      t.highMissingShare,
    );
}

/** Constant, identifier-like, dominated and missing-in-disguise columns. */
function valueSpreadAlerts(c: ColumnAlertContext): void {
  const { column, name, nonNull, t, add } = c;
  if (nonNull > 0 && column.distinct.value <= t.constantMaxDistinct)
    add(
      'constant',
      `${name} has ${column.distinct.value === 1 ? `a single value${column.topK[0] ? ` (${String(column.topK[0].value)})` : ''}` : `${column.distinct.value} distinct values`} (at most ${t.constantMaxDistinct}): it carries no information.`,
      column.distinct.value,
      t.constantMaxDistinct,
    );
  const distinctShare = nonNull > 0 ? column.distinct.value / nonNull : 0;
  if (column.family === 'text' && distinctShare > t.highCardinalityShare)
    add(
      'high-cardinality',
      `${name} has ${count(column.distinct.value)} distinct values for ${count(nonNull)} non-missing rows (${pct(distinctShare)}, above ${pct(t.highCardinalityShare)}): it looks like an identifier or free text.`,
      distinctShare,
      t.highCardinalityShare,
    );
  dominantValueAlert(c);
  missingLikeAlert(c);
}

function dominantValueAlert({ column, name, nonNull, t, add }: ColumnAlertContext): void {
  const top = column.topK[0];
  const grouped = column.family === 'categorical' || column.family === 'boolean';
  if (!grouped || !top || column.distinct.value <= 1 || nonNull <= 0) return;
  const share = top.count / nonNull;
  if (share > t.dominantValueShare)
    add(
      'dominant-value',
      `${name} is “${String(top.value)}” in ${pct(share)} of non-missing rows (above ${pct(t.dominantValueShare)}).`,
      share,
      t.dominantValueShare,
    );
}

function missingLikeAlert({ column, name, nonNull, t, add }: ColumnAlertContext): void {
  if (column.missingLike.total <= 0 || nonNull <= 0) return;
  const share = column.missingLike.total / nonNull;
  if (share <= t.missingLikeShare) return;
  const examples = column.missingLike.values
    .slice(0, 4)
    .map((v) => `“${String(v.value)}”`)
    .join(', ');
  add(
    'missing-like',
    `${name} has ${count(column.missingLike.total)} values that look missing (${examples}), ${pct(share)} of non-missing rows (above ${pct(t.missingLikeShare)}).`,
    share,
    t.missingLikeShare,
  );
}

function numericAlerts({ column, name, nonNull, t, add }: ColumnAlertContext): void {
  const n = column.numeric;
  if (!n) return;
  if (n.skewness !== null && Math.abs(n.skewness) > t.highSkewness)
    add(
      'skewed',
      `${name} is skewed (skewness ${formatNumber(n.skewness, { digits: 2 })}, beyond ±${t.highSkewness}).`,
      n.skewness,
      t.highSkewness,
    );
  const zeroShare = nonNull > 0 ? n.zeros / nonNull : 0;
  if (zeroShare > t.zerosShare)
    add(
      'zeros',
      `${name} is zero in ${pct(zeroShare)} of non-missing rows (above ${pct(t.zerosShare)}).`,
      zeroShare,
      t.zerosShare,
    );
  const nonFiniteShare = nonNull > 0 ? n.nonFinite / nonNull : 0;
  if (nonFiniteShare > t.nonFiniteShare)
    add(
      'non-finite',
      `${name} has ${count(n.nonFinite)} NaN or infinite values (${pct(nonFiniteShare)}, above ${pct(t.nonFiniteShare)}).`,
      nonFiniteShare,
      t.nonFiniteShare,
    );
  const sentinelRows = n.sentinels.reduce((s, v) => s + v.count, 0);
  if (sentinelRows > 0)
    add(
      'sentinel-values',
      `${name} contains code-like values ${n.sentinels.map((v) => `${String(v.value)} (${count(v.count)}×)`).join(', ')} more than ${t.sentinelIqrMultiplier} IQRs outside the quartiles: they may stand for “unknown”.`,
      sentinelRows,
      t.sentinelIqrMultiplier,
    );
}

function temporalAlerts(c: ColumnAlertContext): void {
  const { column, name, nonNull, t, add } = c;
  const tm = column.temporal;
  if (!tm) return;
  const midnightShare = nonNull > 0 ? tm.midnight / nonNull : 0;
  if (column.type.toUpperCase() !== 'DATE' && midnightShare >= t.midnightShare)
    add(
      'date-only-timestamps',
      `${pct(midnightShare)} of ${name} are exactly midnight (at least ${pct(t.midnightShare)}): it holds dates, not times.`,
      midnightShare,
      t.midnightShare,
    );
  const placeholders = placeholderDates(column, tm, nonNull);
  const defaults = placeholders.reduce((s, v) => s + v.count, 0);
  const defaultShare = nonNull > 0 ? defaults / nonNull : 0;
  if (defaults > 0 && defaultShare > t.defaultDateShare)
    add(
      'default-dates',
      `${name} has placeholder dates ${placeholders.map((v) => `${String(v.value)} (${count(v.count)}×)`).join(', ')}: ${pct(defaultShare)} of non-missing rows (above ${pct(t.defaultDateShare)}).`,
      defaultShare,
      t.defaultDateShare,
    );
}

/**
 * The default dates that are placeholders. A column of years (every value at midnight in
 * some January) writes 1 January for every value: 1970-01-01 there is the year 1970, not a
 * placeholder. The readiness check `time-sentinel` measures the exact granularity; the
 * profile sees months only.
 */
function placeholderDates(
  column: ColumnProfile,
  tm: NonNullable<ColumnProfile['temporal']>,
  nonNull: number,
): NonNullable<ColumnProfile['temporal']>['defaultDates'] {
  const yearGranular =
    nonNull > 0 &&
    (sqlKind(column.type) === 'date' || tm.midnight >= nonNull) &&
    tm.byMonth.length > 0 &&
    tm.byMonth.every((m) => m.count === 0 || m.month.endsWith('-01'));
  return yearGranular ? tm.defaultDates.filter((v) => !String(v.value).endsWith('-01-01')) : tm.defaultDates;
}

function textAlerts({ column, name, nonNull, t, add }: ColumnAlertContext): void {
  const tx = column.text;
  if (!tx || nonNull <= 0) return;
  const numericShare = tx.numericLike / nonNull;
  const dateShare = tx.dateLike / nonNull;
  if (numericShare >= t.typedAsTextShare)
    add(
      'numbers-as-text',
      `${pct(numericShare)} of ${name} are numbers stored as text (at least ${pct(t.typedAsTextShare)}).`,
      numericShare,
      t.typedAsTextShare,
    );
  else if (dateShare >= t.typedAsTextShare)
    add(
      'dates-as-text',
      `${pct(dateShare)} of ${name} are dates stored as text (at least ${pct(t.typedAsTextShare)}).`,
      dateShare,
      t.typedAsTextShare,
    );
  const untrimmedShare = tx.untrimmed / nonNull;
  if (untrimmedShare > t.untrimmedShare)
    add(
      'untrimmed',
      `${count(tx.untrimmed)} values of ${name} start or end with whitespace (${pct(untrimmedShare)}, above ${pct(t.untrimmedShare)}).`,
      untrimmedShare,
      t.untrimmedShare,
    );
  if (tx.variants.length > t.variantGroups)
    add(
      'spelling-variants',
      `${name} writes the same value in several ways: ${tx.variants
        .slice(0, 3)
        .map((g) => g.spellings.map((s) => `“${String(s.value)}”`).join(' / '))
        .join('; ')}.`,
      tx.variants.length,
      t.variantGroups,
    );
}

function piiAlerts({ column, name, t, add }: ColumnAlertContext): void {
  for (const p of column.pii) {
    if (p.share > t.piiShare)
      add(
        'pii',
        `${name} looks like personal data (${p.kind}): ${pct(p.share)} of non-missing values match (above ${pct(t.piiShare)}).`,
        p.share,
        t.piiShare,
      );
  }
}

/** Alerts about the dataset as a whole: duplicates and strongly related columns. */
export function datasetAlerts(profile: Omit<DatasetProfile, 'alerts'>, t: Thresholds): Alert[] {
  const alerts: Alert[] = [];
  const dupShare = profile.rows > 0 ? profile.duplicateRows / profile.rows : 0;
  if (dupShare > t.duplicateRowShare)
    alerts.push({
      kind: 'duplicate-rows',
      message: `${count(profile.duplicateRows)} rows (${pct(dupShare)}) repeat an earlier row exactly (above ${pct(t.duplicateRowShare)}).`,
      value: dupShare,
      threshold: t.duplicateRowShare,
    });
  for (const c of profile.correlations) {
    const r = c.pearson ?? c.spearman;
    const which = c.pearson !== null ? 'Pearson' : 'Spearman';
    if (r !== null && Math.abs(r) > t.highCorrelation && c.n >= t.associationMinRows)
      alerts.push({
        kind: 'high-correlation',
        column: c.a,
        message: `“${c.a}” and “${c.b}” are highly correlated (${which} ${formatNumber(r, { digits: 2 })}, beyond ±${t.highCorrelation}).`,
        value: r,
        threshold: t.highCorrelation,
      });
  }
  const distinct = new Map(profile.columns.map((c) => [c.name, c.distinct.value]));
  for (const c of profile.cramersV) {
    const { judged } = associationJudged(c.n, distinct.get(c.a) ?? c.n, distinct.get(c.b) ?? c.n, t);
    if (c.v !== null && c.v > t.highCorrelation && judged)
      alerts.push({
        kind: 'high-association',
        column: c.a,
        message: `“${c.a}” and “${c.b}” are strongly associated (Cramér's V ${formatNumber(c.v, { digits: 2 })}, above ${t.highCorrelation}).`,
        value: c.v,
        threshold: t.highCorrelation,
      });
  }
  return alerts;
}

/** Every alert of a profile: dataset-level first, then column by column. */
export function profileAlerts(profile: Omit<DatasetProfile, 'alerts'>, t: Thresholds): Alert[] {
  return [...datasetAlerts(profile, t), ...profile.columns.flatMap((c) => columnAlerts(c, profile.rows, t))];
}
