import { describe, expect, it } from 'vitest';
import {
  FEASIBILITY_EMPTY,
  columnTypesOf,
  feasibilityFindingLines,
  feasibilityView,
  feasibilityViewOptions,
  intervalCell,
  reviewCell,
  splitText,
  type FeasibilityDone,
} from '../../../../src/lib/ui/feasibility/feasibility-view-model';
import { FeasibilitySchema, type Feasibility } from '../../../../src/lib/core/model/feasibility';
import {
  leakyFeasibility,
  notRunFeasibility,
  regressionFeasibility,
  sampleFeasibility,
} from '../../../fixtures/feasibility/sample-feasibility';

function done(f: Feasibility): FeasibilityDone {
  const view = feasibilityView(f);
  if (view.kind !== 'done') throw new Error(`expected a done view, got ${view.kind}`);
  return view;
}

/** Every string of the view except the chart specs (whose axis formats are Vega's). */
function texts(value: unknown, key = ''): string[] {
  if (key === 'spec') return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => texts(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => texts(v, k));
  return [];
}

describe('feasibility view model', () => {
  it('every fixture is a valid audit.feasibility', () => {
    for (const f of [sampleFeasibility, leakyFeasibility(), regressionFeasibility, notRunFeasibility])
      expect(FeasibilitySchema.safeParse(f).success).toBe(true);
  });

  it('says when feasibility has not run yet, and why the baselines did not run', () => {
    expect(feasibilityView(undefined)).toEqual({ kind: 'empty', message: FEASIBILITY_EMPTY });
    expect(FEASIBILITY_EMPTY).toBe('Feasibility runs with the audit once a target is set.');
    expect(feasibilityView(undefined, { target: 'churned' })).toEqual({
      kind: 'empty',
      message:
        'Feasibility runs with the audit once a target is set. The target “churned” is set: it appears when the audit next runs.',
    });
    const notRun = feasibilityView(notRunFeasibility);
    expect(notRun).toMatchObject({ kind: 'not-run', reason: 'No target column is set.' });
    expect(notRun.kind === 'not-run' && notRun.band.letter).toBe('B');
  });

  it('leads with the band, the best baseline’s AUC interval, the curve verdict and the noise estimate', () => {
    const view = done(sampleFeasibility);
    expect(view.band).toEqual({ letter: 'B', name: 'valid', reason: sampleFeasibility.bandReason });
    const byId = Object.fromEntries(view.headline.map((h) => [h.id, h]));
    expect(view.headline.map((h) => h.id)).toEqual(['baseline', 'target', 'curve', 'noise']);
    expect(byId.baseline).toMatchObject({ value: 'AUC 0.781 (0.76–0.802)', tone: 'good' });
    expect(byId.baseline!.detail).toContain('Logistic regression on 2,400 held-out rows');
    expect(byId.target).toMatchObject({ value: 'Precision 41.2 % (37.9 %–44.6 %)', tone: 'warn' });
    expect(byId.target!.detail).toBe('At the target recall of 60 %, against a target precision of 50 %.');
    expect(byId.curve).toMatchObject({ value: 'Flat', tone: 'neutral' });
    expect(byId.curve!.detail).toBe(
      'Doubling the training rows projects +0.006 AUC (band +0.002 to +0.009): more rows of the same kind won’t help.',
    );
    expect(byId.noise!.value).toBe('8.1 % (7 %–9.3 %) of labels');
    expect(byId.noise!.detail).toMatch(/^Not readable as label error/);
  });

  it('reads the noise estimate against the thresholds when it is interpretable', () => {
    const noise = { ...sampleFeasibility.labelNoise!, interpretable: true };
    const tone = (estimate: number) =>
      done({ ...sampleFeasibility, labelNoise: { ...noise, estimate } }).headline.find(
        (h) => h.id === 'noise',
      )!.tone;
    expect(tone(0.03)).toBe('good');
    expect(tone(0.081)).toBe('warn');
    expect(tone(0.2)).toBe('bad');
  });

  it('flags a tight interval around chance, calls a wide one uncertain, and flags a suspiciously high AUC', () => {
    const withAuc = (lower: number, estimate: number, upper: number) => {
      const b = { ...sampleFeasibility.baselines[0]!, auc: { estimate, lower, upper } };
      return done({ ...sampleFeasibility, baselines: [b] }).headline[0]!;
    };
    expect(withAuc(0.47, 0.51, 0.55)).toMatchObject({ tone: 'bad' });
    expect(withAuc(0.47, 0.51, 0.55).detail).toContain('No learnable signal');
    // A wide interval around chance is the finding's "not established", not "no signal".
    expect(withAuc(0.45, 0.6, 0.75)).toMatchObject({ tone: 'neutral' });
    expect(withAuc(0.45, 0.6, 0.75).detail).toContain('Too uncertain');
    expect(withAuc(0.99, 0.993, 0.996).detail).toContain('suspiciously good');
    expect(withAuc(0.62, 0.65, 0.68).tone).toBe('good');
  });

  it('lists the baselines with split, intervals and counts, the best marked, and the excluded columns', () => {
    const view = done(sampleFeasibility);
    expect(view.metricColumns).toEqual(['AUC (95 %)', 'PR-AUC (95 %)', 'Brier']);
    expect(view.baselines[0]).toEqual({
      model: 'Logistic regression',
      best: true,
      featureCount: '10 columns',
      features: expect.stringContaining('tenure_months') as string,
      split: 'Time-ordered on snapshot_date, held out from 14 Aug 2025',
      metrics: ['0.781 (0.76–0.802)', '0.472 (0.439–0.51)', '0.153'],
      trainRows: '9,600',
      testRows: '2,400',
    });
    expect(view.baselines[1]).toMatchObject({ model: 'Naive Bayes', best: false });
    expect(view.excluded).toContainEqual({ column: 'churn_date', reason: 'leakage suspect' });
    expect(view.about).toBe(
      'Computed 4 Dec 2026, 04:10 UTC in 3.2 seconds, on 9,600 training and 2,400 held-out rows, with 41 design columns after encoding.',
    );
  });

  it('draws the ROC, PR, learning-curve and calibration charts for a binary task', () => {
    const titles = done(sampleFeasibility).charts.map((c) => (c.spec as { title: string }).title);
    expect(titles).toEqual([
      'ROC curve (held-out rows)',
      'Precision and recall (held-out rows)',
      'Learning curve: held-out AUC',
      'Calibration (held-out rows)',
    ]);
    expect(done(sampleFeasibility).bestModel).toBe('Logistic regression');
  });

  it('shows R² and MAE, and only the learning curve, for a regression task', () => {
    const view = done(regressionFeasibility);
    expect(view.metricColumns).toEqual(['R²', 'MAE']);
    expect(view.baselines[0]!.metrics).toEqual(['0.421', '12.7']);
    expect(view.baselines[0]!.split).toBe('Seeded hash split');
    expect(view.headline[0]).toMatchObject({ value: 'R² 0.421', tone: 'good' });
    expect(view.headline.find((h) => h.id === 'curve')).toMatchObject({
      value: 'Still rising',
      tone: 'warn',
    });
    expect(view.charts).toHaveLength(1);
    expect(view.review).toBeNull();
  });

  it('shows the label-review sample as text, with the review sizes and their Wilson intervals', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const noise = sampleFeasibility.labelNoise!;
    const f: Feasibility = {
      ...sampleFeasibility,
      labelNoise: {
        ...noise,
        reviewSample: [
          ...noise.reviewSample,
          { values: { plan: hostile, vip: true }, givenLabel: 'Yes', givenLabelProbability: 0.0004 },
        ],
      },
    };
    const review = done(f).review!;
    expect(review.columns).toEqual([
      'customer_id',
      'plan',
      'tenure_months',
      'monthly_fee',
      'churn_date',
      'vip',
    ]);
    expect(review.rows[0]).toEqual({
      givenLabel: 'Yes',
      probability: '2.1 %',
      cells: ['C100482', 'Premium', '41', '89.5', '—', '—'],
    });
    // Data values as written: no e-notation, no thousands separator, no markup.
    expect(review.rows[2]!.cells[3]).toBe('0.0000001');
    expect(review.rows[3]!.cells[1]).toBe(hostile);
    expect(review.rows[3]!.cells[5]).toBe('true');
    expect(review.rows[3]!.probability).toBe('<0.1 %');
    expect(review.sizes).toEqual([
      'Hand-review 100 rows: if 8.1 % of them are wrong, the 95 % Wilson interval is 4.2 % to 15.1 %.',
      'Hand-review 200 rows: if 8.1 % of them are wrong, the 95 % Wilson interval is 5.1 % to 12.7 %.',
    ]);
  });

  it('reads review values at their column’s type, as the preview does', () => {
    const audit = {
      roles: { d: { target: 'churned', segments: [], excluded: [] } },
      datasets: [
        {
          id: 'd',
          fileName: 'churn.csv',
          format: 'csv' as const,
          sizeBytes: 1,
          lastModified: 0,
          rowCount: 1,
          columns: [
            { name: 'churn_date', type: 'DATE' },
            { name: 'tenure_months', type: 'DOUBLE' },
          ],
          fingerprint: 'f',
          loadedAt: '2026-12-04T04:10:00Z',
          warnings: [],
        },
      ],
    };
    const types = columnTypesOf(audit);
    expect(types).toEqual({ churn_date: 'DATE', tenure_months: 'DOUBLE' });
    expect(feasibilityViewOptions(audit)).toEqual({ columnTypes: types, target: 'churned' });
    const view = feasibilityView(sampleFeasibility, { columnTypes: types });
    const review = view.kind === 'done' ? view.review! : undefined;
    expect(review?.rows[2]!.cells[review.columns.indexOf('churn_date')]).toBe('2 Oct 2025');
    // Without the type the value stays as written.
    expect(done(sampleFeasibility).review!.rows[2]!.cells[4]).toBe('2025-10-02');
  });

  it('adds the kNN estimate and the shape of the disagreement as notes', () => {
    const notes = done(sampleFeasibility).noiseNotes;
    expect(notes[0]).toBe(
      'A second way, k nearest neighbours (k = 10) on 2,000 sampled rows: 9.5 % (8.2 %–10.7 %).',
    );
    expect(notes[1]).toContain('surest of: 2.1 %; among the surest 20 %: 4.3 %');
  });

  it('lists drop-column importance, largest loss first, when present', () => {
    expect(done(sampleFeasibility).dropColumn).toEqual([]);
    expect(done(leakyFeasibility()).dropColumn).toEqual([
      { column: 'last_login_days', aucWithout: '0.764', drop: '-0.229' },
      { column: 'tenure_months', aucWithout: '0.99', drop: '-0.003' },
    ]);
    expect(done(leakyFeasibility()).headline[0]!.tone).toBe('bad');
  });

  it('writes no number in e-notation and no ISO time stamp anywhere', () => {
    for (const f of [sampleFeasibility, leakyFeasibility(), regressionFeasibility]) {
      for (const text of texts(done(f))) {
        expect(text).not.toMatch(/\d[eE][-+]?\d/);
        expect(text).not.toMatch(/\d{4}-\d\d-\d\d(T|\s\d)/);
      }
    }
  });

  it('formats intervals and splits compactly', () => {
    expect(intervalCell(null)).toBe('—');
    expect(intervalCell({ estimate: 0.5, lower: null, upper: null })).toBe('0.5');
    expect(splitText({ design: 'group', column: 'customer_id', cut: null })).toBe(
      'Grouped by customer_id (no ID on both sides)',
    );
    expect(splitText({ design: 'time', column: 'ts', cut: null })).toBe('Time-ordered on ts');
    expect(reviewCell(undefined)).toBe('—');
    expect(reviewCell(1234567)).toBe('1234567');
  });

  it('lists the feasibility findings most severe first, and says which are waived', () => {
    const finding = (id: string, area: string, severity: string) => ({
      id,
      check: `check-${id}`,
      area,
      severity,
      title: `title ${id}`,
      datasetId: 'd',
      columns: [],
      evidence: {},
      sql: '',
      recommendation: `fix ${id}`,
    });
    const lines = feasibilityFindingLines({
      findings: [
        finding('a', 'feasibility', 'major'),
        finding('b', 'labels', 'blocker'),
        finding('c', 'feasibility', 'blocker'),
      ] as Parameters<typeof feasibilityFindingLines>[0]['findings'],
      waivers: [{ findingId: 'a', reason: 'known', at: '2026-12-04T04:10:00Z' }],
    });
    expect(lines.map((l) => [l.id, l.severity, l.waived])).toEqual([
      ['c', 'Blocker', false],
      ['a', 'Major', true],
    ]);
    expect(lines[0]!.recommendation).toBe('fix c');
  });
});
