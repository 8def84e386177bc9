import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, loadFile, VEGA } from '../../../support/engine';
import { projectContext } from '../../../support/readiness';
import type { LoadedDataset } from '../../../../src/lib/engine/load-dataset';
import { profileDataset } from '../../../../src/lib/session/profile';
import { checkTimeRole, runReadiness, suggestRolesFor } from '../../../../src/lib/session/readiness';
import { verdictFor } from '../../../../src/lib/core/readiness/verdict';
import type { ColumnRoles, Finding } from '../../../../src/lib/core/model/audit';
import { rolesToApply, type RoleSuggestions } from '../../../../src/lib/core/readiness/roles';

/**
 * The real-data regression corpus (issue 8): every tabular file of the
 * `vega-datasets` package, audited as a new user would, with the suggested
 * roles and no flags, against the real engine.
 */

/** Files left out, each with its reason. Everything else with a data extension is audited. */
const SKIPPED: Record<string, string> = {
  // Not tabular: one JSON object (TopoJSON, GeoJSON collections, grids); the loader refuses them.
  'annual-precip.json': 'not tabular: a single JSON object (a raster grid)',
  'londonBoroughs.json': 'not tabular: a single TopoJSON object',
  'londonTubeLines.json': 'not tabular: a single TopoJSON object',
  'us-10m.json': 'not tabular: a single TopoJSON object',
  'volcano.json': 'not tabular: a single JSON object (a raster grid)',
  'world-110m.json': 'not tabular: a single TopoJSON object',
  // Same schema as flights-2k/5k, only larger: their size belongs to the benchmark, not a unit test.
  'flights-10k.json': 'size: same schema as flights-2k.json',
  'flights-20k.json': 'size: same schema as flights-2k.json',
  'flights-200k.json': 'size: same schema as flights-2k.json',
  'flights-200k.arrow': 'size: same schema as flights-2k.json',
  'flights-3m.parquet': 'size: same schema as flights-2k.json (the benchmark loads it)',
  // Its text release dates are parsed in every time query: 25–60 s here, too slow for the unit suite.
  'movies.json': 'time: audited with explicit roles in real-data.test.ts (same checks, same engine)',
};

const CORPUS = readdirSync(VEGA)
  .filter((f) => /\.(csv|tsv|json|arrow|parquet)$/.test(f) && !(f in SKIPPED))
  .sort();

const CONTEXT = projectContext({ asOf: '2026-11-25' });

interface Audited {
  dataset: LoadedDataset;
  roles: ColumnRoles;
  findings: Finding[];
  suggestions: RoleSuggestions;
}

const conn = useEngine();
const audited = new Map<string, Audited>();

/**
 * Load, suggest roles (refusing a time role the column cannot carry, as the app does), audit
 * with the roles the session applies (not the source system, which asks first) and the
 * task inferred for the suggested target.
 */
async function auditWithSuggestions(file: string, override: Partial<ColumnRoles> = {}): Promise<Audited> {
  const dataset = await loadFile(conn, join(VEGA, file));
  const suggestions = await suggestRolesFor(conn, {
    tableName: dataset.tableName,
    columns: dataset.columns,
  });
  const roles: ColumnRoles = { ...rolesToApply(suggestions), ...override };
  const task = suggestions.task?.column === roles.target ? suggestions.task?.task : undefined;
  for (const key of ['eventTime', 'outcomeTime'] as const) {
    const column = dataset.columns.find((c) => c.name === roles[key]);
    if (column && !(await checkTimeRole(conn, dataset.tableName, column)).ok) delete roles[key];
  }
  const findings = await runReadiness(conn, {
    tableName: dataset.tableName,
    datasetId: file,
    columns: dataset.columns,
    roles,
    context: task ? { ...CONTEXT, task } : CONTEXT,
  });
  return { dataset, roles, findings, suggestions };
}

function find(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  expect(f, `missing ${id}; have ${findings.map((x) => x.id).join(', ')}`).toBeDefined();
  return f!;
}

describe('every tabular vega-datasets file, audited with the suggested roles', () => {
  it('audits at least 40 files', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CORPUS)('%s: every check runs, and it is Not assessed without a target', async (file) => {
    const result = await auditWithSuggestions(file);
    audited.set(file, result);
    const failed = result.findings.filter((f) => f.id.endsWith(':error'));
    expect(failed.map((f) => f.title)).toEqual([]);
    expect(result.findings.filter((f) => f.check === 'time-role')).toEqual([]);
    if (!result.roles.target) {
      // No target means no verdict: Not assessed, whatever else was found.
      expect(verdictFor(result.findings, []).status).toBe('not-assessed');
      expect(result.findings.some((f) => f.check === 'labels-no-target' && f.severity === 'info')).toBe(true);
    }
  });

  it.each(Object.keys(SKIPPED).filter((f) => SKIPPED[f]!.startsWith('not tabular')))(
    'refuses %s, which is not tabular, at load',
    async (file) => {
      await expect(loadFile(conn, join(VEGA, file))).rejects.toThrow(
        /single JSON object|not a list of records/,
      );
    },
  );
});

describe('reviewed truths on the real data', () => {
  it('cars.json with the time role on Year spans 1970 to 1982, a year per value, and misses model year 1981 (pandas: 12 distinct years)', async () => {
    const { findings } = await auditWithSuggestions('cars.json', { eventTime: 'Year' });
    const span = find(findings, 'coverage-span:cars.json:Year');
    expect(span.severity).toBe('info');
    expect(span.title).toMatch(/^1970 to 1982 \(/);
    expect(span.evidence.granularity).toBe('year');
    expect(findings.some((f) => f.check === 'time-before-start' || f.check === 'time-sentinel')).toBe(false);
    // Judged by year, not by month: the only gap is the model year the data really lacks.
    const gaps = find(findings, 'coverage-gaps:cars.json:empty');
    expect(gaps.title).toBe('1 year with no rows: 1981');
  });

  it('global-temp.csv reads its integer year column as calendar years, first to last as in the file', () => {
    const years = readFileSync(join(VEGA, 'global-temp.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]));
    // The suggestion itself gives the whole-number "year" column the time role.
    expect(audited.get('global-temp.csv')!.roles.eventTime).toBe('year');
    const { findings } = audited.get('global-temp.csv')!;
    const span = find(findings, 'coverage-span:global-temp.csv:year');
    expect(span.title).toMatch(
      new RegExp(`^${Math.min(...years)} to ${Math.max(...years)} \\(.*read as calendar years\\)$`),
    );
  });

  it('gapminder.json: a reading every 5 years is a cadence, not 40 empty years', async () => {
    const { findings } = await auditWithSuggestions('gapminder.json', { eventTime: 'year' });
    expect(findings.filter((f) => f.check === 'coverage-gaps').map((f) => f.title)).toEqual([]);
    const years = (JSON.parse(readFileSync(join(VEGA, 'gapminder.json'), 'utf8')) as { year: number }[]).map(
      (r) => r.year,
    );
    const distinct = [...new Set(years)].sort((a, b) => a - b);
    expect(distinct.slice(1).every((y, i) => y - distinct[i]! === 5)).toBe(true);
  });

  it('jobs.json: decennial census readings; the one missing reading is 1890 (pandas: no 1890 rows)', async () => {
    const { findings } = await auditWithSuggestions('jobs.json', { eventTime: 'year' });
    const gaps = find(findings, 'coverage-gaps:jobs.json:empty');
    expect(gaps.title).toBe('1 year with no rows: 1890 (one reading every 10 years)');
  });

  it('unemployment-across-industries.json: a month is not "later" than its own year when the event time is the year', async () => {
    const { findings } = await auditWithSuggestions('unemployment-across-industries.json', {
      eventTime: 'year',
    });
    expect(findings.filter((f) => f.check === 'leakage-timestamps').map((f) => f.title)).toEqual([]);
  });

  it('earthquakes.json: the numeric "time" is suggested as the event time and read as epoch milliseconds', () => {
    const { roles, findings } = audited.get('earthquakes.json')!;
    expect(roles.eventTime).toBe('time');
    const span = find(findings, 'coverage-span:earthquakes.json:time');
    // Python: datetime.utcfromtimestamp(min/max of properties.time / 1000) = 2018-01-31 01:49:59.65 … 2018-02-07 01:26:13.84.
    expect(span.title).toMatch(
      /^31 Jan 2018, 01:49:59 to 7 Feb 2018, 01:26:13 \(.*read as milliseconds since 1970-01-01 UTC\)$/,
    );
  });

  it('wheat.json: years written as text ("1565") are suggested as the event time and read as calendar years', () => {
    const { roles, findings } = audited.get('wheat.json')!;
    expect(roles.eventTime).toBe('year');
    expect(roles.id).toBeUndefined();
    // Python: min/max of int(year) = 1565/1820, every 5 years.
    expect(find(findings, 'coverage-span:wheat.json:year').title).toMatch(
      /^1565 to 1820 \(.*read as calendar years\)$/,
    );
  });

  it('co2-concentration.csv: “adjusted CO2” is flagged as a near-copy of “CO2” (Pearson 0.997 in pandas)', async () => {
    const dataset = await loadFile(conn, join(VEGA, 'co2-concentration.csv'));
    const profile = await profileDataset(conn, dataset.tableName, 'co2');
    const alert = profile.alerts.find(
      (a) =>
        a.kind === 'high-correlation' && a.message.includes('“CO2”') && a.message.includes('“adjusted CO2”'),
    );
    expect(alert, profile.alerts.map((a) => a.message).join('\n')).toBeDefined();
    expect(alert!.value).toBeCloseTo(0.997281, 4);
  });

  it('co2-concentration.csv spans 1958-03 to 2020-04, month by month', () => {
    const span = find(
      audited.get('co2-concentration.csv')!.findings,
      'coverage-span:co2-concentration.csv:Date',
    );
    expect(span.title).toMatch(/^Mar 1958 to Apr 2020 /);
  });

  it('flights-2k.json: the unique timestamps are the event time, not an ID', () => {
    const { roles } = audited.get('flights-2k.json')!;
    expect(roles.eventTime).toBe('date');
    expect(roles.id).toBeUndefined();
  });

  it('unemployment-across-industries.json: ISO timestamps with milliseconds and Z are dates, not "not dates"', () => {
    const { findings, roles } = audited.get('unemployment-across-industries.json')!;
    expect(roles.eventTime).toBe('date');
    expect(findings.some((f) => f.check === 'time-text-formats')).toBe(false);
  });

  it('hourly readings put 1/24 of their rows at midnight by design, which is not flagged', () => {
    for (const file of ['seattle-weather-hourly-normals.csv', 'github.csv'])
      expect(
        audited
          .get(file)!
          .findings.filter((f) => f.id.endsWith(':midnight'))
          .map((f) => f.title),
      ).toEqual([]);
  });

  it('football.json: June empty in 2014, 2015 and 2016 is a seasonal pause, minor, not a broken extract', () => {
    const f = find(audited.get('football.json')!.findings, 'coverage-gaps:football.json:empty');
    expect(f.severity).toBe('minor');
    expect(f.title).toMatch(/Jun 2014, Jun 2015, Jun 2016 \(the same calendar months every year/);
  });

  it('la-riots.csv: a first name is never suggested as the ID', () => {
    expect(audited.get('la-riots.csv')!.roles.id).not.toBe('first_name');
  });

  it('the only target suggested across vega-datasets is penguins’ Species (multiclass); statuses, edge ends and features stay quiet', () => {
    const targets = [...audited].flatMap(([file, a]) =>
      a.roles.target ? [`${file}:${a.roles.target}`] : [],
    );
    expect(targets).toEqual(['penguins.json:Species']);
    expect(audited.get('penguins.json')!.suggestions.task?.task).toBe('multiclass');
    // earthquakes' “status” (reviewed/automatic), political-contributions' “Incumbent_Challenger_Status”,
    // the “target” node of flare-dependencies' and miserables' edge lists: no candidate at all.
    for (const file of [
      'earthquakes.json',
      'political-contributions.json',
      'flare-dependencies.json',
      'miserables.json',
    ])
      expect(audited.get(file)!.suggestions.suggestions.filter((s) => s.role === 'target')).toEqual([]);
  });

  it('iowa-electricity.csv: the energy “source” is offered as a source system, and not applied', () => {
    const { roles, suggestions, findings } = audited.get('iowa-electricity.csv')!;
    expect(suggestions.roles.source).toBe('source');
    expect(roles.source).toBeUndefined();
    expect(findings.filter((f) => f.area === 'consistency' && f.columns.includes('source'))).toEqual([]);
  });
});
