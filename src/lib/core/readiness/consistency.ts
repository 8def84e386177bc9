import { emptyShareBySourceChart, medianBySourceChart } from '../charts/check-charts';
import type { Finding } from '../model/audit';
import {
  categoricalShiftBySourceQuery,
  nullRatesBySourceQuery,
  numericShiftBySourceQuery,
  scaleBySourceQuery,
  vocabularyBySourceQuery,
} from '../sql/readiness-consistency';
import {
  batchRows,
  categoryBatch,
  comparableColumns as comparable,
  distributionColumns,
  numericColumns as scaleColumns,
  sourceBatch,
  statements,
  vocabularyColumns,
} from './consistency-batch';
import { FEATURE_DEPS } from './deps';
import { count, finder, fmtPct, median, q, round, toNumber, toText } from './findings';
import type { CheckDefinition, ColumnFacts, ReadinessSetup } from './types';

const SOURCE_DEPS = ['source', 'thresholds', ...FEATURE_DEPS] as const;

/** The per-column query a shift finding shows (the batch computes the same rows for every column at once). */
function shiftQuery(s: ReadinessSetup, c: ColumnFacts): string {
  const t = s.thresholds;
  return c.family === 'numeric'
    ? numericShiftBySourceQuery(s.sql, c.name, t.minGroupRows)
    : categoricalShiftBySourceQuery(s.sql, c.name, t.maxCategories, t.minGroupRows);
}

export const consistencyNulls: CheckDefinition = {
  id: 'consistency-nulls',
  area: 'consistency',
  meaning: 'A source leaves a field empty far more often than others, a sign of a different process.',
  fix: 'upstream',
  owner: 'source-owner',
  chart: emptyShareBySourceChart,
  inWords: 'missing values by source',
  description: 'Null rate of each column per source system against the other sources.',
  evidence: {
    source: { label: 'Source', kind: 'text' },
    nullRate: { label: 'Missing in this source', kind: 'share' },
    restNullRate: { label: 'Missing in the other sources', kind: 'share' },
    difference: { label: 'Difference', kind: 'share' },
    threshold: { label: 'Flagged from a difference of', kind: 'share' },
  },
  dependsOn: SOURCE_DEPS,
  applies: (s) => s.source !== undefined && comparable(s).length > 0,
  queries: (s) => statements({ bySource: sourceBatch(s), categories: categoryBatch(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const out: Finding[] = [];
    comparable(s).forEach((column) => {
      // Each column's counts come from one of the batches.
      const rows = [
        ...batchRows(r.bySource, 'nulls', column.name),
        ...batchRows(r.categories, 'nulls', column.name),
      ].filter((x) => count(x.rows) >= t.minGroupRows);
      if (rows.length < 2) return;
      const perSource = rows.map((x) => ({
        source: toText(x.source) ?? '(missing)',
        rows: count(x.rows),
        nulls: count(x.rows) - count(x.nn),
      }));
      const totalRows = perSource.reduce((a, x) => a + x.rows, 0);
      const totalNulls = perSource.reduce((a, x) => a + x.nulls, 0);
      const deviations = perSource
        .map((x) => {
          const rate = x.nulls / x.rows;
          const rest = (totalNulls - x.nulls) / (totalRows - x.rows);
          return { ...x, rate, rest, diff: rate - rest };
        })
        .filter((x) => Math.abs(x.diff) >= t.nullRateDiff);
      if (deviations.length === 0) return;
      const neverFilled = deviations.filter((x) => x.rate >= 0.95 && x.rest <= 0.5);
      const worst = [...deviations].sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff))[0]!;
      out.push(
        make({
          severity: neverFilled.length > 0 ? 'major' : 'minor',
          key: column.name,
          title:
            neverFilled.length > 0
              ? `${q(column.name)} is almost never filled in source ${neverFilled.map((x) => q(x.source)).join(', ')}`
              : `${q(column.name)} is ${fmtPct(worst.rate)} empty in ${q(worst.source)} against ${fmtPct(worst.rest)} elsewhere`,
          columns: [column.name, s.source!.name],
          evidence: {
            source: worst.source,
            nullRate: round(worst.rate),
            restNullRate: round(worst.rest),
            difference: round(worst.diff),
            threshold: t.nullRateDiff,
          },
          details: perSource.map((x) => ({
            source: x.source,
            rows: x.rows,
            nulls: x.nulls,
            nullRate: round(x.nulls / x.rows),
          })),
          sql: nullRatesBySourceQuery(s.sql, [column.name]),
          recommendation:
            'A field filled differently per source means the sources capture it differently. If it stays a feature, the model learns the source; harmonise the capture, impute per source, or drop the field.',
        }),
      );
    });
    return out;
  },
};

export const consistencyDistribution: CheckDefinition = {
  id: 'consistency-distribution',
  area: 'consistency',
  meaning: 'A field is distributed differently in one source, so combining sources mixes two populations.',
  fix: 'upstream',
  owner: 'source-owner',
  inWords: 'distributions by source',
  description:
    'Distance between each source’s value distribution and the other sources’ (PSI on pooled deciles or on categories, plus total-variation distance).',
  evidence: {
    source: { label: 'Source', kind: 'text' },
    psi: { label: 'Population stability index (PSI)', kind: 'number' },
    totalVariation: { label: 'Total variation distance', kind: 'number' },
    method: { label: 'Method', kind: 'text' },
    threshold: { label: 'Flagged from a PSI of', kind: 'number' },
  },
  dependsOn: SOURCE_DEPS,
  applies: (s) => s.source !== undefined && distributionColumns(s).length > 0,
  queries: (s) =>
    statements({
      bySource: distributionColumns(s).some((c) => c.family === 'numeric') ? sourceBatch(s) : undefined,
      categories: distributionColumns(s).some((c) => c.family !== 'numeric') ? categoryBatch(s) : undefined,
    }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const out: Finding[] = [];
    distributionColumns(s).forEach((column) => {
      const batch = column.family === 'numeric' ? r.bySource : r.categories;
      const pairs = batchRows(batch, 'shift', column.name).map((x) => ({
        source: toText(x.source) ?? '(missing)',
        other: toText(x.other) ?? '(missing)',
        rows: count(x.rows),
        psi: toNumber(x.psi) ?? 0,
        tvd: toNumber(x.tvd) ?? 0,
      }));
      const sources = [...new Set(pairs.map((x) => x.source))];
      // A source stands out when it is far from most other sources, not merely from their pooled mix.
      const summary = sources.map((source) => {
        const mine = pairs.filter((x) => x.source === source);
        const far = mine.filter((x) => x.psi >= t.psiShift).length;
        return {
          source,
          rows: mine[0]?.rows ?? 0,
          psi: median(mine.map((x) => x.psi)) ?? 0,
          tvd: median(mine.map((x) => x.tvd)) ?? 0,
          far,
          others: mine.length,
        };
      });
      const shifted = summary
        .filter((x) => x.others > 0 && x.far > x.others / 2)
        .sort((a, b) => b.psi - a.psi);
      if (shifted.length === 0) return;
      const worst = shifted[0]!;
      out.push(
        make({
          severity: 'minor',
          key: column.name,
          title: `${q(column.name)} is distributed differently in source ${shifted.map((x) => q(x.source)).join(', ')} (PSI ${round(worst.psi, 2)})`,
          columns: [column.name, s.source!.name],
          evidence: {
            source: worst.source,
            psi: round(worst.psi, 4),
            totalVariation: round(worst.tvd, 4),
            method:
              column.family === 'numeric'
                ? 'PSI over pooled deciles (median against the other sources)'
                : 'PSI over categories, trimmed and lower-cased (median against the other sources)',
            threshold: t.psiShift,
          },
          details: pairs.map((x) => ({
            source: x.source,
            other: x.other,
            rows: x.rows,
            psi: round(x.psi, 4),
            totalVariation: round(x.tvd, 4),
          })),
          sql: shiftQuery(s, column),
          recommendation:
            'Check whether the sources serve different populations (a real difference the model may need to know about) or record the field differently (units, codes, defaults): harmonise the latter before training.',
        }),
      );
    });
    return out;
  },
};

export const consistencyVocabulary: CheckDefinition = {
  id: 'consistency-vocabulary',
  area: 'consistency',
  meaning: 'Sources spell the same values differently; unmerged, one category becomes several.',
  fix: 'pipeline',
  owner: 'data-engineering',
  inWords: 'values only one source uses',
  description:
    'Values that appear in one source only, and case or format variants of the same value across sources.',
  evidence: {
    variantValues: { label: 'Values spelled differently', kind: 'count' },
    sourceSpecific: { label: 'Spellings only one source uses', kind: 'count' },
    sources: { label: 'Sources', kind: 'text' },
    examples: { label: 'Examples', kind: 'text' },
    values: { label: 'Values only one source uses (source, rows)', kind: 'text' },
    minRows: { label: 'Counted from', kind: 'count', unit: 'row' },
  },
  dependsOn: SOURCE_DEPS,
  applies: (s) => s.source !== undefined && vocabularyColumns(s).length > 0,
  queries: (s) => statements({ categories: categoryBatch(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    return vocabularyColumns(s).flatMap((column) =>
      vocabularyFindings(
        { s, make, column: column.name },
        batchRows(r.categories, 'vocabulary', column.name),
      ),
    );
  },
};

/**
 * One spelling of a value in one source: `key` is the value once case and format are normalised.
 * A type, not an interface, so it passes as a finding's detail row.
 */
type Spelling = {
  source: string;
  value: string;
  key: string;
  rows: number;
};

interface SpellingVariant {
  key: string;
  /** Every spelling with the sources that use it. */
  spellings: string;
  sourceSpecific: boolean;
}

type OnlyInOneSource = {
  value: string;
  source: string;
  rows: number;
};

interface VocabularyColumn {
  s: ReadinessSetup;
  make: ReturnType<typeof finder>;
  column: string;
}

function vocabularyFindings(c: VocabularyColumn, batch: ReturnType<typeof batchRows>): Finding[] {
  const t = c.s.thresholds;
  const rows = spellingRows(batch);
  const sources = judgedSources(rows, t.minGroupRows);
  if (sources.length < 2) return [];
  const variants: SpellingVariant[] = [];
  const onlyIn: OnlyInOneSource[] = [];
  for (const [key, group] of groupByKey(rows, sources)) {
    const variant = spellingVariant(key, group, sources);
    if (variant) variants.push(variant);
    const present = [...new Set(group.map((x) => x.source))];
    const n = group.reduce((a, x) => a + x.rows, 0);
    if (present.length === 1 && n >= t.vocabularyMinRows)
      onlyIn.push({ value: group[0]!.value, source: present[0]!, rows: n });
  }
  const out: Finding[] = [];
  if (variants.length > 0) out.push(variantsFinding(c, rows, sources, variants));
  if (onlyIn.length > 0) out.push(onlyInOneSourceFinding(c, onlyIn));
  return out;
}

function spellingRows(batch: ReturnType<typeof batchRows>): Spelling[] {
  return batch.map((x) => ({
    source: toText(x.source) ?? '(missing)',
    value: toText(x.value) ?? '',
    key: toText(x.key) ?? '',
    rows: count(x.rows),
  }));
}

/** The sources with enough rows to compare. */
function judgedSources(rows: readonly Spelling[], minGroupRows: number): string[] {
  const sourceRows = new Map<string, number>();
  for (const x of rows) sourceRows.set(x.source, (sourceRows.get(x.source) ?? 0) + x.rows);
  return [...sourceRows.entries()].filter(([, n]) => n >= minGroupRows).map(([src]) => src);
}

function groupByKey(rows: readonly Spelling[], sources: readonly string[]): Map<string, Spelling[]> {
  const byKey = new Map<string, Spelling[]>();
  for (const x of rows) if (sources.includes(x.source)) byKey.set(x.key, [...(byKey.get(x.key) ?? []), x]);
  return byKey;
}

/** The spelling a source writes most often for a value, if it writes it at all. */
function dominantSpelling(group: readonly Spelling[], source: string): string | undefined {
  return group.filter((x) => x.source === source).sort((a, b) => b.rows - a.rows)[0]?.value;
}

/** A value written more than one way; undefined when every row spells it alike. */
function spellingVariant(
  key: string,
  group: readonly Spelling[],
  sources: readonly string[],
): SpellingVariant | undefined {
  const spellings = [...new Set(group.map((x) => x.value))];
  if (spellings.length <= 1) return undefined;
  // Source-specific when sources disagree on their dominant spelling of this value.
  const dominant = new Set<string>();
  for (const src of sources) {
    const mine = dominantSpelling(group, src);
    if (mine !== undefined) dominant.add(mine);
  }
  return {
    key,
    sourceSpecific: dominant.size > 1,
    spellings: spellings
      .map(
        (v) =>
          `${JSON.stringify(v)} (${[...new Set(group.filter((x) => x.value === v).map((x) => x.source))].join(', ')})`,
      )
      .join(' / '),
  };
}

/** The sources whose dominant spelling of some source-specific value no other source shares. */
function oddSources(
  rows: readonly Spelling[],
  sources: readonly string[],
  specific: readonly SpellingVariant[],
): string[] {
  return sources.filter((src) => {
    const others = sources.filter((o) => o !== src);
    return specific.some((v) => {
      const spelled = rows.filter((x) => x.key === v.key);
      const mine = dominantSpelling(spelled, src);
      return mine !== undefined && others.every((o) => dominantSpelling(spelled, o) !== mine);
    });
  });
}

function variantsFinding(
  { s, make, column }: VocabularyColumn,
  rows: readonly Spelling[],
  sources: readonly string[],
  variants: readonly SpellingVariant[],
): Finding {
  const specific = variants.filter((v) => v.sourceSpecific);
  const sourcesInvolved = [
    ...new Set(rows.filter((x) => specific.some((v) => v.key === x.key)).map((x) => x.source)),
  ];
  const odd = oddSources(rows, sources, specific);
  return make({
    severity: specific.length > 0 ? 'major' : 'minor',
    key: column,
    title:
      specific.length > 0
        ? `${q(column)} is spelled differently by source${odd.length ? ` ${odd.map((x) => q(x)).join(', ')}` : 's'} (${specific.length} value${specific.length === 1 ? '' : 's'}, e.g. ${specific[0]!.spellings})`
        : `${q(column)} has ${variants.length} values with case or format variants`,
    columns: [column, s.source!.name],
    evidence: {
      variantValues: variants.length,
      sourceSpecific: specific.length,
      sources: (odd.length ? odd : sourcesInvolved).join(', '),
      examples: variants
        .slice(0, 5)
        .map((v) => v.spellings)
        .join('; '),
    },
    details: rows.filter((x) => variants.some((v) => v.key === x.key)),
    sql: vocabularyBySourceQuery(s.sql, column),
    recommendation:
      'Map every spelling to one canonical value (a lookup table per source) before training; otherwise one category splits in two and the split follows the source system.',
  });
}

function onlyInOneSourceFinding({ s, make, column }: VocabularyColumn, onlyIn: OnlyInOneSource[]): Finding {
  return make({
    severity: 'minor',
    key: `${column}:only-in-one-source`,
    title: `${onlyIn.length} ${q(column)} value${onlyIn.length === 1 ? '' : 's'} appear in one source only`,
    columns: [column, s.source!.name],
    evidence: {
      values: onlyIn
        .slice(0, 8)
        .map((x) => `${JSON.stringify(x.value)} (${x.source}, ${x.rows})`)
        .join(', '),
      minRows: s.thresholds.vocabularyMinRows,
    },
    details: onlyIn,
    sql: vocabularyBySourceQuery(s.sql, column),
    recommendation:
      'Ask whether the other sources have an equivalent value under another name (map it), or whether this value is genuinely specific to that source.',
  });
}

export const consistencyScale: CheckDefinition = {
  id: 'consistency-scale',
  area: 'consistency',
  meaning: 'A source records a field on another scale (units, cents), which corrupts any model using it.',
  fix: 'upstream',
  owner: 'source-owner',
  chart: medianBySourceChart,
  inWords: 'units or scales that differ by source',
  description:
    'Unit or scale differences: a source whose median is ≥ 50× (or ≤ 1/50) that of the other sources.',
  evidence: {
    source: { label: 'Source', kind: 'text' },
    median: { label: 'Median in this source', kind: 'number' },
    otherMedian: { label: 'Median in the other sources', kind: 'number' },
    ratio: { label: 'Ratio of the medians', kind: 'number' },
    nearestPowerOfTen: { label: 'Nearest power of ten', kind: 'number' },
    threshold: { label: 'Flagged from a ratio of', kind: 'number' },
  },
  dependsOn: SOURCE_DEPS,
  applies: (s) => s.source !== undefined && scaleColumns(s).length > 0,
  queries: (s) => statements({ bySource: sourceBatch(s) }),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const out: Finding[] = [];
    scaleColumns(s).forEach((column) => {
      const rows = batchRows(r.bySource, 'scale', column.name)
        .map((x) => ({
          source: toText(x.source) ?? '(missing)',
          rows: count(x.rows),
          median: toNumber(x.median),
          medianAbs: toNumber(x.median_abs),
        }))
        .filter((x) => x.rows >= t.minGroupRows && x.medianAbs !== null && x.medianAbs > 0);
      if (rows.length < 2) return;
      const flagged = rows
        .map((x) => {
          const others = median(rows.filter((o) => o.source !== x.source).map((o) => o.medianAbs!))!;
          return { ...x, others, ratio: x.medianAbs! / others };
        })
        .filter((x) => x.ratio >= t.scaleRatio || x.ratio <= 1 / t.scaleRatio);
      if (flagged.length === 0) return;
      const worst = flagged.sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)))[0]!;
      const power = Math.round(Math.log10(worst.ratio));
      out.push(
        make({
          severity: 'major',
          key: column.name,
          title: `${q(column.name)} in source ${q(worst.source)} is on a different scale: median ${round(worst.medianAbs, 2)} vs ${round(worst.others, 2)} (×${round(worst.ratio, 1)})`,
          columns: [column.name, s.source!.name],
          evidence: {
            source: worst.source,
            median: round(worst.medianAbs, 4),
            otherMedian: round(worst.others, 4),
            ratio: round(worst.ratio, 3),
            nearestPowerOfTen: 10 ** power,
            threshold: t.scaleRatio,
          },
          details: rows.map((x) => ({
            source: x.source,
            rows: x.rows,
            median: x.median,
            medianAbs: x.medianAbs,
          })),
          sql: scaleBySourceQuery(s.sql, column.name),
          recommendation: `A ratio near ${10 ** power} suggests another unit (cents vs units, grams vs kilograms, percent vs fraction). Confirm the unit with ${q(worst.source)}’s owner and convert before training.`,
        }),
      );
    });
    return out;
  },
};
