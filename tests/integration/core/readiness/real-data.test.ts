import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, VEGA } from '../../../support/engine';
import { projectContext } from '../../../support/readiness';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { runReadiness, ReadinessError } from '../../../../src/lib/session/readiness';
import { checksToRerun } from '../../../../src/lib/core/readiness/registry';
import { mergeFindings } from '../../../../src/lib/core/readiness/findings';
import type { ColumnRoles, Finding, ProjectContext } from '../../../../src/lib/core/model/audit';

const conn = useEngine();
const loaded: Record<string, LoadedDataset> = {};

beforeAll(async () => {
  for (const file of ['penguins.json', 'movies.json', 'seattle-weather.csv'])
    loaded[file] = await loadFile(conn, join(VEGA, file));
});

const context = (overrides: Partial<ProjectContext>): ProjectContext =>
  projectContext({ asOf: '2026-11-25', ...overrides });

/** Readiness runs by their arguments: tests that read the same audit share one run. */
const audits = new Map<string, Promise<Finding[]>>();

function audit(
  file: string,
  roles: Partial<ColumnRoles>,
  ctx: Partial<ProjectContext>,
  only?: string[],
): Promise<Finding[]> {
  const key = JSON.stringify([file, roles, ctx, only]);
  let run = audits.get(key);
  if (!run) audits.set(key, (run = freshAudit(file, roles, ctx, only)));
  return run;
}

async function freshAudit(
  file: string,
  roles: Partial<ColumnRoles>,
  ctx: Partial<ProjectContext>,
  only?: string[],
): Promise<Finding[]> {
  const d = loaded[file]!;
  return runReadiness(conn, {
    tableName: d.tableName,
    datasetId: file,
    columns: d.columns,
    roles: { segments: [], excluded: [], ...roles },
    context: context(ctx),
    ...(only ? { only } : {}),
  });
}

function find(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  expect(f, `missing ${id}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

describe('penguins.json', () => {
  it('audits Species as a three-class target whose smallest class, Chinstrap, has 68 rows and 11.3 events per variable', async () => {
    const findings = await audit(
      'penguins.json',
      { target: 'Species', segments: ['Island'] },
      { task: 'multiclass' },
    );
    const classes = find(findings, 'volume-classes:penguins.json:summary');
    expect(classes.evidence).toMatchObject({
      classes: 3,
      minorityClass: 'Chinstrap',
      minorityRows: 68,
      labelled: 344,
    });
    const epv = find(findings, 'volume-epv:penguins.json:epv');
    expect(epv.evidence.candidateFeatures).toBe(6);
    expect(epv.evidence.epv).toBeCloseTo(68 / 6, 2);
    expect(epv.severity).toBe('info');
    expect(findings.some((f) => f.check === 'labels-missing')).toBe(false);
  });

  it('judges flipper length against the whole species label (one-rule right for 81.6 %, λ 0.670), not as a near-perfect separator of Gentoo alone', async () => {
    const findings = await audit('penguins.json', { target: 'Species' }, { task: 'multiclass' });
    // Flipper length separates Gentoo from the rest (one-vs-rest AUC 0.9956), but not Adelie from Chinstrap.
    expect(findings.filter((f) => f.area === 'leakage' && f.severity !== 'info').map((f) => f.id)).toEqual(
      [],
    );
    const summary = find(findings, 'leakage-single-feature:penguins.json:summary');
    const flipper = summary.details?.find((d) => d.column === 'Flipper Length (mm)');
    expect(flipper?.method).toBe('one-rule λ');
    // Holte's 1R (minimum bucket 6) in tests/fixtures/leakage/make_leakage_fixtures.py: 279 of 342 right; always guessing Adelie, 151.
    expect(Number(flipper?.accuracy)).toBeCloseTo(279 / 342, 4);
    expect(Number(flipper?.strength)).toBeCloseTo((279 - 151) / (342 - 151), 4);
  });

  it('shows that no island has all three species: Torgersen has Adelie only', async () => {
    const findings = await audit(
      'penguins.json',
      { target: 'Species', segments: ['Island'] },
      { task: 'multiclass' },
    );
    const f = find(findings, 'coverage-segments:penguins.json:Island');
    expect(f.details).toContainEqual({ segment: 'Torgersen', rows: 52, issue: 'no Gentoo, Chinstrap' });
    expect(f.details).toHaveLength(3);
  });

  it('finds 11 missing Sex labels: 10 nulls and one "." placeholder', async () => {
    const findings = await audit(
      'penguins.json',
      { target: 'Sex' },
      { task: 'binary', positiveClass: 'FEMALE' },
    );
    const f = find(findings, 'labels-missing:penguins.json:Sex');
    expect(f.evidence).toMatchObject({ missing: 11, nulls: 10, missingLikeTokens: 1 });
    expect(f.details).toContainEqual({ value: '.', rows: 1 });
    expect(f.severity).toBe('minor');
    expect(find(findings, 'volume-classes:penguins.json:summary').evidence.positiveClass).toBe('FEMALE');
  });
});

describe('movies.json', () => {
  it('parses the text release dates and finds 16 in the future (up to 2046); movies back to 1928 are a real history, not errors', async () => {
    const findings = await audit(
      'movies.json',
      { target: 'US Gross', eventTime: 'Release Date' },
      { task: 'regression' },
    );
    const future = find(findings, 'time-future:movies.json:Release Date');
    expect(future.evidence.future).toBe(16);
    expect(String(future.evidence.latest)).toMatch(/^2046-/);
    // No fixed calendar bound: releases spread continuously back to 1928, so none is isolated.
    expect(findings.some((f) => f.check === 'time-before-start')).toBe(false);
    const span = find(findings, 'coverage-span:movies.json:Release Date');
    expect(String(span.evidence.earliest)).toMatch(/^1928-/);
    expect(String(span.evidence.first)).toMatch(/^1928-/);
    expect(findings.some((f) => f.check === 'time-text-formats')).toBe(false);
  });

  it('counts 481 releases before a "history expected from" of 1990-01-01 when the context sets one', async () => {
    const findings = await audit(
      'movies.json',
      { target: 'US Gross', eventTime: 'Release Date' },
      { task: 'regression', historyFrom: '1990-01-01' },
      ['time-before-start', 'coverage-span'],
    );
    const early = find(findings, 'time-before-start:movies.json:Release Date');
    expect(early.evidence.early).toBe(481);
    expect(String(early.evidence.earliest)).toMatch(/^1928-/);
    const span = find(findings, 'coverage-span:movies.json:Release Date');
    expect(String(span.evidence.earliest)).toMatch(/^1928-/);
    expect(String(span.evidence.first)).toMatch(/^1990-/);
  });

  it('lists worldwide gross (Spearman ρ ≈ 0.947 with US gross) among the strong features to confirm, not as a leak', async () => {
    const findings = await audit(
      'movies.json',
      { target: 'US Gross', eventTime: 'Release Date' },
      { task: 'regression' },
    );
    expect(findings.some((f) => f.id === 'leakage-single-feature:movies.json:Worldwide Gross')).toBe(false);
    const f = find(findings, 'leakage-strong-features:movies.json:summary');
    expect(f.severity).toBe('minor');
    const row = f.details?.find((d) => d.column === 'Worldwide Gross');
    expect(Number(row?.value)).toBeCloseTo(0.946638, 3);
  });

  it('reports 275 movies without a Major Genre, and 5 Concert/Performance examples for 13 features as major (a caution for multiclass, never a blocker)', async () => {
    const findings = await audit(
      'movies.json',
      { target: 'Major Genre', eventTime: 'Release Date', excluded: ['Title'] },
      { task: 'multiclass' },
    );
    const missing = find(findings, 'labels-missing:movies.json:Major Genre');
    expect(missing.evidence.missing).toBe(275);
    expect(missing.severity).toBe('minor');
    const epv = find(findings, 'volume-epv:movies.json:epv');
    expect(epv.evidence).toMatchObject({
      events: 5,
      minorityClass: 'Concert/Performance',
      candidateFeatures: 13,
    });
    // Fewer examples of the class than features: major, the most events per variable may be on its own.
    expect(epv.severity).toBe('major');
  });
});

describe('seattle-weather.csv', () => {
  const roles = { target: 'weather', eventTime: 'date' };

  it('has 6.5 smallest-class rows per feature (26 snow days for 4 measurements): enough for a multiclass model, so info', async () => {
    const findings = await audit('seattle-weather.csv', roles, { task: 'multiclass' });
    const epv = find(findings, 'volume-epv:seattle-weather.csv:epv');
    expect(epv.evidence).toMatchObject({ events: 26, minorityClass: 'snow', candidateFeatures: 4, epv: 6.5 });
    expect(epv.severity).toBe('info');
  });

  it('sees the labelling of drizzle and fog change over the years', async () => {
    const findings = await audit('seattle-weather.csv', roles, { task: 'multiclass' });
    const f = find(findings, 'coverage-class-balance:seattle-weather.csv:weather');
    expect(Number(f.evidence.pValue)).toBeLessThan(1e-20);
    expect(f.evidence.grain).toBe('year');
    expect(String(f.evidence.deviations)).toMatch(/2012 drizzle/);
    expect(String(f.evidence.deviations)).toMatch(/2015 fog/);
  });

  it('finds days with identical measurements but different weather labels', async () => {
    const findings = await audit('seattle-weather.csv', roles, { task: 'multiclass' });
    const f = find(findings, 'labels-conflicting:seattle-weather.csv:weather');
    expect(f.evidence).toMatchObject({ groups: 4, rows: 8, features: 4 });
  });

  it('covers 2012–2015 without gaps, and is stale at 2026-11-25 but recent at 2016-01-31', async () => {
    const findings = await audit('seattle-weather.csv', roles, { task: 'multiclass' });
    expect(find(findings, 'coverage-span:seattle-weather.csv:date').evidence).toMatchObject({
      first: '2012-01-01 00:00:00',
      last: '2015-12-31 00:00:00',
      days: 1460,
    });
    expect(findings.some((f) => f.check === 'coverage-gaps')).toBe(false);
    const stale = find(findings, 'coverage-recency:seattle-weather.csv:date');
    expect(stale.evidence.ageDays).toBe(3982);
    expect(stale.severity).toBe('major');

    // Changing the as-of date re-runs only the checks that depend on it.
    const before = {
      roles: { ...roles, segments: [], excluded: [] },
      context: context({ task: 'multiclass' }),
    };
    const after = { ...before, context: context({ task: 'multiclass', asOf: '2016-01-31' }) };
    const rerun = checksToRerun(before, after);
    expect(rerun).toContain('coverage-recency');
    expect(rerun).not.toContain('labels-conflicting');
    const fresh = await audit(
      'seattle-weather.csv',
      roles,
      { task: 'multiclass', asOf: '2016-01-31' },
      rerun,
    );
    expect(fresh.every((f) => (rerun as readonly string[]).includes(f.check))).toBe(true);
    const merged = mergeFindings(findings, fresh, rerun);
    expect(find(merged, 'coverage-recency:seattle-weather.csv:date')).toMatchObject({
      severity: 'info',
      evidence: { ageDays: 31 },
    });
    expect(find(merged, 'labels-conflicting:seattle-weather.csv:weather')).toBe(
      find(findings, 'labels-conflicting:seattle-weather.csv:weather'),
    );
  });

  it('stops with a cancelled error when the signal is already aborted', async () => {
    const d = loaded['seattle-weather.csv']!;
    const controller = new AbortController();
    controller.abort();
    const run = runReadiness(conn, {
      tableName: d.tableName,
      datasetId: 'seattle',
      columns: d.columns,
      roles: { segments: [], excluded: [], ...roles },
      context: context({ task: 'multiclass' }),
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'ReadinessError', code: 'cancelled' });
  });

  it('rejects an unknown check id in `only`', async () => {
    await expect(audit('seattle-weather.csv', roles, {}, ['no-such-check'])).rejects.toBeInstanceOf(
      ReadinessError,
    );
  });
});
