import { totalRowsQuery } from '../sql/readiness-volume';
import { count, finder, first, fmtInt, q } from './findings';
import type { CheckDefinition } from './types';
import { LABEL_DEPS } from './deps';

export const volumeRows: CheckDefinition = {
  id: 'volume-rows',
  area: 'volume',
  meaning: 'How many rows there are to learn from; too few and any model will mostly learn noise.',
  fix: 'collect-more-data',
  owner: 'domain-expertise',
  inWords: 'labelled rows against the floor of 50',
  description:
    'Labelled rows against the floor of 50 any model needs (a blocker below it), and rows overall against the ≈10,000-record seed guidance (a reference, not a rule).',
  evidence: {
    rows: { label: 'Rows', kind: 'count' },
    labelledRows: { label: 'Labelled rows', kind: 'count' },
    floor: { label: 'Floor of labelled rows', kind: 'count' },
    belowFloor: { label: 'Below the floor', kind: 'boolean' },
    seedGuidanceRows: { label: 'Seed guidance (a reference)', kind: 'count', unit: 'row' },
    belowSeedGuidance: { label: 'Below the seed guidance', kind: 'boolean' },
  },
  dependsOn: [...LABEL_DEPS, 'thresholds'],
  applies: () => true,
  queries: (s) => ({ rows: totalRowsQuery(s.sql) }),
  findings(s, r) {
    const t = s.thresholds;
    const rows = count(first(r.rows).rows);
    const labelled = s.label ? s.label.labelled : rows;
    const floor = t.labelledRowsFloor;
    const reference = t.seedGuidanceRows;
    const below = labelled < floor;
    const column = s.label?.column;
    const title = !below
      ? `${fmtInt(rows)} rows`
      : column !== undefined && labelled === 0
        ? `No labelled rows: ${q(column)} is empty or unusable in all ${fmtInt(rows)} rows`
        : column !== undefined
          ? `Only ${fmtInt(labelled)} labelled rows: below the floor of ${fmtInt(floor)} any model needs`
          : `Only ${fmtInt(rows)} rows: below the floor of ${fmtInt(floor)} labelled rows any model needs`;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: below ? 'blocker' : 'info',
        key: 'rows',
        title,
        columns: column !== undefined ? [column] : [],
        evidence: {
          rows,
          labelledRows: s.label ? labelled : null,
          floor,
          belowFloor: below,
          seedGuidanceRows: reference,
          belowSeedGuidance: rows < reference,
        },
        sql: totalRowsQuery(s.sql, true),
        recommendation: below
          ? `With fewer than ${fmtInt(floor)} labelled rows a model can be neither fitted reliably nor evaluated: a 20 % hold-out would be ${fmtInt(Math.floor(labelled * 0.2))} rows, and cross-validated scores swing by tens of points at this size. Collect more labelled rows before any model work; until then, treat the data as material for a descriptive analysis, not a predictive model.`
          : rows < reference
            ? `Below the ≈${fmtInt(reference)}-record seed guidance for a straightforward binary classification. That is a reference point, not a rule: judge volume by the minority-class count and events per variable.`
            : `Above the ≈${fmtInt(reference)}-record seed guidance; volume is judged by the minority-class count and events per variable.`,
      }),
    ];
  },
};
