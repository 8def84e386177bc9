import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadBytes, loadFile } from '../../../support/engine';
import { readinessInput } from '../../../support/readiness';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { profileDataset } from '../../../../src/lib/session/profile';
import type { ColumnRoles, Finding, ProjectContext } from '../../../../src/lib/core/model/audit';
import { collisionPairsQuery } from '../../../../src/lib/core/sql/readiness-structure';
import { rowGroupsQuery } from '../../../../src/lib/core/sql/readiness-leakage';
import type { LabelRef } from '../../../../src/lib/core/sql/readiness-common';
import { expectedPairs, type ChanceFacts } from '../../../../src/lib/core/readiness/structure';

/** pandas / NumPy reference: tests/fixtures/structure/make_structure_reference.py. */
interface Reference {
  rows: number;
  columnPairs: Record<string, number>;
  labelPairs: number;
  expectedDuplicatePairs: number;
  expectedVectorPairs: number;
  expectedConflictPairs: number;
  duplicatePairs: number;
  vectorPairs: number;
  conflictPairs: number;
}
const REFERENCE = JSON.parse(readFileSync(join(FIXTURES, 'structure', 'reference.json'), 'utf8')) as Record<
  string,
  Reference
>;

const STRUCTURE = join(FIXTURES, 'structure');
const CORPUS = join(FIXTURES, 'corpus');

const conn = useEngine();
const loaded = new Map<string, LoadedDataset>();

async function load(path: string): Promise<LoadedDataset> {
  const hit = loaded.get(path);
  if (hit) return hit;
  const d = await loadFile(conn, path);
  loaded.set(path, d);
  return d;
}

async function audit(
  d: LoadedDataset,
  roles: Partial<ColumnRoles>,
  ctx: Partial<ProjectContext>,
): Promise<Finding[]> {
  const profile = await profileDataset(conn, d.tableName, 'ds');
  return runReadiness(conn, { ...readinessInput(d, 'ds', roles, ctx), profile });
}

function byCheck(findings: Finding[], check: string, key?: string): Finding | undefined {
  return findings.find((f) => f.check === check && (key === undefined || f.id === `${check}:ds:${key}`));
}

function mustHave(findings: Finding[], check: string, key?: string): Finding {
  const f = byCheck(findings, check, key);
  expect(f, `missing ${check}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

describe('matching pairs against chance, against pandas', () => {
  const cases: [file: string, path: string, target: string, kind: LabelRef['kind']][] = [
    ['survey.csv', join(STRUCTURE, 'survey.csv'), 'satisfied', 'classes'],
    ['copies.csv', join(STRUCTURE, 'copies.csv'), 'label', 'classes'],
    ['people.csv', join(STRUCTURE, 'people.csv'), 'visits', 'numeric'],
    ['randhie.csv', join(CORPUS, 'randhie.csv'), 'mdvis', 'numeric'],
  ];

  it.each(cases)(
    'counts the pairs of rows equal on each column and the pairs chance gives (%s)',
    async (file, path, target, kind) => {
      const ref = REFERENCE[file]!;
      const d = await load(path);
      const columns = d.columns.map((c) => c.name);
      const features = columns.filter((c) => c !== target);
      const label: LabelRef = { column: target, kind };
      const [row] = await conn.query(collisionPairsQuery(d.tableName, columns, label));
      expect(Number(row!.n)).toBe(ref.rows);
      columns.forEach((c, i) => expect(Number(row![`pairs_${i}`]), c).toBe(ref.columnPairs[c]));
      expect(Number(row!.label_pairs)).toBe(ref.labelPairs);

      const facts: ChanceFacts = {
        rows: ref.rows,
        pairs: new Map(columns.map((c, i) => [c, Number(row![`pairs_${i}`])])),
        labelPairs: Number(row!.label_pairs),
        labelPairsLabelled: Number(row!.label_pairs_labelled),
        labelled: Number(row!.labelled),
      };
      const all = ref.rows * (ref.rows - 1);
      const differ = (facts.labelled * (facts.labelled - 1) - facts.labelPairsLabelled) / all;
      const close = (a: number, b: number): void =>
        expect(a).toBeCloseTo(b, Math.max(0, 6 - Math.ceil(Math.log10(b + 1))));
      close(expectedPairs(facts, features), ref.expectedVectorPairs);
      close(expectedPairs(facts, features, facts.labelPairs / all), ref.expectedDuplicatePairs);
      if (kind === 'classes') close(expectedPairs(facts, features, differ), ref.expectedConflictPairs);

      const [groups] = await conn.query(
        rowGroupsQuery({ table: d.tableName, label, asOf: '2026-11-01' }, features, {
          testShare: 0.2,
          examples: 3,
        }),
      );
      expect(Number(groups!.rz_dup_pairs)).toBe(ref.duplicatePairs);
      expect(Number(groups!.rz_vector_pairs)).toBe(ref.vectorPairs);
      if (kind === 'classes') expect(Number(groups!.rz_conflict_pairs)).toBe(ref.conflictPairs);
    },
  );
});

describe('planted cases where each rule fires', () => {
  it('keeps coarse survey answers that coincide by chance out of the serious findings', async () => {
    const ref = REFERENCE['survey.csv']!;
    // Chance gives about as many matches as were seen: the premise of this fixture.
    expect(ref.duplicatePairs / ref.expectedDuplicatePairs).toBeLessThan(3);
    const findings = await audit(await load(join(STRUCTURE, 'survey.csv')), { target: 'satisfied' }, {});
    const dup = mustHave(findings, 'leakage-split-duplicates', 'rows');
    expect(dup.severity).toBe('info');
    expect(dup.title).toMatch(/chance/);
    expect(dup.evidence.matchingPairs).toBe(ref.duplicatePairs);
    const conflicts = mustHave(findings, 'labels-conflicting');
    expect(conflicts.severity).toBe('info');
    expect(conflicts.recommendation).toMatch(/not label noise/);
    expect(conflicts.evidence.conflictingPairs).toBe(ref.conflictPairs);
    expect(Number(conflicts.evidence.expectedPairsByChance)).toBeCloseTo(ref.expectedConflictPairs, 2);
    const quality = byCheck(findings, 'quality-duplicates');
    if (quality) expect(quality.severity).toBe('info');
  });

  it('calls planted copies and flipped labels major: far beyond chance, many straddling a split', async () => {
    const findings = await audit(await load(join(STRUCTURE, 'copies.csv')), { target: 'label' }, {});
    const dup = mustHave(findings, 'leakage-split-duplicates', 'rows');
    expect(dup.severity).toBe('major');
    expect(dup.evidence.groups).toBe(40);
    expect(Number(dup.evidence.expectedStraddlingGroups)).toBeGreaterThanOrEqual(10);
    const conflicts = mustHave(findings, 'labels-conflicting');
    expect(conflicts.severity).toBe('major');
    expect(conflicts.evidence.groups).toBe(20);
    expect(mustHave(findings, 'quality-duplicates').severity).toBe('major');
  });

  it('with an ID role, copies under different IDs are a minor look, never a major; copies under one ID are kept together', async () => {
    const lines = readFileSync(join(STRUCTURE, 'copies.csv'), 'utf8').trimEnd().split('\n');
    // Every row its own ID: each copy is one record filed under two IDs (different entities, to the audit).
    const ids = lines.map((line, i) => (i === 0 ? `id,${line}` : `r${i},${line}`)).join('\n') + '\n';
    const filedTwice = await audit(
      await loadBytes(conn, 'copies-ids.csv', ids),
      { target: 'label', id: 'id' },
      {},
    );
    const across = mustHave(filedTwice, 'leakage-split-duplicates', 'rows');
    expect(across.evidence.groupedBy).toBe('id');
    expect(across.evidence.groupsAcrossEntities).toBe(40);
    expect(across.severity).toBe('minor');
    expect(across.title).toMatch(/span several “id” values/);
    expect(across.recommendation).toMatch(/one record filed under two “id” values, deduplicate/);

    // The same rows keyed by their content: every copy shares its original's ID.
    const keyed = new Map<string, string>();
    const sameId =
      lines
        .map((line, i) => {
          if (i === 0) return `id,${line}`;
          const features = line.split(',').slice(0, 3).join(',');
          if (!keyed.has(features)) keyed.set(features, `k${keyed.size + 1}`);
          return `${keyed.get(features)},${line}`;
        })
        .join('\n') + '\n';
    const within = mustHave(
      await audit(await loadBytes(conn, 'copies-same-id.csv', sameId), { target: 'label', id: 'id' }, {}),
      'leakage-split-duplicates',
      'rows',
    );
    expect(within.evidence.groupsAcrossEntities).toBe(0);
    expect(within.severity).toBe('info');
    expect(within.title).toMatch(/each within one “id”/);
  });

  it('finds travellers with a fixed number of rows each and judges duplicates against a split by traveller', async () => {
    const d = await load(join(STRUCTURE, 'travellers.csv'));
    const findings = await audit(d, { target: 'choice' }, {});
    const g = mustHave(findings, 'structure-groups', 'traveller');
    expect(g.severity).toBe('minor');
    expect(g.evidence).toMatchObject({
      entities: 60,
      minRowsPerEntity: 4,
      maxRowsPerEntity: 4,
      balanced: true,
    });
    expect(String(g.evidence.entityAttributes)).toBe('income, size');
    expect(g.recommendation).toMatch(/Split train and test by “traveller”/);
    // Neither the mode (4 values × 60 rows) nor a per-row measurement is an entity.
    expect(findings.filter((f) => f.check === 'structure-groups')).toHaveLength(1);

    // A traveller listed twice: the copies stay inside one traveller under a group-aware split.
    const csv = readFileSync(join(STRUCTURE, 'travellers.csv'), 'utf8');
    const lines = csv.trimEnd().split('\n');
    const twice = [...lines, ...lines.slice(1, 9)].join('\n') + '\n';
    const copied = await loadBytes(conn, 'travellers-twice.csv', twice);
    const again = await audit(copied, { target: 'choice' }, {});
    const dup = mustHave(again, 'leakage-split-duplicates', 'rows');
    expect(dup.evidence.groupedBy).toBe(null);
    // 8 rows for two travellers, 4 for the rest: no longer a fixed count, so no grouping and a random split.
    expect(dup.evidence.groups).toBe(8);
  });

  it('judges copies within one entity as kept together by a split by that entity', async () => {
    // Every traveller's rows appear twice: still 8 rows each, every duplicate within one traveller.
    const csv = readFileSync(join(STRUCTURE, 'travellers.csv'), 'utf8');
    const lines = csv.trimEnd().split('\n');
    const doubled = await loadBytes(
      conn,
      'travellers-doubled.csv',
      [...lines, ...lines.slice(1)].join('\n') + '\n',
    );
    const findings = await audit(doubled, { target: 'choice' }, {});
    expect(mustHave(findings, 'structure-groups', 'traveller').evidence.minRowsPerEntity).toBe(8);
    const dup = mustHave(findings, 'leakage-split-duplicates', 'rows');
    expect(dup.evidence.groupedBy).toBe('traveller');
    expect(dup.evidence.groupsAcrossEntities).toBe(0);
    expect(dup.severity).toBe('info');
    expect(dup.title).toMatch(/each within one “traveller”/);
  });

  it('reads whole feature vectors repeating with different targets as people observed several years', async () => {
    const findings = await audit(
      await load(join(STRUCTURE, 'people.csv')),
      { target: 'visits' },
      { task: 'regression' },
    );
    const g = mustHave(findings, 'structure-groups', 'feature-vectors');
    expect(g.severity).toBe('minor');
    expect(g.evidence.rowsInRepeatedVectors).toBe(750);
    expect(g.recommendation).toMatch(/Ask the client for the entity ID/);
    const dup = mustHave(findings, 'leakage-split-duplicates', 'rows');
    expect(dup.severity).toBe('minor');
    expect(dup.title).toMatch(/same entities/);
    expect(mustHave(findings, 'quality-duplicates').severity).toBe('info');
  });

  it('reads a run of consecutive integers as an ID whatever its name, and its order predicting the label as leakage', async () => {
    const rows = ['row,amount,segment,flag'];
    for (let i = 0; i < 300; i++) {
      // The label follows the row number (later rows are flagged), the other columns do not.
      rows.push(
        `${1001 + ((i * 7) % 300)},${(i * 37) % 101},${'abc'[i % 3]},${1001 + ((i * 7) % 300) > 1200 ? 'yes' : 'no'}`,
      );
    }
    const d = await loadBytes(conn, 'sequential.csv', rows.join('\n') + '\n');
    const findings = await audit(d, { target: 'flag' }, { positiveClass: 'yes' });
    const f = mustHave(findings, 'leakage-id-like', 'row');
    expect(f.severity).toBe('major');
    expect(f.title).toMatch(/order/);
  });

  it('does not read calendar years or a time role as an ID', async () => {
    const rows = ['year,rainfall,level'];
    for (let i = 0; i < 61; i++) rows.push(`${1950 + i},${(i * 13) % 40},${i * 2 + ((i * 7) % 5)}`);
    const d = await loadBytes(conn, 'yearly.csv', rows.join('\n') + '\n');
    const noTime = await audit(d, { target: 'level' }, { task: 'regression' });
    expect(byCheck(noTime, 'leakage-id-like')).toBeUndefined();
    const rows2 = ['t,rainfall,level'];
    for (let i = 0; i < 61; i++) rows2.push(`${3000 + i},${(i * 13) % 40},${i * 2 + ((i * 7) % 5)}`);
    const d2 = await loadBytes(conn, 'ticks.csv', rows2.join('\n') + '\n');
    // Outside calendar years the same run is an ID...
    expect(
      byCheck(await audit(d2, { target: 'level' }, { task: 'regression' }), 'leakage-id-like', 't'),
    ).toBeDefined();
    // ...unless it is given the event-time role.
    const asTime = await audit(d2, { target: 'level', eventTime: 't' }, { task: 'regression' });
    expect(byCheck(asTime, 'leakage-id-like', 't')).toBeUndefined();
  });
});

describe('real corpus cases where the rules rightly stay quiet (or say the right thing)', () => {
  const serious = (f: Finding): boolean => f.severity === 'blocker' || f.severity === 'major';

  it('randhie: person-years without a person ID are not duplicates to remove', async () => {
    const findings = await audit(
      await load(join(CORPUS, 'randhie.csv')),
      { target: 'mdvis' },
      { task: 'regression' },
    );
    for (const check of ['leakage-split-duplicates', 'quality-duplicates', 'structure-groups'])
      expect(
        findings.filter((f) => f.check === check && serious(f)),
        check,
      ).toEqual([]);
    const g = mustHave(findings, 'structure-groups', 'feature-vectors');
    expect(Number(g.evidence.share)).toBeGreaterThan(0.99);
    expect(mustHave(findings, 'leakage-split-duplicates', 'rows').recommendation).toMatch(/entity ID/);
  });

  it('strikes: identical rows from one coarse feature are chance, not copies', async () => {
    const findings = await audit(
      await load(join(CORPUS, 'strikes.csv')),
      { target: 'duration' },
      { task: 'regression' },
    );
    expect(mustHave(findings, 'leakage-split-duplicates', 'rows').severity).toBe('info');
    expect(mustHave(findings, 'quality-duplicates').severity).toBe('info');
  });

  it('engel and iris: a handful of real duplicates stays minor', async () => {
    const engel = await audit(
      await load(join(CORPUS, 'engel.csv')),
      { target: 'foodexp' },
      { task: 'regression' },
    );
    expect(mustHave(engel, 'leakage-split-duplicates', 'rows').severity).toBe('minor');
    const iris = await audit(
      await load(join(CORPUS, 'iris.csv')),
      { target: 'species' },
      { task: 'multiclass' },
    );
    expect(mustHave(iris, 'leakage-split-duplicates', 'rows').severity).toBe('minor');
  });

  it('modechoice: 210 travellers, 4 rows each, found without an ID role', async () => {
    const findings = await audit(await load(join(CORPUS, 'modechoice.csv')), { target: 'choice' }, {});
    const g = mustHave(findings, 'structure-groups', 'individual');
    expect(g.evidence).toMatchObject({ entities: 210, minRowsPerEntity: 4, maxRowsPerEntity: 4 });
    expect(findings.filter(serious)).toEqual([]);
  });

  it('grunfeld: each firm once a year is a panel grouped by firm; the year is time, not an entity', async () => {
    const findings = await audit(
      await load(join(CORPUS, 'grunfeld.csv')),
      { target: 'invest', eventTime: 'year' },
      {
        task: 'regression',
        asOf: '1955-01-01',
      },
    );
    const g = mustHave(findings, 'structure-groups', 'firm');
    expect(g.evidence).toMatchObject({ panel: true, minRowsPerEntity: 20 });
    expect(findings.filter((f) => f.check === 'structure-groups')).toHaveLength(1);
  });
});
