import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadBytes, loadFile } from '../../../support/engine';
import { projectContext } from '../../../support/readiness';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { verdictFor } from '../../../../src/lib/core/readiness/verdict';
import { READINESS_THRESHOLDS as T } from '../../../../src/lib/core/thresholds';
import type { ColumnRoles, Finding, TaskType } from '../../../../src/lib/core/model/audit';

/**
 * Volume rules that agree with each other (issue 17 §2): a floor of labelled
 * rows for any task, a blocker when nothing is left to learn from, rows per
 * feature for regression, and events per variable as a caution (major at most)
 * for classification. Each rule fires on a small planted table and stays quiet
 * on real data where a senior data scientist would not raise it.
 */

const conn = useEngine();

const CONTEXT = projectContext({ asOf: '2026-11-25' });

/** A deterministic value in [0, 1) for row i and column j: varied, never constant, never ID-like. */
const noise = (i: number, j: number): number => ((i * 7919 + j * 104_729 + i * j * 31) % 1000) / 1000;

interface Planted {
  rows: number;
  /** Numeric candidate features. */
  features: number;
  /** The label of row i (null: unlabelled). */
  label: (i: number) => string | number | null;
  /** Extra columns: name → value of row i. */
  extra?: Record<string, (i: number) => string | number>;
}

function csv(p: Planted): string {
  const names = [
    ...Array.from({ length: p.features }, (_, j) => `f${j}`),
    ...Object.keys(p.extra ?? {}),
    'y',
  ];
  const lines = [names.join(',')];
  for (let i = 0; i < p.rows; i++) {
    const values = [
      ...Array.from({ length: p.features }, (_, j) => (noise(i, j) * 100).toFixed(2)),
      ...Object.values(p.extra ?? {}).map((f) => String(f(i))),
      String(p.label(i) ?? ''),
    ];
    lines.push(values.join(','));
  }
  return lines.join('\n') + '\n';
}

let tables = 0;
async function audit(
  content: string,
  task: TaskType,
  roles: Partial<ColumnRoles> = { target: 'y' },
): Promise<Finding[]> {
  tables += 1;
  const d = await loadBytes(conn, `planted_${tables}.csv`, content);
  return runReadiness(conn, {
    tableName: d.tableName,
    datasetId: 'p',
    columns: d.columns,
    roles: { segments: [], excluded: [], ...roles },
    context: { ...CONTEXT, task },
  });
}

function one(findings: Finding[], check: string): Finding {
  const matching = findings.filter((f) => f.check === check);
  expect(
    matching.map((f) => f.id),
    `${check} in ${findings.map((f) => f.id).join(', ')}`,
  ).toHaveLength(1);
  return matching[0]!;
}

const serious = (findings: Finding[]): string[] =>
  findings.filter((f) => f.severity === 'blocker' || f.severity === 'major').map((f) => f.check);

describe('the labelled-rows floor (volume-rows)', () => {
  it('is a blocker below 50 labelled rows, counting only rows with a usable label, and its SQL reproduces the count', async () => {
    // 60 rows, 31 labelled (the rest empty or "N/A"), 2 features.
    const findings = await audit(
      csv({
        rows: 60,
        features: 2,
        label: (i) => (i < 31 ? (i % 3 === 0 ? 'yes' : 'no') : i % 2 ? 'N/A' : null),
      }),
      'binary',
    );
    const f = one(findings, 'volume-rows');
    expect(f.severity).toBe('blocker');
    expect(f.evidence).toMatchObject({
      rows: 60,
      labelledRows: 31,
      floor: T.labelledRowsFloor,
      belowFloor: true,
    });
    expect(f.title).toBe('Only 31 labelled rows: below the floor of 50 any model needs');
    const [row] = await conn.query(f.sql);
    expect(Number(row!.labelled)).toBe(31);
    expect(Number(row!.rows)).toBe(60);
    // One problem, one finding: events per variable is not judged below the floor.
    expect(one(findings, 'volume-epv').severity).toBe('info');
    expect(verdictFor(findings, []).status).toBe('not-ready');
  });

  it('applies to every task: a 20-row regression is a blocker, and rows per feature defers to it', async () => {
    const findings = await audit(csv({ rows: 20, features: 8, label: (i) => noise(i, 99) }), 'regression');
    expect(one(findings, 'volume-rows').severity).toBe('blocker');
    const epv = one(findings, 'volume-epv');
    expect(epv.severity).toBe('info');
    expect(epv.evidence.rowsPerFeature).toBe(2.5);
    expect(epv.title).toMatch(/not judged below the floor of 50 labelled rows/);
  });

  it('is quiet at exactly 50 labelled rows', async () => {
    const findings = await audit(csv({ rows: 50, features: 2, label: (i) => noise(i, 99) }), 'regression');
    expect(one(findings, 'volume-rows').severity).toBe('info');
    expect(one(findings, 'volume-rows').evidence.belowFloor).toBe(false);
  });
});

describe('no candidate feature (volume-features)', () => {
  it('is a blocker when only the time and the target remain: nothing to learn from but time', async () => {
    const lines = ['day,y'];
    for (let i = 0; i < 120; i++)
      lines.push(`${new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10)},${noise(i, 1)}`);
    const findings = await audit(lines.join('\n'), 'regression', { target: 'y', eventTime: 'day' });
    const f = one(findings, 'volume-features');
    expect(f.severity).toBe('blocker');
    expect(f.title).toBe('No candidate feature: nothing to learn “y” from but time');
    expect(f.evidence.candidateFeatures).toBe(0);
    expect(one(findings, 'volume-epv').severity).toBe('info');
    // One problem, one finding in the volume area.
    expect(serious(findings.filter((x) => x.area === 'volume'))).toEqual(['volume-features']);
  });

  it('does not count constant, ID-like or excluded columns, and names what it left out', async () => {
    const findings = await audit(
      csv({
        rows: 80,
        features: 0,
        label: (i) => (i % 4 === 0 ? 'churn' : 'stay'),
        extra: {
          country: () => 'NL',
          customer_ref: (i) => `C-${1000 + i}`,
          secret_score: (i) => noise(i, 5),
        },
      }),
      'binary',
      { target: 'y', excluded: ['secret_score'] },
    );
    const f = one(findings, 'volume-features');
    expect(f.severity).toBe('blocker');
    expect(f.evidence).toMatchObject({
      candidateFeatures: 0,
      constantColumns: 'country',
      idLikeColumns: 'customer_ref',
      excludedColumns: 'secret_score',
    });
    expect(f.title).toMatch(/not counted: constant or empty: “country”; ID-like: “customer_ref”/);
    // The SQL shows why: one distinct country, a distinct reference per row.
    const [row] = await conn.query(f.sql);
    expect(Number(row!.country)).toBe(1);
    expect(Number(row!.customer_ref)).toBe(80);
  });

  it('counts only real features in events per variable', async () => {
    // 100 rows, 30 minority, 3 real features + 1 constant + 1 ID-like: EPV 30 / 3 = 10, not 30 / 5 = 6.
    const findings = await audit(
      csv({
        rows: 100,
        features: 3,
        label: (i) => (i % 10 < 3 ? 'yes' : 'no'),
        extra: { batch: () => 7, ticket: (i) => `T${i}x` },
      }),
      'binary',
    );
    const epv = one(findings, 'volume-epv');
    expect(epv.evidence).toMatchObject({ events: 30, candidateFeatures: 3, epv: 10 });
    expect(epv.severity).toBe('info');
  });
});

describe('rows per feature for regression (volume-epv)', () => {
  it('is a blocker below 5 labelled rows per candidate feature', async () => {
    const findings = await audit(csv({ rows: 60, features: 15, label: (i) => noise(i, 99) }), 'regression');
    const f = one(findings, 'volume-epv');
    expect(f.severity).toBe('blocker');
    expect(f.evidence).toMatchObject({ labelledRows: 60, candidateFeatures: 15, rowsPerFeature: 4 });
    expect(one(findings, 'volume-rows').severity).toBe('info');
  });

  it('is major below Harrell’s 15, and quiet at or above it', async () => {
    const major = await audit(csv({ rows: 60, features: 5, label: (i) => noise(i, 99) }), 'regression');
    expect(one(major, 'volume-epv').severity).toBe('major');
    expect(one(major, 'volume-epv').evidence.rowsPerFeature).toBe(12);
    const quiet = await audit(csv({ rows: 60, features: 4, label: (i) => noise(i, 99) }), 'regression');
    expect(one(quiet, 'volume-epv').severity).toBe('info');
  });
});

describe('events per variable for classification: a caution, never a blocker', () => {
  it('binary: major below 5 events per variable, even at 2 (never a blocker on its own)', async () => {
    const findings = await audit(
      csv({ rows: 200, features: 20, label: (i) => (i % 5 === 0 ? 'yes' : 'no') }),
      'binary',
    );
    const f = one(findings, 'volume-epv');
    expect(f.evidence).toMatchObject({ events: 40, candidateFeatures: 20, epv: 2 });
    expect(f.severity).toBe('major');
    expect(serious(findings)).not.toContain('volume-rows');
  });

  it('binary: minor between 5 and 10, with the reason the rule of ten is only guidance', async () => {
    const findings = await audit(
      csv({ rows: 200, features: 5, label: (i) => (i % 5 === 0 ? 'yes' : 'no') }),
      'binary',
    );
    const f = one(findings, 'volume-epv');
    expect(f.evidence.epv).toBe(8);
    expect(f.severity).toBe('minor');
    expect(f.recommendation).toMatch(/guidance for unpenalised logistic regression, not a limit/);
  });

  it('multiclass: minor below 5 smallest-class rows per feature, major only with fewer such rows than features', async () => {
    const three = (small: number) => (i: number) => (i < small ? 'c' : i % 2 ? 'a' : 'b');
    const minor = await audit(csv({ rows: 200, features: 10, label: three(20) }), 'multiclass');
    expect(one(minor, 'volume-epv').evidence).toMatchObject({ events: 20, candidateFeatures: 10, epv: 2 });
    expect(one(minor, 'volume-epv').severity).toBe('minor');
    const major = await audit(csv({ rows: 200, features: 10, label: three(6) }), 'multiclass');
    expect(one(major, 'volume-epv').evidence.epv).toBe(0.6);
    expect(one(major, 'volume-epv').severity).toBe('major');
  });
});

describe('real data where the volume rules rightly stay quiet', () => {
  const CORPUS = join(FIXTURES, 'corpus');
  async function corpus(file: string, roles: Partial<ColumnRoles>, task: TaskType): Promise<Finding[]> {
    const d = await loadFile(conn, join(CORPUS, file));
    return runReadiness(conn, {
      tableName: d.tableName,
      datasetId: file,
      columns: d.columns,
      roles: { segments: [], excluded: [], ...roles },
      context: { ...CONTEXT, task },
    });
  }
  const volume = (findings: Finding[]): Finding[] => findings.filter((f) => f.area === 'volume');

  it('wine (178 rows, 13 measurements, smallest cultivar 48): 3.7 per feature is a minor caution, not a blocker', async () => {
    const findings = await corpus('wine.csv', { target: 'cultivar' }, 'multiclass');
    const epv = one(findings, 'volume-epv');
    expect(epv.evidence).toMatchObject({ events: 48, candidateFeatures: 13 });
    expect(epv.severity).toBe('minor');
    expect(serious(volume(findings))).toEqual([]);
  });

  it('breast cancer (212 malignant, 30 correlated measurements): EPV 7.1 is minor, with why', async () => {
    const findings = await corpus('breast_cancer.csv', { target: 'diagnosis' }, 'binary');
    const epv = one(findings, 'volume-epv');
    expect(epv.evidence).toMatchObject({ events: 212, candidateFeatures: 30, epv: 7.07 });
    expect(epv.severity).toBe('minor');
    expect(serious(volume(findings))).toEqual([]);
  });

  it('diabetes (442 patients, 10 measurements) and iris (50 per species, 4 measurements): no volume finding above info', async () => {
    const diabetes = await corpus('diabetes.csv', { target: 'progression' }, 'regression');
    expect(volume(diabetes).map((f) => f.severity)).toEqual(volume(diabetes).map(() => 'info'));
    expect(one(diabetes, 'volume-epv').evidence.rowsPerFeature).toBe(44.2);
    const iris = await corpus('iris.csv', { target: 'species' }, 'multiclass');
    expect(volume(iris).map((f) => f.severity)).toEqual(volume(iris).map(() => 'info'));
    expect(one(iris, 'volume-features').evidence.candidateFeatures).toBe(4);
  });

  it('engel (235 households, income only): one feature is enough to learn from', async () => {
    const findings = await corpus('engel.csv', { target: 'foodexp' }, 'regression');
    const f = one(findings, 'volume-features');
    expect(f.severity).toBe('info');
    expect(f.title).toBe('1 candidate feature to learn “foodexp” from');
    expect(one(findings, 'volume-epv').title).toBe(
      '235 labelled rows per candidate feature (235 rows ÷ 1 feature)',
    );
  });

  it('statecrime (51 states, 5 indicators): above the floor, 10.2 rows per feature stays a major, not a blocker', async () => {
    const findings = await corpus(
      'statecrime.csv',
      { target: 'violent', id: 'state', excluded: ['murder'] },
      'regression',
    );
    expect(one(findings, 'volume-rows').severity).toBe('info');
    expect(one(findings, 'volume-epv').severity).toBe('major');
    expect(one(findings, 'volume-epv').evidence.rowsPerFeature).toBe(10.2);
  });
});
