import { labelsBySourceChart, labelsOverTimeChart } from '../charts/check-charts';
import { formatCell, formatPValue } from '../format';
import type { Finding } from '../model/audit';
import {
  type LabelCountsPart,
  conflictingLabelsQuery,
  labelBySourceQuery,
  labelCountsQuery,
  labelVariantsQuery,
  missingLabelsQuery,
} from '../sql/readiness-labels';
import { monthlyCountsQuery } from '../sql/readiness-volume';
import { assessRowGroups, collisionsQueryFor, rowGroupsQueries } from './structure';
import { chiSquareHomogeneity } from '../stats/chi-square';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, fmtInt, fmtPct, median, q, round, toNumber, toText } from './findings';
import { periodUnit, plural } from './time-encoding';
import type { CheckDefinition, QueryResults, ReadinessSetup, ResultRow } from './types';

/**
 * Classes are counted once for labels-missing, labels-variants and
 * labels-by-source (`labelCountsQuery`, the same statement for the three, run
 * once); each finding still shows its own statement. A numeric target keeps
 * the standalone statements.
 */
function countsQueries(s: ReadinessSetup, key: string, standalone: () => string): Record<string, string> {
  return { [key]: s.label?.kind === 'classes' ? labelCountsQuery(s.sql) : standalone() };
}

/** The rows of one standalone statement, from its own result or its part of `labelCountsQuery`. */
function countsRows(s: ReadinessSetup, r: QueryResults, key: string, part: LabelCountsPart): ResultRow[] {
  const rows = r[key] ?? [];
  return s.label?.kind === 'classes' ? rows.filter((row) => row.part === part) : rows;
}

export const labelsMissing: CheckDefinition = {
  id: 'labels-missing',
  area: 'labels',
  meaning: 'Rows without a label cannot be used for training and may hide a biased selection.',
  fix: 'upstream',
  owner: 'domain-expertise',
  inWords: 'missing labels',
  description: 'Rows without a usable label (NULL or a missing-like token such as "", "N/A", "?").',
  evidence: {
    missing: { label: 'Rows without a label', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    nulls: { label: 'Empty (null)', kind: 'count' },
    missingLikeTokens: { label: 'Placeholder texts', kind: 'count' },
    rows: { label: 'Rows', kind: 'count' },
    majorAbove: { label: 'Major above', kind: 'share' },
  },
  dependsOn: LABEL_DEPS,
  applies: (s) => s.label !== undefined,
  queries: (s) => countsQueries(s, 'missing', () => missingLabelsQuery(s.sql)),
  findings(s, r) {
    const rows = countsRows(s, r, 'missing', 'missing');
    const missing = rows.reduce((a, row) => a + count(row.rows), 0);
    if (missing === 0) return [];
    const share = s.rows > 0 ? missing / s.rows : 0;
    const column = s.label!.column;
    const tokens = rows.filter((row) => row.raw !== null).reduce((a, row) => a + count(row.rows), 0);
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: share >= s.thresholds.labelMissingMajor ? 'major' : 'minor',
        key: column,
        title: `${fmtInt(missing)} rows (${fmtPct(share)}) have no usable label in ${q(column)}`,
        columns: [column],
        evidence: {
          missing,
          share: round(share),
          nulls: missing - tokens,
          missingLikeTokens: tokens,
          rows: s.rows,
          majorAbove: s.thresholds.labelMissingMajor,
        },
        details: rows.map((row) => ({ value: row.raw ?? null, rows: count(row.rows) })),
        sql: missingLabelsQuery(s.sql),
        recommendation:
          'Find out why these rows are unlabelled (outcome not yet known, lost in a join, a different process). Drop them from training, and check that the labelled rows still represent the population.',
      }),
    ];
  },
};

export const labelsVariants: CheckDefinition = {
  id: 'labels-variants',
  area: 'labels',
  meaning: 'The same label is spelled several ways; unless they are merged, one class is split in pieces.',
  fix: 'pipeline',
  owner: 'data-engineering',
  inWords: 'labels spelled several ways',
  description: 'The same label spelled several ways ("Yes", "yes", "Y ").',
  evidence: {
    classes: { label: 'Classes', kind: 'count' },
    spellings: { label: 'Spellings', kind: 'count' },
    variantRows: { label: 'Rows with a variant spelling', kind: 'count' },
    variantShare: { label: 'Share with a variant spelling', kind: 'share' },
    spellingsByClass: { label: 'Spellings by class', kind: 'text' },
  },
  dependsOn: [...LABEL_DEPS, 'source'],
  applies: (s) => s.label?.kind === 'classes',
  queries: (s) => countsQueries(s, 'variants', () => labelVariantsQuery(s.sql)),
  findings(s, r) {
    const rows = countsRows(s, r, 'variants', 'variants');
    const byLabel = new Map<string, Map<string | null, number>>();
    for (const row of rows) {
      const label = toText(row.label)!;
      const spellings = byLabel.get(label) ?? new Map<string | null, number>();
      const raw = toText(row.raw);
      spellings.set(raw, (spellings.get(raw) ?? 0) + count(row.rows));
      byLabel.set(label, spellings);
    }
    let variantRows = 0;
    let labelled = 0;
    const summary: string[] = [];
    let spelledTwice = false;
    for (const [label, spellings] of byLabel) {
      const counts = [...spellings.entries()].sort((a, b) => b[1] - a[1]);
      const total = counts.reduce((a, [, n]) => a + n, 0);
      labelled += total;
      if (counts.length > 1) {
        spelledTwice = true;
        variantRows += total - counts[0]![1];
        summary.push(
          `${label}: ${counts.map(([raw, n]) => `${JSON.stringify(raw)} ${fmtInt(n)}`).join(', ')}`,
        );
      }
    }
    if (!spelledTwice) return [];
    const column = s.label!.column;
    const share = labelled ? variantRows / labelled : 0;
    const spellings = new Set(rows.map((row) => toText(row.raw))).size;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: share >= s.thresholds.labelVariantMajor ? 'major' : 'minor',
        key: column,
        title: `${q(column)} spells ${byLabel.size} label${byLabel.size === 1 ? '' : 's'} ${spellings} ways`,
        columns: [column],
        evidence: {
          classes: byLabel.size,
          spellings,
          variantRows,
          variantShare: round(share),
          spellingsByClass: summary.join('; '),
        },
        details: rows.map((row) => ({
          label: row.label,
          spelling: row.raw,
          source: row.source ?? null,
          rows: count(row.rows),
        })),
        sql: labelVariantsQuery(s.sql),
        recommendation:
          'Map every spelling to one value before training (trim spaces, fix case, Y/N → Yes/No) and fix it upstream; otherwise the model sees extra classes and the positive rate is wrong. If one source spells differently, fix that source’s export.',
      }),
    ];
  },
};

export const labelsConflicting: CheckDefinition = {
  id: 'labels-conflicting',
  area: 'labels',
  meaning:
    'Identical inputs carry different labels, which caps the accuracy any model can reach and suggests labelling errors.',
  fix: 'upstream',
  owner: 'domain-expertise',
  inWords: 'identical rows with different labels',
  description:
    'Identical feature vectors (all candidate features) carrying different labels, judged against the conflicts independent columns would give by chance.',
  evidence: {
    groups: { label: 'Groups of identical rows with different labels', kind: 'count' },
    rows: { label: 'Rows in them', kind: 'count' },
    share: { label: 'Share of labelled rows', kind: 'share' },
    labelled: { label: 'Labelled rows', kind: 'count' },
    features: { label: 'Features compared', kind: 'count' },
    example: { label: 'Example', kind: 'text' },
    majorAbove: { label: 'Major above', kind: 'share' },
    conflictingPairs: { label: 'Conflicting pairs', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    repeatedEntities: { label: 'The same entities recur without an ID', kind: 'boolean' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label?.kind === 'classes' && s.features.length > 0,
  // The same statement as leakage-split-duplicates', so the rows are grouped once for both checks.
  queries: (s) => rowGroupsQueries(s),
  findings(s, r) {
    const row = first(r.groups);
    const groups = count(row.rz_group_count);
    if (groups === 0) return [];
    const a = assessRowGroups(s, r);
    const rows = count(row.rz_conflict_rows);
    const labelled = count(row.rz_labelled);
    const share = labelled ? rows / labelled : 0;
    const features = s.features.map((c) => c.name);
    const examples = r.groups ?? [];
    const example = examples[0];
    const exampleText = example
      ? features
          .slice(0, 6)
          .map((f) => `${f}=${exampleValue(example[f], s.columns.find((c) => c.name === f)?.type)}`)
          .join(', ') + `${features.length > 6 ? ', …' : ''} → labels ${toText(example.rz_labels)}`
      : null;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: !a.conflictBeyondChance
          ? 'info'
          : a.repeatedEntities || share < s.thresholds.conflictShareMajor
            ? 'minor'
            : 'major',
        key: s.label!.column,
        title: !a.conflictBeyondChance
          ? `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows) carry different labels, about as often as chance gives with these features (${fmtInt(a.conflictPairs)} pairs where independent columns give ≈${a.expectedConflictPairs < 10 ? round(a.expectedConflictPairs, 1) : fmtInt(a.expectedConflictPairs)})`
          : a.repeatedEntities
            ? `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows) carry different labels: the same entities recurring with different outcomes`
            : `${fmtInt(groups)} groups of identical rows (${fmtInt(rows)} rows, ${fmtPct(share, 2)}) carry conflicting labels`,
        columns: [s.label!.column, ...features],
        evidence: {
          groups,
          rows,
          share: round(share, 5),
          labelled,
          features: features.length,
          example: exampleText,
          majorAbove: s.thresholds.conflictShareMajor,
          conflictingPairs: a.conflictPairs,
          expectedPairsByChance: round(a.expectedConflictPairs, 3),
          chanceRatio: s.thresholds.chanceMatchRatio,
          repeatedEntities: a.repeatedEntities,
        },
        details: examples.map((e) => {
          const out: ResultRow = {};
          for (const f of features) out[f] = e[f] ?? null;
          out.rows = count(e.rz_rows);
          out.labels = toText(e.rz_labels);
          return out;
        }),
        sql: `${conflictingLabelsQuery(s.sql, features, 100)};\n${collisionsQueryFor(s)}`,
        recommendation: !a.conflictBeyondChance
          ? 'With few distinct values per feature, different records share every feature value by chance, and their labels differ as any two records’ would: this is not label noise. The features cannot tell these records apart; if the outcome matters for them, a distinguishing feature is missing.'
          : a.repeatedEntities
            ? 'Most rows share their whole feature vector with other rows (see structure-groups): the same people or units observed several times, whose outcome changed between observations. This is not label noise. Ask for the entity ID and the observation date, and split by entity.'
            : 'Rows identical in every feature but labelled differently are label noise or a re-export with a flipped flag. Trace a few examples to the source; keep one agreed label per group (or drop the groups) before training.',
      }),
    ];
  },
};

interface SourceRates {
  source: string;
  rows: number;
  shares: number[];
  residuals: number[];
}

/** Contingency of labelled rows: sources × classes. */
function contingency(rows: readonly ResultRow[]): {
  sources: string[];
  classes: string[];
  table: number[][];
} {
  const sources: string[] = [];
  const classes: string[] = [];
  const cells = new Map<string, number>();
  for (const row of rows) {
    const source = toText(row.source) ?? '(missing)';
    const label = toText(row.label) ?? '(missing)';
    if (!sources.includes(source)) sources.push(source);
    if (!classes.includes(label)) classes.push(label);
    cells.set(`${source}\u0000${label}`, (cells.get(`${source}\u0000${label}`) ?? 0) + count(row.rows));
  }
  classes.sort();
  const table = sources.map((src) => classes.map((c) => cells.get(`${src}\u0000${c}`) ?? 0));
  return { sources, classes, table };
}

export const labelsBySource: CheckDefinition = {
  id: 'labels-by-source',
  area: 'labels',
  meaning:
    'A source labels differently from the others; the model may learn the source instead of the outcome.',
  fix: 'upstream',
  owner: 'domain-expertise',
  chart: labelsBySourceChart,
  inWords: 'label rates by source',
  description:
    'Label rate per source system, with a chi-square test of homogeneity and the sources that deviate (adjusted residuals).',
  evidence: {
    sources: { label: 'Sources', kind: 'count' },
    chiSquare: { label: 'χ² statistic', kind: 'number' },
    df: { label: 'Degrees of freedom', kind: 'count' },
    pValue: { label: 'p-value', kind: 'number', digits: 4 },
    alpha: { label: 'Significance level', kind: 'number' },
    overallPositiveRate: { label: 'Positive rate overall', kind: 'share' },
    'share:*': { label: 'Share of “{}”', kind: 'share' },
    source: { label: 'Source', kind: 'text' },
    rows: { label: 'Rows', kind: 'count' },
    rate: { label: 'Positive rate in this source', kind: 'share' },
    typicalRate: { label: 'Positive rate in a typical source', kind: 'share' },
    restRate: { label: 'Positive rate in the other sources', kind: 'share' },
    difference: { label: 'Difference', kind: 'share' },
    adjustedResidual: { label: 'Adjusted residual', kind: 'number' },
    residualThreshold: { label: 'Flagged from a residual of', kind: 'number' },
    minDifference: { label: 'Major from a difference of', kind: 'share' },
  },
  dependsOn: ['source', ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && s.source !== undefined,
  queries: (s) => countsQueries(s, 'bySource', () => labelBySourceQuery(s.sql)),
  findings(s, r) {
    const bySource = countsRows(s, r, 'bySource', 'by-source');
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const sql = labelBySourceQuery(s.sql);
    const label = s.label!;
    const sourceColumn = s.source!.name;
    if (label.kind === 'numeric') {
      return [
        make({
          severity: 'info',
          key: 'summary',
          title: `Target ${q(label.column)} by source system`,
          columns: [label.column, sourceColumn],
          evidence: { sources: bySource.length },
          details: bySource.map((row) => ({
            source: row.source ?? null,
            rows: count(row.rows),
            mean: toNumber(row.mean),
            median: toNumber(row.median),
          })),
          sql,
          recommendation:
            'Compare the target’s level per source; a source with a different level may define or measure the target differently.',
        }),
      ];
    }
    const { sources, classes, table } = contingency(bySource);
    const test = chiSquareHomogeneity(table);
    const total = table.flat().reduce((a, b) => a + b, 0);
    const colTotals = classes.map((_, j) => table.reduce((a, row) => a + (row[j] ?? 0), 0));
    const pos = label.positive !== undefined ? classes.indexOf(label.positive) : -1;
    const rates: SourceRates[] = sources.map((source, i) => {
      const row = table[i]!;
      const n = row.reduce((a, b) => a + b, 0);
      return {
        source,
        rows: n,
        shares: row.map((k) => (n ? k / n : 0)),
        residuals: test?.adjustedResiduals[i] ?? row.map(() => 0),
      };
    });
    const restShares = (i: number): number[] => {
      const restN = total - rates[i]!.rows;
      return classes.map((_, j) => (restN ? (colTotals[j]! - table[i]![j]!) / restN : 0));
    };
    const display = (c: string): string => label.classes.find((x) => x.label === c)?.display ?? c;
    const binary = label.task === 'binary' && pos >= 0;
    const details = rates.map((x) => ({
      source: x.source,
      rows: x.rows,
      ...(binary ? { positiveRate: round(x.shares[pos]!), residual: round(x.residuals[pos]!, 2) } : {}),
      ...Object.fromEntries(classes.map((c, j) => [`share:${display(c)}`, round(x.shares[j]!)])),
    }));
    const overall = binary && total ? colTotals[pos]! / total : null;
    const out: Finding[] = [
      make({
        severity: 'info',
        key: 'summary',
        title: test
          ? `Label rate by source: χ² = ${round(test.statistic, 1)}, df = ${test.df}, ${formatPValue(test.pValue)}`
          : `Label rate by source: only one source with labels`,
        columns: [label.column, sourceColumn],
        evidence: {
          sources: sources.length,
          chiSquare: test ? round(test.statistic, 4) : null,
          df: test?.df ?? null,
          pValue: test?.pValue ?? null,
          alpha: t.chiSquareAlpha,
          overallPositiveRate: overall === null ? null : round(overall),
        },
        details,
        sql,
        recommendation:
          'Sources that label differently make the model learn the source, not the outcome. Check each deviating source below.',
      }),
    ];
    if (!test || test.pValue >= t.chiSquareAlpha) return out;
    // The typical source is the median over sources (robust to the deviating one); comparing each
    // source with "all the others" would make every other source look deviant too.
    const judged = rates.filter((x) => x.rows >= t.minGroupRows);
    const typical = classes.map((_, j) => median(judged.map((x) => x.shares[j]!)) ?? 0);
    const typicalSum = typical.reduce((a, b) => a + b, 0) || 1;
    const center = typical.map((v) => v / typicalSum);
    rates.forEach((x, i) => {
      if (x.rows < t.minGroupRows) return;
      const rest = restShares(i);
      let deviates: boolean;
      let diff: number;
      let residual: number;
      if (binary) {
        residual = x.residuals[pos]!;
        diff = x.shares[pos]! - typical[pos]!;
        deviates = Math.abs(residual) >= t.residualThreshold && Math.abs(diff) >= t.labelRateDiffMajor;
      } else {
        residual = x.residuals.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
        diff = 0.5 * x.shares.reduce((a, share, j) => a + Math.abs(share - center[j]!), 0);
        deviates = Math.abs(residual) >= t.residualThreshold && diff >= t.labelRateDiffMajor;
      }
      if (!deviates) return;
      out.push(
        make({
          severity: 'major',
          key: `source:${x.source}`,
          title: binary
            ? `Source ${q(x.source)} has a ${fmtPct(x.shares[pos]!)} ${display(label.positive!)} rate; the typical source has ${fmtPct(typical[pos]!)}`
            : `Source ${q(x.source)} has a different class mix (total-variation distance ${round(diff, 3)} from the typical source)`,
          columns: [label.column, sourceColumn],
          evidence: {
            source: x.source,
            rows: x.rows,
            rate: binary ? round(x.shares[pos]!) : null,
            typicalRate: binary ? round(typical[pos]!) : null,
            restRate: binary ? round(rest[pos]!) : null,
            difference: round(diff),
            adjustedResidual: round(residual, 2),
            pValue: test.pValue,
            residualThreshold: t.residualThreshold,
            minDifference: t.labelRateDiffMajor,
          },
          details,
          sql,
          recommendation: `Find out whether ${q(x.source)} defines or records the outcome differently (another definition, time window or population). Harmonise the label, model the source explicitly, or keep the source out and say so.`,
        }),
      );
    });
    return out;
  },
};

export const labelsOverTime: CheckDefinition = {
  id: 'labels-over-time',
  area: 'labels',
  meaning: 'The label rate changes over time; a model trained on the past may miss-estimate the future.',
  fix: 'upstream',
  owner: 'domain-expertise',
  chart: labelsOverTimeChart,
  inWords: 'label rates over time',
  description:
    'Label rate per month; months without labels and recent months whose positive rate collapses (immature labels).',
  evidence: {
    months: { label: 'Periods', kind: 'text' },
    overallRate: { label: 'Positive rate overall', kind: 'share' },
    positiveClass: { label: 'Positive class', kind: 'text' },
    list: { label: 'Periods without labels', kind: 'text' },
    ratioThreshold: { label: 'Immature below this share of the overall rate', kind: 'share' },
  },
  dependsOn: ['eventTime', 'asOf', 'historyFrom', 'thresholds', ...LABEL_DEPS],
  applies: (s) => s.label !== undefined && s.time !== undefined,
  queries: (s) => ({ months: monthlyCountsQuery(s.sql) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const sql = monthlyCountsQuery(s.sql);
    const label = s.label!;
    const months = (r.months ?? []).map((m) => ({
      month: toText(m.month) ?? '',
      rows: count(m.rows),
      labelled: count(m.labelled),
      positives: count(m.positives),
      mean: toNumber(m.target_mean),
    }));
    // Months are the grouping; a column of years or quarters has one month per period, so say so in its unit.
    const unit = periodUnit(s.time!.granularity);
    const columns = [label.column, s.time!.column];
    const details = months.map((m) => ({
      month: m.month,
      rows: m.rows,
      labelled: m.labelled,
      ...(label.kind === 'classes'
        ? { positives: m.positives, rate: m.labelled ? round(m.positives / m.labelled) : null }
        : { mean: m.mean }),
    }));
    const totalLabelled = months.reduce((a, m) => a + m.labelled, 0);
    const totalPositives = months.reduce((a, m) => a + m.positives, 0);
    const overall = totalLabelled ? totalPositives / totalLabelled : 0;
    const out: Finding[] = [
      make({
        severity: 'info',
        key: 'summary',
        title:
          label.kind === 'classes'
            ? `${display(s)} rate per ${unit} over ${plural(months.length, unit, fmtInt(months.length))} (overall ${fmtPct(overall)})`
            : `Mean ${q(label.column)} per ${unit} over ${plural(months.length, unit, fmtInt(months.length))}`,
        columns,
        evidence: {
          months: months.length,
          overallRate: label.kind === 'classes' ? round(overall) : null,
          positiveClass: label.positiveDisplay ?? null,
        },
        details,
        sql,
        recommendation:
          'Look for steps in the label rate: a change in definition, process or data capture shows up here before it hurts the model.',
      }),
    ];
    const unlabelled = months.filter((m) => m.rows >= t.minGroupRows && m.labelled / m.rows < 0.5);
    if (unlabelled.length > 0)
      out.push(
        make({
          severity: 'minor',
          key: 'unlabelled-months',
          title: `${unlabelled.length} month${unlabelled.length === 1 ? '' : 's'} where most rows have no label`,
          columns,
          evidence: { months: unlabelled.length, list: unlabelled.map((m) => m.month).join(', ') },
          details: unlabelled.map((m) => ({ month: m.month, rows: m.rows, labelled: m.labelled })),
          sql,
          recommendation:
            'Labels are missing for whole months: check whether outcomes for that period were never loaded, and keep those months out of training and evaluation.',
        }),
      );
    // Immature labels are an outcome-window effect: judged for binary outcomes only (a multiclass mix is often seasonal).
    if (label.task === 'binary' && label.kind === 'classes' && overall > 0) {
      const recent = months
        .slice(-3)
        .filter(
          (m) => m.labelled >= t.minGroupRows && m.positives / m.labelled < t.immatureLabelRatio * overall,
        );
      if (recent.length > 0)
        out.push(
          make({
            severity: 'minor',
            key: 'immature',
            title: `Recent months have a much lower ${display(s)} rate: labels may not have matured`,
            columns,
            evidence: {
              months: recent.map((m) => m.month).join(', '),
              overallRate: round(overall),
              ratioThreshold: t.immatureLabelRatio,
            },
            details: recent.map((m) => ({
              month: m.month,
              labelled: m.labelled,
              rate: round(m.positives / m.labelled),
            })),
            sql,
            recommendation:
              'Outcomes that take time to happen are still open for the newest rows. Leave out rows younger than the outcome window, or label them only once the window has passed.',
          }),
        );
    }
    return out;
  },
};

function display(s: ReadinessSetup): string {
  return q(s.label?.positiveDisplay ?? null);
}

/** A value of the example row as written in the data, text quoted, dates at the column's type (not ISO text). */
function exampleValue(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string'
    ? JSON.stringify(formatCell(value, { type }))
    : formatCell(value, { type });
}
