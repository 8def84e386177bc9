import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { exampleChurnPlan } from '../../../src/lib/core/plan/summary';
import { parsePlan } from '../../../src/lib/core/plan/document';
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../../support/engine';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-plan-cli-'));
});

const FLAGS = { target: 'churned', id: 'id', 'positive-class': 'yes', 'as-of': '2026-11-01' };

describe('CLI --plan', () => {
  it('the committed example plan file is the demo’s example plan', () => {
    const parsed = parsePlan(JSON.parse(readFileSync(join(FIXTURES, 'plan/churn-plan.json'), 'utf8')));
    expect(parsed.ok && parsed.plan).toEqual(exampleChurnPlan());
  });

  it('writes the baselines and the plan’s checks into the audit document', async () => {
    const lines: string[] = [];
    const result = await runCli(
      [join(FIXTURES, 'plan/rules.csv')],
      { ...FLAGS, plan: join(FIXTURES, 'plan/churn-plan.json') },
      (l) => lines.push(l),
      { engine: cliEngine },
    );
    expect(result.document).toBeDefined();
    const doc = AuditDocumentSchema.parse(result.document);
    expect(doc.plan?.plan?.capacity).toEqual({ cases: 300, per: 'month' });
    expect(doc.plan?.results?.totals?.positives).toBe(1123);
    expect(doc.plan?.results?.ruleSearch.map((s) => s.feature)).toContain('tenure_score');
    // No event time: the plan's time split cannot run, so the split falls back to a random holdout.
    expect(doc.plan?.results?.split?.design).toBe('random');
    // The best rule (tenure_score ≥ ~62.5) beats a recall target of 0.6 at precision 0.4.
    expect(doc.findings.map((f) => f.check)).toContain('metrics-below-baseline');
    expect(lines.some((l) => l.startsWith('plan: best single-column rule tenure_score'))).toBe(true);
  }, 120_000);

  it('computes the baselines without --plan and says there is no plan yet', async () => {
    const result = await runCli([join(FIXTURES, 'plan/rules.csv')], { ...FLAGS }, () => {}, {
      engine: cliEngine,
    });
    const doc = AuditDocumentSchema.parse(result.document);
    expect(doc.plan?.plan).toBeUndefined();
    expect(doc.plan?.results?.majorityAccuracy).toBeCloseTo(1 - 1123 / 3000, 12);
    expect(doc.findings.filter((f) => f.area === 'metrics').map((f) => f.check)).toEqual(['metrics-no-plan']);
  }, 120_000);

  it('fails with a readable message on an invalid plan file', async () => {
    const bad = join(dir, 'bad-plan.json');
    writeFileSync(
      bad,
      JSON.stringify({ primaryMetric: 'recall', validation: { design: 'time' }, targets: { minRecall: 2 } }),
    );
    const lines: string[] = [];
    const result = await runCli(
      [join(FIXTURES, 'formats/tiny.csv')],
      { plan: bad, 'as-of': '2026-11-01' },
      (l) => lines.push(l),
      { engine: cliEngine },
    );
    expect(result.exitCode).toBe(1);
    expect(lines.join('\n')).toContain('targets.minRecall');
  }, 120_000);
});
