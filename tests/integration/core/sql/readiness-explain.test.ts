import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { ident, str } from '../../../../src/lib/core/sql/quote';
import type { ColumnSchema, DatasetProfile } from '../../../../src/lib/core/model/audit';
import {
  type ReadinessSqlContext,
  canonicalLabelSql,
  timeSql,
  validTimeSql,
} from '../../../../src/lib/core/sql/readiness-common';
import {
  columnFactsQuery,
  labelSpellingsQuery,
  numericTargetQuery,
} from '../../../../src/lib/core/sql/readiness-setup';
import {
  classCountsQuery,
  monthlyCountsQuery,
  totalRowsQuery,
  segmentClassCountsQuery,
} from '../../../../src/lib/core/sql/readiness-volume';
import {
  conflictingLabelsQuery,
  labelBySourceQuery,
  labelVariantsQuery,
  missingLabelsQuery,
} from '../../../../src/lib/core/sql/readiness-labels';
import {
  beforeHistoryQuery,
  earlyDatesQuery,
  timeFactsQuery,
  dateFormatsQuery,
  futureDatesQuery,
  midnightBySourceQuery,
  outOfOrderQuery,
  outcomeBeforeEventQuery,
  sentinelDatesQuery,
  timeOfDayQuery,
} from '../../../../src/lib/core/sql/readiness-time';
import {
  categoryPeriodsQuery,
  classByPeriodQuery,
  monthGapsQuery,
  recencyQuery,
  timeSpanQuery,
} from '../../../../src/lib/core/sql/readiness-coverage';
import {
  categoricalShiftBySourceQuery,
  nullRatesBySourceQuery,
  numericShiftBySourceQuery,
  scaleBySourceQuery,
  vocabularyBySourceQuery,
} from '../../../../src/lib/core/sql/readiness-consistency';
import {
  categoryAucQuery,
  etaSquaredQuery,
  idShapeSql,
  presenceByClassQuery,
  rankAucQuery,
  repeatedIdsQuery,
  spearmanQuery,
  splitDuplicatesQuery,
  timestampsAfterQuery,
} from '../../../../src/lib/core/sql/readiness-leakage';
import {
  distinctCountsQuery,
  duplicateRowsQuery,
  missingLikeValuesQuery,
  mixedTypesQuery,
  piiMatchesQuery,
  valueCountsQuery,
} from '../../../../src/lib/core/sql/readiness-quality';
import { READINESS_CHECKS } from '../../../../src/lib/core/readiness/registry';
import { SETUP_STAGES, resolveSetup, setupQueries } from '../../../../src/lib/core/readiness/setup';
import type { QueryResults, ReadinessInput } from '../../../../src/lib/core/readiness/types';
import { runReadiness } from '../../../../src/lib/session/readiness';

// Column and table names are user data: every one of these must come out as an ordinary identifier.
const TABLE = 't9 "weird"; DROP TABLE x; --';
const ID = 'a"; DROP TABLE t; --';
const TARGET = '<img src=x onerror=alert(1)>';
const EVENT = `when 'it' "happened"`;
const OUTCOME = 'out\\come; --';
const TEXT_DATE = "d'ate";
const SOURCE = 'src); DELETE FROM x; --';
const SEGMENT = 'seg ment';
const AMOUNT = 'amount $ "usd"';
const CATEGORY = 'cat"egory';
const FLAG = 'flag?';
const NOTE = "note'); --";

const conn = useEngine();
let columns: ColumnSchema[];

beforeAll(async () => {
  await conn.exec(`CREATE TABLE ${ident(TABLE)} AS SELECT
      'C' || CAST(1000 + (range % 180) AS VARCHAR) AS ${ident(ID)},
      CASE WHEN range % 7 = 0 THEN 'Yes' WHEN range % 11 = 0 THEN 'yes ' WHEN range % 13 = 0 THEN NULL ELSE 'No' END AS ${ident(TARGET)},
      TIMESTAMP '2024-01-01 08:00:00' + INTERVAL (range * 13) HOUR AS ${ident(EVENT)},
      CASE WHEN range % 7 = 0 THEN DATE '2024-01-01' + CAST(range / 2 AS INTEGER) END AS ${ident(OUTCOME)},
      CASE WHEN range % 3 = 0 THEN strftime(DATE '2023-01-01' + CAST(range AS INTEGER), '%d/%m/%Y') ELSE strftime(DATE '2023-01-01' + CAST(range AS INTEGER), '%Y-%m-%d') END AS ${ident(TEXT_DATE)},
      CASE WHEN range % 4 = 0 THEN 'legacy' ELSE 'crm' END AS ${ident(SOURCE)},
      CASE WHEN range % 5 = 0 THEN 'North' ELSE 'south' END AS ${ident(SEGMENT)},
      CASE WHEN range % 4 = 0 THEN (range % 50) * 100.0 ELSE (range % 50) * 1.0 END AS ${ident(AMOUNT)},
      CASE WHEN range % 4 = 0 THEN 'Gold' WHEN range % 3 = 0 THEN 'gold' ELSE 'Silver' END AS ${ident(CATEGORY)},
      range % 2 = 0 AS ${ident(FLAG)},
      CASE WHEN range % 7 = 0 OR range % 11 = 0 THEN 'closed: ' || CAST(range AS VARCHAR) END AS ${ident(NOTE)}
    FROM range(400)`);
  columns = (await conn.query(`DESCRIBE ${ident(TABLE)}`)).map((r) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
});

async function explain(sql: string): Promise<void> {
  for (const statement of sql.split(/;\n/)) await conn.query(`EXPLAIN ${statement}`);
}

function ctx(kind: 'classes' | 'numeric' = 'classes'): ReadinessSqlContext {
  return {
    table: TABLE,
    label: kind === 'classes' ? { column: TARGET, kind, positive: 'yes' } : { column: AMOUNT, kind },
    time: { column: EVENT, type: 'TIMESTAMP' },
    outcome: { column: OUTCOME, type: 'DATE' },
    source: SOURCE,
    id: ID,
    asOf: '2024-06-30',
    validFrom: '2023-06-01',
  };
}

const features = [SEGMENT, AMOUNT, CATEGORY, FLAG, NOTE, TEXT_DATE];

const builders: [string, () => string][] = [
  ['columnFactsQuery', () => columnFactsQuery(TABLE, columns)],
  ['columnFactsQuery (approximate)', () => columnFactsQuery(TABLE, columns, true)],
  ['labelSpellingsQuery', () => labelSpellingsQuery(TABLE, TARGET)],
  ['numericTargetQuery', () => numericTargetQuery(TABLE, AMOUNT)],
  ['totalRowsQuery', () => totalRowsQuery(ctx())],
  ['classCountsQuery', () => classCountsQuery(ctx())],
  ['segmentClassCountsQuery', () => segmentClassCountsQuery(ctx(), SEGMENT)],
  ['monthlyCountsQuery', () => monthlyCountsQuery(ctx())],
  ['monthlyCountsQuery (regression)', () => monthlyCountsQuery(ctx('numeric'))],
  ['missingLabelsQuery', () => missingLabelsQuery(ctx())],
  ['labelVariantsQuery', () => labelVariantsQuery(ctx())],
  ['conflictingLabelsQuery', () => conflictingLabelsQuery(ctx(), features)],
  ['labelBySourceQuery', () => labelBySourceQuery(ctx())],
  ['labelBySourceQuery (regression)', () => labelBySourceQuery(ctx('numeric'))],
  ['futureDatesQuery', () => futureDatesQuery(ctx(), { column: EVENT, type: 'TIMESTAMP' })],
  ['futureDatesQuery (text dates)', () => futureDatesQuery(ctx(), { column: TEXT_DATE, type: 'VARCHAR' })],
  ['sentinelDatesQuery', () => sentinelDatesQuery(ctx(), { column: OUTCOME, type: 'DATE' }, 20)],
  [
    'beforeHistoryQuery',
    () => beforeHistoryQuery(ctx(), { column: TEXT_DATE, type: 'VARCHAR' }, '2023-06-01'),
  ],
  ['earlyDatesQuery', () => earlyDatesQuery(ctx(), { column: TEXT_DATE, type: 'VARCHAR' }, { fenceIqr: 3 })],
  ['timeFactsQuery (timestamp)', () => timeFactsQuery(TABLE, { column: EVENT, type: 'TIMESTAMP' })],
  ['timeFactsQuery (numbers)', () => timeFactsQuery(TABLE, { column: AMOUNT, type: 'DOUBLE' })],
  ['timeFactsQuery (text)', () => timeFactsQuery(TABLE, { column: TEXT_DATE, type: 'VARCHAR' })],
  [
    'timeSql (years written as text)',
    () => `SELECT ${timeSql({ column: TEXT_DATE, type: 'VARCHAR', encoding: 'year' })} FROM ${ident(TABLE)}`,
  ],
  [
    'sentinelDatesQuery (year-granular)',
    () => sentinelDatesQuery(ctx(), { column: OUTCOME, type: 'DATE', granularity: 'year' }, 20),
  ],
  ['dateFormatsQuery', () => dateFormatsQuery(ctx(), TEXT_DATE)],
  ['timeOfDayQuery', () => timeOfDayQuery(ctx(), { column: EVENT, type: 'TIMESTAMP' })],
  ['midnightBySourceQuery', () => midnightBySourceQuery(ctx(), { column: EVENT, type: 'TIMESTAMP' })],
  ['outOfOrderQuery', () => outOfOrderQuery(ctx())],
  ['outcomeBeforeEventQuery', () => outcomeBeforeEventQuery(ctx())],
  ['timeSpanQuery', () => timeSpanQuery(ctx())],
  ['monthGapsQuery', () => monthGapsQuery(ctx())],
  ['recencyQuery', () => recencyQuery(ctx(), [90, 180, 365])],
  ['classByPeriodQuery (year)', () => classByPeriodQuery(ctx(), 'year')],
  ['classByPeriodQuery (quarter)', () => classByPeriodQuery(ctx(), 'quarter')],
  ['categoryPeriodsQuery', () => categoryPeriodsQuery(ctx(), CATEGORY, 0.25, 10)],
  ['nullRatesBySourceQuery', () => nullRatesBySourceQuery(ctx(), features)],
  ['numericShiftBySourceQuery', () => numericShiftBySourceQuery(ctx(), AMOUNT, 30)],
  ['categoricalShiftBySourceQuery', () => categoricalShiftBySourceQuery(ctx(), CATEGORY, 50, 30)],
  ['vocabularyBySourceQuery', () => vocabularyBySourceQuery(ctx(), CATEGORY)],
  ['scaleBySourceQuery', () => scaleBySourceQuery(ctx(), AMOUNT)],
  ['rankAucQuery', () => rankAucQuery(ctx(), `CAST(${ident(AMOUNT)} AS DOUBLE)`)],
  ['rankAucQuery (text dates)', () => rankAucQuery(ctx(), timeSql({ column: TEXT_DATE, type: 'VARCHAR' }))],
  ['categoryAucQuery', () => categoryAucQuery(ctx(), ident(CATEGORY))],
  ['categoryAucQuery (ID shape)', () => categoryAucQuery(ctx(), idShapeSql(ID))],
  ['presenceByClassQuery', () => presenceByClassQuery(ctx(), NOTE)],
  [
    'spearmanQuery',
    () => spearmanQuery(ctx('numeric'), `epoch(${timeSql({ column: EVENT, type: 'TIMESTAMP' })})`),
  ],
  ['etaSquaredQuery', () => etaSquaredQuery(ctx('numeric'), ident(CATEGORY))],
  [
    'timestampsAfterQuery (event time)',
    () =>
      timestampsAfterQuery(
        ctx(),
        { column: TEXT_DATE, type: 'VARCHAR' },
        { kind: 'column', ref: { column: EVENT, type: 'TIMESTAMP' } },
      ),
  ],
  [
    'timestampsAfterQuery (fixed date)',
    () =>
      timestampsAfterQuery(
        ctx(),
        { column: TEXT_DATE, type: 'VARCHAR' },
        { kind: 'date', iso: '2024-03-01' },
      ),
  ],
  ['splitDuplicatesQuery', () => splitDuplicatesQuery(ctx(), features, 0.2)],
  ['repeatedIdsQuery', () => repeatedIdsQuery(ctx())],
  [
    'duplicateRowsQuery',
    () =>
      duplicateRowsQuery(
        TABLE,
        columns.map((c) => c.name),
      ),
  ],
  ['distinctCountsQuery', () => distinctCountsQuery(TABLE, [ID, TARGET])],
  ['missingLikeValuesQuery', () => missingLikeValuesQuery(TABLE, CATEGORY)],
  ['valueCountsQuery', () => valueCountsQuery(TABLE, AMOUNT, [-1, 99999, "x'); --"])],
  ['mixedTypesQuery', () => mixedTypesQuery(TABLE, TEXT_DATE)],
  ['piiMatchesQuery', () => piiMatchesQuery(TABLE, NOTE, 'email')],
  [
    'canonical label and valid time expressions',
    () =>
      `SELECT ${canonicalLabelSql(TARGET)}, ${validTimeSql(timeSql({ column: EVENT, type: 'TIMESTAMP' }), '2024-06-30', { from: '1990-01-01', granularity: 'month' })} FROM ${ident(TABLE)}`,
  ],
];

function input(task: 'binary' | 'multiclass' | 'regression', profile?: DatasetProfile): ReadinessInput {
  return {
    tableName: TABLE,
    datasetId: 'hostile',
    columns,
    roles: {
      target: task === 'regression' ? AMOUNT : TARGET,
      id: ID,
      eventTime: EVENT,
      outcomeTime: OUTCOME,
      source: SOURCE,
      segments: [SEGMENT, CATEGORY],
      excluded: [],
    },
    context: {
      decision: '',
      task,
      targetDefinition: '',
      positiveClass: 'Yes',
      predictionPoint: '',
      asOf: '2024-06-30',
    },
    ...(profile ? { profile } : {}),
  };
}

describe('readiness SQL builders against the real engine', () => {
  it.each(builders)('%s passes EXPLAIN with hostile column and table names', async (_name, build) => {
    await expect(explain(build())).resolves.toBeUndefined();
  });

  it.each(['binary', 'multiclass', 'regression'] as const)(
    'every query of every applicable check passes EXPLAIN (%s task)',
    async (task) => {
      const setupResults: QueryResults = {};
      for (const [key, sql] of Object.entries(setupQueries(input(task))))
        setupResults[key] = await conn.query(sql);
      let setup = resolveSetup(input(task), setupResults);
      for (const stage of SETUP_STAGES) {
        const stageResults: QueryResults = {};
        for (const [key, sql] of Object.entries(stage.queries(setup)))
          stageResults[key] = await conn.query(sql);
        setup = stage.resolve(setup, stageResults);
      }
      const applicable = READINESS_CHECKS.filter((c) => c.applies(setup));
      expect(applicable.length).toBeGreaterThan(20);
      for (const check of applicable)
        for (const [key, sql] of Object.entries(check.queries(setup)))
          await expect(
            explain(sql).then(() => 'ok'),
            `${check.id}/${key}`,
          ).resolves.toBe('ok');
    },
  );

  it('runs the whole audit on hostile names without a failed check, and the copyable SQL of every finding binds', async () => {
    const profile = hostileProfile();
    for (const task of ['binary', 'multiclass', 'regression'] as const) {
      const findings = await runReadiness(conn, input(task, profile));
      const failed = findings.filter((f) => f.id.endsWith(':error'));
      expect(failed.map((f) => `${f.check}: ${String(f.evidence.error)}`)).toEqual([]);
      for (const f of findings)
        if (f.sql)
          await expect(
            explain(f.sql).then(() => 'ok'),
            f.id,
          ).resolves.toBe('ok');
    }
    const [row] = await conn.query(`SELECT count(*) AS n FROM ${ident(TABLE)}`);
    expect(row?.n).toBe(400);
  });

  it('finds the planted problems of the hostile table under their hostile names', async () => {
    const findings = await runReadiness(conn, input('binary'));
    const ids = findings.map((f) => f.id);
    expect(ids).toContain(`labels-variants:hostile:${TARGET}`);
    expect(ids).toContain(`time-text-formats:hostile:${TEXT_DATE}`);
    expect(ids).toContain(`consistency-scale:hostile:${AMOUNT}`);
    expect(ids).toContain(`consistency-vocabulary:hostile:${CATEGORY}`);
    expect(ids).toContain(`leakage-single-feature:hostile:${NOTE}`);
    expect(findings.find((f) => f.id === `leakage-single-feature:hostile:${NOTE}`)?.severity).toBe('blocker');
  });

  it('quotes string values, so a value cannot close the literal', () => {
    expect(valueCountsQuery('t', 'c', ["x'); DROP TABLE t; --"])).toContain(str("x'); DROP TABLE t; --"));
  });
});

function hostileProfile(): DatasetProfile {
  const column = (name: string, type: string): DatasetProfile['columns'][number] => ({
    name,
    type,
    family: 'text',
    count: 400,
    missing: 0,
    missingLike: {
      total: name === CATEGORY ? 3 : 0,
      values: name === CATEGORY ? [{ value: 'N/A', count: 3 }] : [],
    },
    distinct: { value: 10, approximate: false },
    topK: [],
    otherCount: 0,
    ...(name === AMOUNT
      ? {
          numeric: {
            min: 0,
            max: 4900,
            mean: 1,
            std: 1,
            skewness: 0,
            kurtosis: 0,
            quantiles: {},
            zeros: 0,
            negatives: 0,
            nonFinite: 0,
            iqrOutliers: 0,
            sentinels: [{ value: 4900, count: 2 }],
          },
        }
      : {}),
    ...(name === TEXT_DATE
      ? {
          text: {
            lengthMin: 10,
            lengthMax: 10,
            lengthMean: 10,
            shapes: [],
            numericLike: 0,
            dateLike: 200,
            untrimmed: 0,
            variants: [],
          },
        }
      : {}),
    pii: name === NOTE ? [{ kind: 'email', matches: 57, share: 1 }] : [],
  });
  return {
    datasetId: 'hostile',
    rows: 400,
    columnCount: columns.length,
    columns: columns.map((c) => column(c.name, c.type)),
    duplicateRows: 3,
    duplicateExample: null,
    constantColumns: [FLAG],
    allMissingColumns: [],
    missingCooccurrence: [],
    correlations: [],
    cramersV: [],
    sample: { sampled: true, rows: 400 },
    alerts: [],
    computedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
  };
}
