import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../support/engine';
import { runReadiness } from '../../../src/lib/session/readiness';
import { profileDataset } from '../../../src/lib/session/profile';
import { describeTable } from '../../../src/lib/engine/load-dataset';
import { verdictFor } from '../../../src/lib/core/readiness/verdict';
import type { Finding } from '../../../src/lib/core/model/audit';
import { formatDate } from '../../../src/lib/core/format';
import { NO_DEFECTS, isLuhnValid, type PlantedDefects } from '../../../scripts/lib/synthetic';
import { churnDatasetSql, generateChurnTable } from '../../../scripts/lib/synthetic-sql';
import { plantedAuditInput } from '../../fixtures/planted-defects';

const conn = useEngine();

async function audit(table: string, planted: PlantedDefects, datasetId: string): Promise<Finding[]> {
  const profile = await profileDataset(conn, table, datasetId);
  return runReadiness(conn, {
    tableName: table,
    datasetId,
    columns: await describeTable(conn, table),
    ...plantedAuditInput(planted),
    profile,
  });
}

describe('churn extract generated in SQL (all defects on, 20,000 rows)', () => {
  let planted: PlantedDefects;
  let findings: Finding[];
  const get = (id: string): Finding => {
    const f = findings.find((x) => x.id === id.replace('{ds}', 'sqlchurn'));
    expect(f, `missing finding ${id}`).toBeDefined();
    return f!;
  };

  beforeAll(async () => {
    planted = await generateChurnTable(conn, 'sql_churn', { rows: 20_000, seed: 7 });
    findings = await audit('sql_churn', planted, 'sqlchurn');
  });

  it('plants the requested number of rows and every defect size scaled from the 12,000-row demo', () => {
    expect(planted.rows).toBe(20_000);
    expect(planted.conflictingLabels.groups).toBe(67);
    expect(planted.duplicateRows.groups).toBe(100);
    expect(planted.futureDates.rows).toBe(42);
    expect(planted.outcomeBeforeEvent.rows).toBe(58);
    expect(planted.sentinelDates.counts).toEqual({ '1970-01-01': 60, '1900-01-01': 23, '9999-12-31': 17 });
    expect(planted.leakingColumn.nonChurnersFilled).toBe(0);
  });

  it('runs every check without an engine error', () => {
    expect(findings.filter((f) => f.id.endsWith(':error')).map((f) => f.evidence.error)).toEqual([]);
  });

  it('flags exactly the planted conflicting-label pairs', () => {
    const f = get('labels-conflicting:{ds}:churned');
    expect(f.evidence.groups).toBe(planted.conflictingLabels.groups);
    expect(f.evidence.rows).toBe(planted.conflictingLabels.rows);
  });

  it('counts exactly the planted duplicate groups', () => {
    expect(get('leakage-split-duplicates:{ds}:rows').evidence.groups).toBe(planted.duplicateRows.groups);
    expect(get('quality-duplicates:{ds}:rows').evidence.duplicateRows).toBe(planted.duplicateRows.extraRows);
  });

  it('blocks on the leaking cancellation reason', () => {
    const f = get('leakage-single-feature:{ds}:cancellation_reason');
    expect(f.severity).toBe('blocker');
    expect(f.evidence.filledShareOthers).toBe(0);
  });

  it('counts the future snapshots, sentinel signups and outcomes before their event exactly', () => {
    const future = get('time-future:{ds}:snapshot_date');
    expect(future.evidence.future).toBe(planted.futureDates.rows);
    expect(future.evidence.latest).toBe(planted.futureDates.latest?.replace('T', ' '));
    const sentinel = get('time-sentinel:{ds}:signup_date');
    expect(sentinel.evidence.sentinelRows).toBe(planted.sentinelDates.rows);
    for (const [day, n] of Object.entries(planted.sentinelDates.counts))
      expect(sentinel.details).toContainEqual({ day, rows: n, knownSentinel: true });
    expect(get('time-outcome-before-event:{ds}:churn_date').evidence.before).toBe(
      planted.outcomeBeforeEvent.rows,
    );
  });

  it('finds the gap month, the staleness and the midnight source', () => {
    expect(get('coverage-gaps:{ds}:empty').evidence.months).toBe(formatDate(planted.gapMonth, 'month'));
    expect(get('coverage-recency:{ds}:snapshot_date').evidence.ageDays).toBe(
      planted.snapshotRange.daysBeforeAsOf,
    );
    const midnight = get('time-of-day:{ds}:snapshot_date:midnight');
    expect(midnight.evidence.midnight).toBe(planted.midnightTimestamps.rows);
    expect(midnight.evidence.dateOnlySources).toBe(planted.midnightTimestamps.source);
  });

  it('finds the label shift, the spellings and the unit scale of their sources only', () => {
    const shift = get('labels-by-source:{ds}:source:legacy_billing');
    expect(shift.evidence.rate).toBeCloseTo(planted.sourceLabelShift.sourceRate, 4);
    expect(findings.filter((x) => x.id.startsWith('labels-by-source:sqlchurn:source:')).length).toBe(1);
    for (const column of ['region', 'plan'])
      expect(get(`consistency-vocabulary:{ds}:${column}`).evidence.sources).toBe(
        planted.sourceSpellings.source,
      );
    const scale = get('consistency-scale:{ds}:monthly_fee');
    expect(scale.evidence.source).toBe(planted.unitScale.source);
    expect(scale.evidence.nearestPowerOfTen).toBe(100);
  });

  it('counts every label spelling, missing-like token and fee sentinel exactly', () => {
    const bySpelling = new Map<string, number>();
    for (const d of get('labels-variants:{ds}:churned').details ?? [])
      bySpelling.set(String(d.spelling), (bySpelling.get(String(d.spelling)) ?? 0) + Number(d.rows));
    for (const [spelling, n] of Object.entries(planted.labelValueCounts))
      expect(bySpelling.get(spelling)).toBe(n);
    for (const [spelling, n] of Object.entries(planted.labelVariants.counts))
      expect(bySpelling.get(spelling)).toBe(n);
    expect(get('quality-missing-like:{ds}:payment_method').evidence.rows).toBe(
      planted.missingLikeTokens.rows,
    );
    expect(get('quality-sentinels:{ds}:monthly_fee').severity).not.toBe('info');
  });

  it('plants valid card numbers and flags the personal data columns', async () => {
    const cards = await conn.query(`SELECT card_number FROM sql_churn WHERE card_number IS NOT NULL`);
    expect(cards.length).toBe(planted.pii.cardNumberRows);
    for (const { card_number } of cards) expect(isLuhnValid(String(card_number))).toBe(true);
    for (const column of ['email', 'phone', 'card_number'])
      expect(get(`privacy-pii:{ds}:${column}`).severity).toBe('major');
  });

  it('is not ready', () => {
    expect(verdictFor(findings, []).status).toBe('not-ready');
  });
});

describe('churn extract generated in SQL with every defect off', () => {
  it('yields no blocker or major finding, so the verdict is ready', async () => {
    const planted = await generateChurnTable(conn, 'sql_clean', { rows: 20_000, defects: NO_DEFECTS });
    expect(planted.columns).not.toContain('cancellation_reason');
    const findings = await audit('sql_clean', planted, 'sqlclean');
    const serious = findings.filter((f) => f.severity === 'blocker' || f.severity === 'major');
    expect(serious.map((f) => `${f.id}: ${f.title}`)).toEqual([]);
    expect(verdictFor(findings, []).status).toBe('ready');
  });
});

describe('churnDatasetSql', () => {
  it('scales the defects linearly, so 10M rows plant 833 times the demo counts', () => {
    const plan = churnDatasetSql({ rows: 10_000_000 });
    expect(plan.conflictGroups).toBe(33_333);
    expect(plan.duplicateGroups).toBe(50_000);
    expect(plan.baseRows).toBe(10_000_000 - 33_333 - 50_000);
    expect(plan.slots.reduce((a, [, n]) => a + n, 0)).toBeLessThan(plan.baseRows);
  });

  it('refuses sizes too small to plant every defect', () => {
    expect(() => churnDatasetSql({ rows: 50 })).toThrow(RangeError);
  });
});
