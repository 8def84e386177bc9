import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, ROOT } from '../../../support/engine';
import { computePlanResults } from '../../../../src/lib/session/plan';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { evaluatePlan } from '../../../../src/lib/core/plan/evaluate';
import { PLAN_CHECKS, planFindings } from '../../../../src/lib/core/plan/findings';
import { MetricPlanSchema } from '../../../../src/lib/core/model/plan';
import { exampleChurnPlan, planSummary } from '../../../../src/lib/core/plan/summary';
import { setupFor } from './plan-support';

const conn = useEngine();

describe('metric plan on the real engine', () => {
  it('reports a 99.7 % majority baseline at 0.3 % prevalence and fires the accuracy-paradox warning', async () => {
    // Seeded: 100,000 rows, 300 of them fraud (every row whose hashed index falls in 0.3 %).
    await conn.exec(`CREATE TABLE rare AS SELECT range AS id, (hash(range + 7) % 1000) / 10.0 AS amount,
      CASE WHEN range % 1000 IN (17, 503, 911) THEN 'fraud' ELSE 'ok' END AS label FROM range(100000)`);
    const columns = [
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'label', type: 'VARCHAR' },
    ];
    const setup = await setupFor(
      conn,
      'rare',
      columns,
      { target: 'label', id: 'id' },
      { positiveClass: 'fraud' },
    );
    const plan = MetricPlanSchema.parse({
      primaryMetric: 'accuracy',
      targets: { metricThreshold: 0.99 },
      validation: { design: 'random', holdoutShare: 0.2 },
    });
    const results = await computePlanResults(new QueryRunner(conn), {
      setup,
      plan,
      computedAt: '2026-11-26T00:00:00Z',
    });
    expect(results.prevalence).toBeCloseTo(0.003, 12);
    expect(results.majorityLabel).toBe('ok');
    expect(results.majorityAccuracy).toBeCloseTo(0.997, 12);
    const evaluation = evaluatePlan(plan, results);
    expect(evaluation.imbalanced).toBe(true);
    const findings = planFindings(plan, results, evaluation);
    const paradox = findings.find((f) => f.check === PLAN_CHECKS.accuracyParadox)!;
    expect(paradox.severity).toBe('major');
    expect(paradox.title).toContain('99.7 %');
    // 0.99 is below the 0.997 of always answering "ok".
    expect(findings.map((f) => f.check)).toContain(PLAN_CHECKS.belowBaseline);
    // Its SQL reproduces the class counts.
    const rows = await conn.query(paradox.sql);
    expect(rows.find((r) => r.label === 'fraud')?.n).toBe(300);
  });

  it('runs the example churn plan on the demo: rows per month, capacity, leakage excluded, a summary', async () => {
    const loaded = await loadFile(conn, join(ROOT, 'public/demo/customer-churn.csv'));
    const setup = await setupFor(
      conn,
      loaded.tableName,
      loaded.columns,
      {
        target: 'churned',
        id: 'customer_id',
        eventTime: 'snapshot_date',
        outcomeTime: 'churn_date',
        source: 'source_system',
      },
      { positiveClass: 'Yes' },
    );
    const leak = {
      id: 'leak',
      check: 'leakage-target-proxy',
      area: 'leakage' as const,
      severity: 'blocker' as const,
      title: 'cancellation_reason gives the label away',
      datasetId: 'ds',
      columns: ['cancellation_reason'],
      evidence: {},
      sql: '',
      recommendation: '',
    };
    const plan = exampleChurnPlan();
    const results = await computePlanResults(new QueryRunner(conn), {
      setup,
      plan,
      findings: [leak],
      computedAt: '2026-11-26T00:00:00Z',
    });
    expect(results.excludedColumns).toContainEqual({
      column: 'cancellation_reason',
      reason: 'leakage finding',
    });
    expect(results.ruleSearch.map((s) => s.feature)).not.toContain('cancellation_reason');
    // 23 months with data, each 400–630 rows (README).
    expect(results.rowsPerMonth!).toBeGreaterThan(400);
    expect(results.rowsPerMonth!).toBeLessThan(630);
    expect(results.split?.design).toBe('time');
    expect(results.split!.validationRows).toBeGreaterThan(0.15 * results.labelledRows);
    const evaluation = evaluatePlan(plan, results);
    expect(evaluation.operatingPoint!.capacity).toBe(300);
    expect(evaluation.bestRule).not.toBeNull();
    const text = planSummary(plan, results, evaluation);
    expect(text).toContain('retention team');
    expect(text).toContain('columns with leakage findings were left out');
  }, 60_000);
});
