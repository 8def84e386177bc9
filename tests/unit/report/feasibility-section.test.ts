import { describe, it, expect } from 'vitest';
import { newAudit } from '../../../src/lib/core/model/document';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { FeasibilitySchema, type Feasibility } from '../../../src/lib/core/model/feasibility';
import type { MetricPlan } from '../../../src/lib/core/model/plan';
import { exampleChurnPlan } from '../../../src/lib/core/plan/summary';
import { baselineAgainstTargets } from '../../../src/lib/core/feasibility/plan-comparison';
import {
  baselineTargetsPart,
  feasibilityPart,
  feasibilityText,
} from '../../../src/lib/report/sprint0/feasibility';
import { baselineComparison } from '../../../src/lib/ui/plan/plan-view-model';
import { ChartBudget } from '../../../src/lib/report/sprint0/common';
import { sprint0MarkdownSummary } from '../../../src/lib/report/markdown-summary';
import {
  leakyFeasibility,
  notRunFeasibility,
  regressionFeasibility,
  sampleFeasibility,
} from '../../fixtures/feasibility/sample-feasibility';

/** Text of the HTML with tags dropped and entities read, as a reader sees it. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function auditWith(feasibility: Feasibility | undefined, plan?: MetricPlan): AuditDocument {
  const a = newAudit('Churn', 'a');
  return {
    ...a,
    ...(feasibility ? { feasibility } : {}),
    ...(plan ? { plan: { plan } } : {}),
  };
}

const planWith = (
  targets: Partial<MetricPlan['targets']>,
  primary?: MetricPlan['primaryMetric'],
): MetricPlan => {
  const p = exampleChurnPlan();
  return {
    ...p,
    ...(primary ? { primaryMetric: primary } : {}),
    targets: { requiredLift: 0, ...targets },
  };
};

/** Everything a report could print as a number the formatter would never write. */
const RAW_NUMBER = /\d\.\d{4,}|\d[eE][+-]?\d|\d{5,}(?![\d,])|\b\d{4}-\d{2}-\d{2}T/;

describe('the report’s feasibility section', () => {
  it('the fixtures are valid audit.feasibility documents', () => {
    for (const f of [sampleFeasibility, leakyFeasibility(), regressionFeasibility, notRunFeasibility])
      expect(FeasibilitySchema.safeParse(f).success).toBe(true);
  });

  it('leads with the Data Readiness Level band and its reason, before the baseline, the curve and the noise', async () => {
    const html = await feasibilityPart(auditWith(sampleFeasibility), new ChartBudget(10, false));
    const t = text(html);
    const band = t.indexOf('Data Readiness Level B (valid).');
    expect(band).toBeGreaterThan(-1);
    expect(t).toContain(sampleFeasibility.bandReason);
    const order = ['Best baseline', 'Split', 'Learning curve', 'Label noise', 'Hand review'].map((k) =>
      t.indexOf(k),
    );
    expect(order.every((i) => i > band)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('states the best baseline with its intervals, split and row counts, formatted', () => {
    const facts = new Map(feasibilityText(sampleFeasibility).facts);
    expect(facts.get('Best baseline')).toBe(
      'Logistic regression on 10 columns: AUC 0.781 (95 % interval 0.76 to 0.802), PR-AUC 0.472 (95 % interval 0.439 to 0.51), Brier 0.153. Above 0.5: the features carry signal.',
    );
    expect(facts.get('Split')).toBe(
      'Time-ordered on snapshot_date, held out from 14 Aug 2025, the metric plan’s cut: 9,600 training rows (2,257 positives), 2,400 held-out rows (566 positives).',
    );
    expect(facts.get('Also tried')).toBe('Naive Bayes: AUC 0.753 (95 % interval 0.731 to 0.776).');
  });

  it('says the learning curve is flat, or still rising with the projected gain of doubling', () => {
    const flat = new Map(feasibilityText(sampleFeasibility).facts).get('Learning curve');
    expect(flat).toMatch(
      /^Flat: more rows of the same kind won’t help; doubling the training rows projects \+0\.006 AUC \(band \+0\.002 to \+0\.009\)\./,
    );
    expect(flat).toContain('AUC 0.741 at 960 training rows to 0.781 at 9,600.');
    const rising = new Map(feasibilityText(regressionFeasibility).facts).get('Learning curve');
    expect(rising).toMatch(
      /^Still rising: doubling the training rows projects \+0\.015 R² \(band \+0\.009 to \+0\.021\)\./,
    );
  });

  it('says a projected gain too small to show is below the last decimal, not a band of `<0.001`', () => {
    const tiny: Feasibility = {
      ...sampleFeasibility,
      learningFit: {
        ...sampleFeasibility.learningFit!,
        doublingGain: { estimate: 0.0003, lower: 0.000006, upper: 0.0005 },
      },
    };
    const curve = new Map(feasibilityText(tiny).facts).get('Learning curve');
    expect(curve).toMatch(
      /^Flat: more rows of the same kind won’t help; doubling the training rows projects a gain below 0\.001 AUC\./,
    );
  });

  it('gives the regression baseline as R² and MAE, with no AUC', () => {
    const best = new Map(feasibilityText(regressionFeasibility).facts).get('Best baseline');
    expect(best).toBe('Ridge regression on 10 columns: R² 0.421, MAE 12.7. The features carry signal.');
    expect(feasibilityText(regressionFeasibility).band).toBe(
      'Data Readiness Level A (appropriate for the question)',
    );
  });

  it('gives the label-noise estimate with its interval, the kNN check and the hand-review size with its Wilson interval', () => {
    const facts = new Map(feasibilityText(sampleFeasibility).facts);
    const noise = facts.get('Label noise')!;
    // Not readable as label error, so the report says "disagree", never "look wrong".
    expect(noise).toContain('8.1 % (95 % interval 7 % to 9.3 %) of labels disagree with the baseline');
    expect(noise).not.toContain('look wrong');
    expect(noise).toContain('on 2,000 sampled rows: 9.5 % (95 % interval 8.2 % to 10.7 %)');
    // The fixture's baseline cannot separate the classes: the estimate is not read as label error.
    expect(noise).toContain('Not read as label error: the baseline separates the classes too weakly');
    expect(facts.get('Hand review')).toContain(
      'Check 100–200 rows by hand: at the estimated rate, the 95 % Wilson interval of 100 rows would give 4.2 % to 15.1 % and 200 rows would give 5.1 % to 12.7 %.',
    );
  });

  it('prints no review-sample row value: the rows are examples, shown redacted in the app only', async () => {
    const html = await feasibilityPart(auditWith(sampleFeasibility), new ChartBudget(10, true));
    const md = sprint0MarkdownSummary(auditWith(sampleFeasibility), '2026-12-04T04:00:00Z');
    for (const out of [html, md]) {
      for (const value of ['C100482', 'C211907', 'C377015', 'Premium', '89.5', '19.99'])
        expect(out).not.toContain(value);
    }
    expect(text(html)).toContain(
      'The 3 rows most likely mislabelled are listed, redacted, in the app’s Feasibility tab.',
    );
  });

  it('writes every number through the formatter: no e-notation, no raw decimals, no ISO stamp', async () => {
    for (const f of [sampleFeasibility, leakyFeasibility(), regressionFeasibility, notRunFeasibility]) {
      const t = text(await feasibilityPart(auditWith(f, exampleChurnPlan()), new ChartBudget(10, false)));
      expect(t).not.toMatch(RAW_NUMBER);
      expect(t).not.toMatch(/\d{3,} %/);
    }
  });

  it('draws the learning curve as one small inline SVG chart, and none when charts are off', async () => {
    const on = await feasibilityPart(auditWith(sampleFeasibility), new ChartBudget(10, true));
    expect(on.match(/<svg\b/g)).toHaveLength(1);
    expect(on).toMatch(/<svg role="img" aria-label="Learning curve on 5 training sizes/);
    const off = await feasibilityPart(auditWith(sampleFeasibility), new ChartBudget(10, false));
    expect(off).not.toContain('<svg');
  });

  it('shows why the baselines did not run, after the band', async () => {
    const t = text(await feasibilityPart(auditWith(notRunFeasibility), new ChartBudget(10, true)));
    expect(t).toContain('Data Readiness Level B (valid).');
    expect(t).toContain('Baselines Not run: No target column is set.');
    expect(t.indexOf('Data Readiness Level')).toBeLessThan(t.indexOf('Not run'));
    expect(t).not.toContain('<svg');
  });

  it('says the step has not run when the audit has no feasibility result', async () => {
    const t = text(await feasibilityPart(auditWith(undefined), new ChartBudget(10, true)));
    expect(t).toContain('The feasibility step has not run on this audit');
    expect(t).not.toContain('Data Readiness Level');
  });

  it('names the leaked column from drop-column importance', () => {
    const facts = new Map(feasibilityText(leakyFeasibility()).facts);
    expect(facts.get('Best baseline')).toContain('At or above 0.98: suspiciously good, check for leakage.');
    expect(facts.get('Leak check')).toBe(
      'Without last_login_days the AUC falls to 0.764 (-0.229): that column carries the signal that looks too good.',
    );
  });

  it('escapes column names and reasons from the data', async () => {
    const hostile: Feasibility = {
      ...sampleFeasibility,
      excluded: [{ column: '<img src=x onerror=alert(1)>', reason: 'ID column' }],
    };
    const html = await feasibilityPart(auditWith(hostile), new ChartBudget(10, false));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; (ID column)');
  });
});

describe('the metric plan’s targets against the baseline', () => {
  it('reads the precision at the target recall off the baseline and says it falls short of the target precision', () => {
    const [c] = baselineAgainstTargets(sampleFeasibility, planWith({ minRecall: 0.6, minPrecision: 0.5 }));
    expect(c?.standing).toBe('short');
    expect(c?.text).toMatch(
      /^At the target recall of 60 %, the logistic-regression baseline reaches a precision of 39 % \(95 % interval 35\.9 % to 42\.3 %\): it falls short of the target of 50 %\.$/,
    );
  });

  it('clears a target precision the whole interval is above, and cannot tell when the interval straddles it', () => {
    expect(
      baselineAgainstTargets(sampleFeasibility, planWith({ minRecall: 0.6, minPrecision: 0.3 }))[0]?.standing,
    ).toBe('meets');
    const [open] = baselineAgainstTargets(sampleFeasibility, planWith({ minRecall: 0.6, minPrecision: 0.4 }));
    expect(open?.standing).toBe('open');
    expect(open?.text).toContain(
      'its interval spans the target of 40 %, so the held-out rows cannot tell yet.',
    );
  });

  it('gives the recall at a target precision, or says no threshold reaches it', () => {
    const [reach] = baselineAgainstTargets(sampleFeasibility, planWith({ minPrecision: 0.5 }));
    expect(reach?.text).toBe(
      'At the target precision of 50 %, the logistic-regression baseline finds 30 % of the positives (read off its held-out precision–recall curve).',
    );
    const [none] = baselineAgainstTargets(sampleFeasibility, planWith({ minPrecision: 0.9 }));
    expect(none?.standing).toBe('short');
  });

  it('compares a PR-AUC or MAE threshold on the primary metric', () => {
    const [pr] = baselineAgainstTargets(sampleFeasibility, planWith({ metricThreshold: 0.6 }, 'pr-auc'));
    expect(pr?.standing).toBe('short');
    expect(pr?.text).toContain('reaches 0.472 (95 % interval 0.439 to 0.51)');
    const [mae] = baselineAgainstTargets(regressionFeasibility, planWith({ metricThreshold: 15 }, 'mae'));
    expect(mae?.standing).toBe('meets');
    expect(mae?.text).toContain('reaches 12.7 on 2,400 held-out rows');
  });

  it('says nothing when the baselines did not run or there is no plan', () => {
    expect(baselineAgainstTargets(notRunFeasibility, planWith({ minRecall: 0.6 }))).toEqual([]);
    expect(baselineAgainstTargets(sampleFeasibility, undefined)).toEqual([]);
  });

  it('sits in the metric-plan chapter of the report, with the caveat that a baseline is untuned, not in the summary', async () => {
    const audit = auditWith(sampleFeasibility, planWith({ minRecall: 0.6, minPrecision: 0.5 }));
    const part = text(baselineTargetsPart(audit));
    expect(part).toContain('Targets against the honest baseline At the target recall of 60 %');
    expect(part).toContain('A baseline is a simple, untuned model');
    expect(text(await feasibilityPart(audit, new ChartBudget(10, false)))).not.toContain(
      'At the target recall',
    );
    expect(baselineTargetsPart(auditWith(sampleFeasibility))).toBe('');
    // The Markdown summary has no plan chapter: it carries the comparison in its feasibility section.
    const md = sprint0MarkdownSummary(audit, '2026-12-04T04:00:00Z');
    expect(md).toContain('- **Against the plan’s targets:** At the target recall of 60 %');
  });

  it('is what the plan editor shows for the plan as edited, before it is saved', () => {
    const audit = auditWith(sampleFeasibility, planWith({ minRecall: 0.6, minPrecision: 0.5 }));
    const edited = baselineComparison(audit, planWith({ minRecall: 0.6, minPrecision: 0.3 }));
    expect(edited.comparisons.map((c) => c.standing)).toEqual(['meets']);
    expect(edited.caveat).toBeNull();
    const saved = baselineComparison(audit, audit.plan?.plan);
    expect(saved.comparisons.map((c) => c.standing)).toEqual(['short']);
    expect(saved.caveat).toContain('untuned');
    expect(baselineComparison(auditWith(undefined), audit.plan?.plan).comparisons).toEqual([]);
  });
});

describe('the Markdown summary’s feasibility section', () => {
  it('leads with the band, then one line per fact, escaped', () => {
    const md = sprint0MarkdownSummary(auditWith(sampleFeasibility), '2026-12-04T04:00:00Z');
    const section = md.slice(md.indexOf('## Feasibility'), md.indexOf('## The three biggest risks'));
    expect(section).toContain('**Data Readiness Level B \\(valid\\).** The data is valid;');
    expect(section).toContain(
      '- **Best baseline:** Logistic regression on 10 columns: AUC 0.781 \\(95 % interval 0.76 to 0.802\\)',
    );
    expect(section).toContain('- **Learning curve:** Flat: more rows of the same kind won’t help');
    expect(section).toContain(
      '- **Label noise:** 8.1 % \\(95 % interval 7 % to 9.3 %\\) of labels disagree with the baseline',
    );
    expect(section).toContain('snapshot\\_date');
  });

  it('gives the not-run reason', () => {
    const md = sprint0MarkdownSummary(auditWith(notRunFeasibility), '2026-12-04T04:00:00Z');
    expect(md).toContain('- **Baselines:** Not run: No target column is set.');
  });
});
