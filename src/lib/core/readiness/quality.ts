import type { ColumnProfile, Finding } from '../model/audit';
import {
  distinctCountsQuery,
  duplicateRowsQuery,
  missingLikeValuesQuery,
  mixedTypesQuery,
  piiMatchesQuery,
  shapeMatchesQuery,
  valueCountsQuery,
} from '../sql/readiness-quality';
import { PERSONAL_SHAPES, personalByName, personalShape, type PersonalShape } from '../redact/names';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { finder, first, fmtInt, fmtPct, q, round, toNumber } from './findings';
import {
  assessRowGroups,
  beyondChance,
  chanceFacts,
  collisionsEvidenceSql,
  collisionsQueryFor,
  expectedPairs,
  rowGroupsQueries,
} from './structure';
import type { CheckDefinition, ReadinessSetup } from './types';

/**
 * Findings lifted from the data profile (duplicates, constant columns,
 * missing-like tokens, sentinels, mixed types, PII). They run only when a
 * profile is given; the SQL recounts the same thing against the table.
 */

const PROFILE_DEPS = ['profile', 'excluded', 'thresholds'] as const;

function profiled(s: ReadinessSetup): ColumnProfile[] {
  const excluded = new Set(s.input.roles.excluded);
  return (s.input.profile?.columns ?? []).filter(
    (c) => !excluded.has(c.name) && s.columns.some((x) => x.name === c.name),
  );
}

const SENSITIVE_KINDS = /card|iban|ssn|passport|tax|national/i;

/**
 * The profile's count of identical pairs, when it grouped the very columns this
 * check compares (no column excluded): the check then needs no scan of its own.
 */
function profiledIdenticalPairs(s: ReadinessSetup): number | undefined {
  const profile = s.input.profile;
  if (profile?.identicalPairs === undefined) return undefined;
  const profiled = profile.columns.map((c) => c.name).sort();
  const compared = s.columns.map((c) => c.name).sort();
  const same = profiled.length === compared.length && profiled.every((name, i) => name === compared[i]);
  return same ? profile.identicalPairs : undefined;
}

function allColumnsDuplicatesQuery(s: ReadinessSetup): string {
  return duplicateRowsQuery(
    s.input.tableName,
    s.columns.map((c) => c.name),
  );
}

export const qualityDuplicates: CheckDefinition = {
  id: 'quality-duplicates',
  area: 'quality',
  meaning: 'Exact duplicate rows over-weight some records and inflate validation scores.',
  fix: 'pipeline',
  owner: 'data-engineering',
  inWords: 'duplicate rows against chance',
  description:
    'Exact duplicate rows (from the profile), judged against the identical rows independent columns would give by chance and against repeated entities.',
  evidence: {
    duplicateRows: { label: 'Duplicate rows', kind: 'count' },
    rows: { label: 'Rows', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    majorAbove: { label: 'Major above', kind: 'share' },
    identicalPairs: { label: 'Identical pairs of rows', kind: 'count' },
    expectedPairsByChance: { label: 'Pairs expected by chance', kind: 'number' },
    chanceRatio: { label: 'Flagged from', kind: 'number', unit: '× chance' },
    repeatedEntities: { label: 'The same entities recur without an ID', kind: 'boolean' },
  },
  dependsOn: [...PROFILE_DEPS, ...FEATURE_DEPS, ...LABEL_DEPS],
  applies: (s) => (s.input.profile?.duplicateRows ?? 0) > 0,
  queries: (s) => ({
    ...(profiledIdenticalPairs(s) === undefined ? { dups: allColumnsDuplicatesQuery(s) } : {}),
    // The same statements as the duplicate and conflict checks', run once for all.
    ...(s.label && s.features.length > 0 ? rowGroupsQueries(s) : { chance: collisionsQueryFor(s) }),
  }),
  findings(s, r) {
    const p = s.input.profile!;
    const t = s.thresholds;
    const share = p.rows ? p.duplicateRows / p.rows : 0;
    const pairs = profiledIdenticalPairs(s) ?? toNumber(first(r.dups).pairs) ?? 0;
    const expected = expectedPairs(
      chanceFacts(s, first(r.chance)),
      s.columns.map((c) => c.name),
    );
    const chance = !beyondChance(pairs, expected, t.chanceMatchRatio);
    const entities = !chance && r.groups !== undefined && assessRowGroups(s, r).repeatedEntities;
    const expectedText = expected < 10 ? String(round(expected, 1)) : fmtInt(expected);
    const head = `${fmtInt(p.duplicateRows)} rows (${fmtPct(share, 2)}) repeat an earlier row exactly`;
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: chance || entities ? 'info' : share >= t.duplicateShareMajor ? 'major' : 'minor',
        key: 'rows',
        title: chance
          ? `${head}, about as many as chance gives with these columns (${fmtInt(pairs)} identical pairs where independent columns give ≈${expectedText})`
          : entities
            ? `${head}: the same entities recurring with the same values, not copies`
            : head,
        columns: [],
        evidence: {
          duplicateRows: p.duplicateRows,
          rows: p.rows,
          share: round(share, 5),
          majorAbove: t.duplicateShareMajor,
          identicalPairs: pairs,
          expectedPairsByChance: round(expected, 3),
          chanceRatio: t.chanceMatchRatio,
          repeatedEntities: entities,
        },
        ...(p.duplicateExample ? { details: [p.duplicateExample] } : {}),
        sql: `${allColumnsDuplicatesQuery(s)};\n${collisionsEvidenceSql(s)}`,
        recommendation: chance
          ? 'With few distinct values per column, different records coincide by chance: these are not copies. Keep them; if the records should be told apart, a distinguishing column is missing.'
          : entities
            ? 'Most rows share their whole feature vector with other rows (see structure-groups): the same people or units observed several times, identical when nothing changed between observations. Keep them, ask for the entity ID, and split by entity.'
            : 'Find out whether the copies are a double export or real repeated events; deduplicate before splitting (see leakage-split-duplicates).',
      }),
    ];
  },
};

export const qualityConstant: CheckDefinition = {
  id: 'quality-constant',
  area: 'quality',
  meaning: 'A field with a single value carries no information and can be dropped.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description: 'Constant and all-empty columns (from the profile).',
  evidence: {
    constant: { label: 'Constant columns', kind: 'text' },
    allMissing: { label: 'Empty columns', kind: 'text' },
  },
  dependsOn: PROFILE_DEPS,
  applies: (s) => constantColumns(s).length > 0,
  queries: () => ({}),
  findings(s) {
    const columns = constantColumns(s);
    const empty = new Set(s.input.profile?.allMissingColumns ?? []);
    return [
      finder(
        s,
        this.id,
        this.area,
      )({
        severity: 'minor',
        key: 'columns',
        title: `${columns.length} column${columns.length === 1 ? '' : 's'} carry no information: ${columns.slice(0, 5).map(q).join(', ')}${columns.length > 5 ? ', …' : ''}`,
        columns,
        evidence: {
          constant: columns.filter((c) => !empty.has(c)).join(', ') || null,
          allMissing: columns.filter((c) => empty.has(c)).join(', ') || null,
        },
        sql: distinctCountsQuery(s.input.tableName, columns),
        recommendation:
          'Exclude these columns: a single value (or none) cannot help a model. If they should vary, the extract lost them.',
      }),
    ];
  },
};

function constantColumns(s: ReadinessSetup): string[] {
  const p = s.input.profile;
  if (!p) return [];
  const excluded = new Set(s.input.roles.excluded);
  return [...new Set([...p.constantColumns, ...p.allMissingColumns])].filter(
    (c) => !excluded.has(c) && s.columns.some((x) => x.name === c),
  );
}

export const qualityMissingLike: CheckDefinition = {
  id: 'quality-missing-like',
  area: 'quality',
  meaning: 'Text placeholders like “N/A” are missing values in disguise and must be treated as such.',
  fix: 'pipeline',
  owner: 'data-engineering',
  inWords: 'placeholder texts for missing values',
  description: 'Text tokens that mean "missing" ("N/A", "null", "-") stored as values (from the profile).',
  evidence: {
    rows: { label: 'Rows with a placeholder', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    tokens: { label: 'Placeholders (rows)', kind: 'text' },
  },
  dependsOn: [...PROFILE_DEPS, 'target'],
  applies: (s) => profiled(s).some((c) => c.missingLike.total > 0 && c.name !== s.input.roles.target),
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    return profiled(s)
      .filter((c) => c.missingLike.total > 0 && c.name !== s.input.roles.target)
      .map((c) =>
        make({
          severity: 'minor',
          key: c.name,
          title: `${fmtInt(c.missingLike.total)} ${q(c.name)} values are placeholders for missing (${c.missingLike.values.map((v) => JSON.stringify(v.value)).join(', ')})`,
          columns: [c.name],
          evidence: {
            rows: c.missingLike.total,
            share: round(c.missingLike.total / Math.max(1, s.rows), 5),
            tokens: c.missingLike.values.map((v) => `${JSON.stringify(v.value)}: ${v.count}`).join(', '),
          },
          details: c.missingLike.values.map((v) => ({ value: v.value, rows: v.count })),
          sql: missingLikeValuesQuery(s.input.tableName, c.name),
          recommendation:
            'Convert these tokens to real missing values (NULL) at load time, so they are neither a category of their own nor counted as filled in.',
        }),
      );
  },
};

export const qualitySentinels: CheckDefinition = {
  id: 'quality-sentinels',
  area: 'quality',
  meaning: 'Numeric codes such as 99999 stand for “unknown” and distort any statistic or model.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description: 'Numeric sentinel values (-1, 999, 99999…) far outside the distribution (from the profile).',
  evidence: {
    rows: { label: 'Rows with a placeholder value', kind: 'count' },
    share: { label: 'Share of rows', kind: 'share' },
    values: { label: 'Placeholder values (rows)', kind: 'text' },
    majorAbove: { label: 'Major above', kind: 'share' },
  },
  dependsOn: PROFILE_DEPS,
  applies: (s) => profiled(s).some((c) => (c.numeric?.sentinels.length ?? 0) > 0),
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    return profiled(s)
      .filter((c) => (c.numeric?.sentinels.length ?? 0) > 0)
      .map((c) => {
        const sentinels = c.numeric!.sentinels;
        const rows = sentinels.reduce((a, v) => a + v.count, 0);
        const share = c.count ? rows / c.count : 0;
        return make({
          severity: share >= s.thresholds.sentinelShareMajor ? 'major' : 'minor',
          key: c.name,
          title: `${fmtInt(rows)} ${q(c.name)} values are sentinel codes (${sentinels.map((v) => String(v.value)).join(', ')})`,
          columns: [c.name],
          evidence: {
            rows,
            share: round(share, 5),
            values: sentinels.map((v) => `${String(v.value)}: ${v.count}`).join(', '),
            majorAbove: s.thresholds.sentinelShareMajor,
          },
          details: sentinels.map((v) => ({ value: v.value, rows: v.count })),
          sql: valueCountsQuery(
            s.input.tableName,
            c.name,
            sentinels.map((v) => v.value),
          ),
          recommendation:
            'Replace sentinel codes with missing values (and a "was missing" flag if missingness carries meaning) before any statistics or scaling.',
        });
      });
  },
};

function mixedColumns(
  s: ReadinessSetup,
): { column: ColumnProfile; numericShare: number; dateShare: number }[] {
  const t = s.thresholds;
  return profiled(s)
    .filter((c) => c.text && c.count > 0)
    .map((c) => ({
      column: c,
      numericShare: c.text!.numericLike / c.count,
      dateShare: c.text!.dateLike / c.count,
    }))
    .filter(
      (x) =>
        (x.numericShare > t.mixedTypeLow && x.numericShare < t.mixedTypeHigh) ||
        (x.dateShare > t.mixedTypeLow && x.dateShare < t.mixedTypeHigh),
    );
}

export const qualityMixedTypes: CheckDefinition = {
  id: 'quality-mixed-types',
  area: 'quality',
  meaning: 'A field mixes numbers, dates and text, so it cannot be used until it is cleaned.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description: 'Text columns mixing numbers or dates with other text (from the profile).',
  evidence: {
    numericShare: { label: 'Values that read as numbers', kind: 'share' },
    dateShare: { label: 'Values that read as dates', kind: 'share' },
    nonNull: { label: 'Values present', kind: 'count' },
  },
  dependsOn: PROFILE_DEPS,
  applies: (s) => mixedColumns(s).length > 0,
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    return mixedColumns(s).map(({ column, numericShare, dateShare }) =>
      make({
        severity: 'minor',
        key: column.name,
        title: `${q(column.name)} mixes types: ${fmtPct(numericShare)} numbers, ${fmtPct(dateShare)} dates, the rest other text`,
        columns: [column.name],
        evidence: { numericShare: round(numericShare), dateShare: round(dateShare), nonNull: column.count },
        sql: mixedTypesQuery(s.input.tableName, column.name),
        recommendation:
          'Decide the column’s type, convert what parses, and look at the values that do not (units, comments, codes) before using it.',
      }),
    );
  },
};

function piiColumns(s: ReadinessSetup): { column: ColumnProfile; kinds: ColumnProfile['pii'] }[] {
  const t = s.thresholds;
  return (s.input.profile?.columns ?? [])
    .filter((c) => s.columns.some((x) => x.name === c.name))
    .map((c) => {
      const kinds = c.pii.filter(
        (p) => p.share >= t.piiShare || (SENSITIVE_KINDS.test(p.kind) && p.matches > 0),
      );
      // Values shaped like people's names or addresses (the detection that masks them in exports), when the
      // column's name agrees: a shape alone also fits makes and places ("Acura Integra" in Cars93's Make).
      const shaped = personalByName(c.name, c.family) ? personalShape(c) : undefined;
      return { column: c, kinds: shaped ? [...kinds, shaped] : kinds };
    })
    .filter((x) => x.kinds.length > 0);
}

export const privacyPii: CheckDefinition = {
  id: 'privacy-pii',
  area: 'privacy',
  meaning: 'The field holds personal data; it must be removed or protected before modelling or sharing.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description: 'Personal data (e-mail, phone, card numbers, IBAN…) found by the profile.',
  evidence: {
    kinds: { label: 'Kinds of personal data', kind: 'text' },
    matches: { label: 'Matching values', kind: 'count' },
    share: { label: 'Share of values', kind: 'share' },
    excludedFromFeatures: { label: 'Excluded from features', kind: 'boolean' },
  },
  dependsOn: ['profile', 'excluded', 'thresholds'],
  applies: (s) => piiColumns(s).length > 0,
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    const excluded = new Set(s.input.roles.excluded);
    return piiColumns(s).map(({ column, kinds }): Finding => {
      const main = [...kinds].sort((a, b) => b.matches - a.matches)[0]!;
      const isExcluded = excluded.has(column.name);
      return make({
        severity: isExcluded ? 'minor' : 'major',
        key: column.name,
        title: `${q(column.name)} contains personal data: ${kinds.map((k) => `${k.kind} (${fmtInt(k.matches)})`).join(', ')}`,
        columns: [column.name],
        evidence: {
          kinds: kinds.map((k) => k.kind).join(', '),
          matches: main.matches,
          share: round(main.share, 4),
          excludedFromFeatures: isExcluded,
        },
        details: kinds.map((k) => ({ kind: k.kind, matches: k.matches, share: k.share })),
        sql: Object.hasOwn(PERSONAL_SHAPES, main.kind)
          ? shapeMatchesQuery(
              s.input.tableName,
              column.name,
              PERSONAL_SHAPES[main.kind as PersonalShape['kind']],
            )
          : piiMatchesQuery(s.input.tableName, column.name, main.kind),
        recommendation: isExcluded
          ? 'Excluded from the features, but still in the file: remove or pseudonymise it before the data leaves the client, and record the legal basis for holding it.'
          : 'Remove or pseudonymise personal data before modelling (GDPR data minimisation; card numbers fall under PCI DSS). Exclude the column from the features.',
      });
    });
  },
};
