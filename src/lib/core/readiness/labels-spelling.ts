import { labelVariantsQuery, missingLabelsQuery } from '../sql/readiness-labels';
import { LABEL_DEPS } from './deps';
import { count, finder, fmtInt, fmtPct, q, round, toText } from './findings';
import type { CheckDefinition } from './types';
import { countsQueries, countsRows } from './labels-common';

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
