import { describe, expect, it } from 'vitest';
import type { Baseline, FeasibilityResult } from '../../../../src/lib/core/model/feasibility';
import { feasibilityFindings } from '../../../../src/lib/core/feasibility/findings';
import { feasibilityNotRun } from '../../../../src/lib/core/feasibility/document';
import { FEASIBILITY_THRESHOLDS as T } from '../../../../src/lib/core/thresholds';

const split = { design: 'random', column: null, cut: null } as const;

function logistic(auc: [number, number, number], test = 2_000, positives = 600): Baseline {
  return {
    model: 'logistic',
    task: 'binary',
    features: ['a', 'b', 'c'],
    split,
    auc: { estimate: auc[0], lower: auc[1], upper: auc[2] },
    prAuc: null,
    brier: 0.2,
    r2: null,
    mae: null,
    n: { train: 8_000, test },
    positives: { train: 2_400, test: positives },
    iterations: 6,
    converged: true,
  };
}

function result(
  patch: Partial<FeasibilityResult> = {},
  best = logistic([0.8, 0.78, 0.82]),
): FeasibilityResult {
  return {
    ...feasibilityNotRun('', '2026-12-04T00:00:00.000Z'),
    status: 'done',
    task: 'binary',
    baselines: [best],
    best: best.model,
    ...patch,
  };
}

const input = { datasetId: 'd1', target: 'churned' };
const find = (r: FeasibilityResult, check: string) =>
  feasibilityFindings(r, input).filter((f) => f.check === check);

describe('feasibility findings: signal', () => {
  it('raises the blocker when a tight interval covers chance', () => {
    const [f] = find(result({}, logistic([0.51, 0.48, 0.54])), 'feasibility-no-signal');
    expect(f?.severity).toBe('blocker');
    expect(f?.title).toContain('No learnable signal');
    expect(f?.recommendation).toContain('regularised logistic regression');
  });

  it('calls a wide interval around chance inconclusive, not "no signal" (a small real table)', () => {
    // birthwt-like: 38 held-out rows, AUC 0.65 (0.45–0.85).
    const [f] = find(result({}, logistic([0.65, 0.45, 0.85], 38, 12)), 'feasibility-no-signal');
    expect(f?.severity).toBe('info');
    expect(f?.title).toContain('not established');
  });

  it('stays quiet (info) when the interval is above chance', () => {
    const [f] = find(result(), 'feasibility-no-signal');
    expect(f?.severity).toBe('info');
    expect(f?.title).toContain('Signal found');
  });

  it('judges regression by R² only with enough held-out rows', () => {
    const ridge = (r2: number, test: number): Baseline => ({
      ...logistic([0.5, 0.5, 0.5], test),
      model: 'ridge',
      task: 'regression',
      auc: null,
      positives: null,
      r2,
      mae: 3,
    });
    expect(find(result({}, ridge(0.004, 500)), 'feasibility-no-signal')[0]?.severity).toBe('blocker');
    expect(find(result({}, ridge(0.004, 40)), 'feasibility-no-signal')[0]?.severity).toBe('info');
    // randhie: R² 0.069 on 3,990 held-out rows is weak but real signal.
    expect(find(result({}, ridge(0.069, 3_990)), 'feasibility-no-signal')[0]?.severity).toBe('info');
    // Engel's food expenditure: R² 0.78 on 59 held-out rows is signal, not "too few rows to tell".
    expect(find(result({}, ridge(0.78, 59)), 'feasibility-no-signal')[0]?.title).toContain('Signal found');
    expect(find(result({}, ridge(0.78, 12)), 'feasibility-no-signal')[0]?.title).toContain('not judged');
  });

  it('raises nothing when the baselines did not run', () => {
    expect(feasibilityFindings(feasibilityNotRun('No target.', 'x'), input)).toEqual([]);
  });
});

describe('feasibility findings: label noise', () => {
  const noise = (estimate: number, rows = 2_000) => ({
    estimate,
    lower: estimate - 0.02,
    upper: estimate + 0.02,
    method: 'confident-learning' as const,
    rows,
    knn: null,
    reviewSample: [],
    reviewSizes: [{ rows: 200, lower: estimate - 0.04, upper: estimate + 0.05 }],
    interpretable: true,
  });
  const strong = logistic([0.9, 0.88, 0.92]);

  it('reads evenly spread disagreement on a strong baseline as label error: major above 5 %, blocker above 15 %', () => {
    const even = { surest10: 0.1, surest20: 0.1, rows: 2_000 };
    expect(
      find(result({ labelNoise: noise(0.1), noiseShape: even }, strong), 'feasibility-label-noise')[0]
        ?.severity,
    ).toBe('major');
    expect(
      find(
        result({ labelNoise: noise(0.18), noiseShape: { ...even, surest10: 0.18, surest20: 0.19 } }, strong),
        'feasibility-label-noise',
      )[0]?.severity,
    ).toBe('blocker');
    expect(
      find(result({ labelNoise: noise(0.03), noiseShape: even }, strong), 'feasibility-label-noise')[0]
        ?.severity,
    ).toBe('info');
  });

  it('does not read class overlap as label error (Pima-like: disagreement grows toward the boundary)', () => {
    const pima = { surest10: 0.074, surest20: 0.117, rows: 532 };
    const [f] = find(
      result({ labelNoise: noise(0.143, 532), noiseShape: pima }, logistic([0.84, 0.77, 0.91])),
      'feasibility-label-noise',
    );
    expect(f?.severity).toBe('info');
    expect(f?.title).toContain('not read as label errors');
  });

  it('does not read disagreement on a weak baseline as label error (birthwt-like)', () => {
    const flatButWeak = { surest10: 0.29, surest20: 0.32, rows: 600 };
    const [f] = find(
      result({ labelNoise: noise(0.36, 600), noiseShape: flatButWeak }, logistic([0.65, 0.55, 0.75])),
      'feasibility-label-noise',
    );
    expect(f?.severity).toBe('info');
    expect(f?.title).toContain('too weakly');
  });

  it('keeps the thresholds it cites in its evidence', () => {
    const [f] = find(
      result({ labelNoise: noise(0.1), noiseShape: { surest10: 0.1, surest20: 0.1, rows: 2_000 } }, strong),
      'feasibility-label-noise',
    );
    expect(f?.evidence.majorAbove).toBe(T.noiseMajor);
    expect(f?.evidence.blockerAbove).toBe(T.noiseBlocker);
  });
});

describe('feasibility findings: leak, target, curve', () => {
  it('names the column that carries a near-perfect baseline, and only that one', () => {
    const r = result(
      {
        dropColumn: [
          { column: 'refund_issued', aucWithout: 0.74, drop: 0.25 },
          { column: 'tenure', aucWithout: 0.985, drop: 0.004 },
        ],
      },
      logistic([0.99, 0.985, 0.995]),
    );
    const leaks = find(r, 'feasibility-leak');
    expect(leaks.map((f) => [f.columns[0], f.severity, f.area])).toEqual([
      ['refund_issued', 'major', 'leakage'],
    ]);
  });

  it('reads a near-perfect score spread over many columns as an easy problem (breast-cancer-like), not a leak', () => {
    const r = result(
      { dropColumn: [{ column: 'radius', aucWithout: 0.996, drop: 0.002 }] },
      logistic([0.998, 0.99, 1]),
    );
    expect(find(r, 'feasibility-leak').map((f) => f.severity)).toEqual(['info']);
  });

  it('raises the target gap only when even the interval’s top end falls short', () => {
    const gap = { recall: 0.7, precision: { estimate: 0.3, lower: 0.26, upper: 0.34 }, targetPrecision: 0.5 };
    expect(find(result({ targetCheck: gap }), 'feasibility-below-target')[0]?.severity).toBe('major');
    const close = { ...gap, precision: { estimate: 0.45, lower: 0.4, upper: 0.52 } };
    expect(find(result({ targetCheck: close }), 'feasibility-below-target')[0]?.severity).toBe('info');
  });

  it('says whether more rows would help', () => {
    const curve = [
      { rows: 1_000, auc: 0.7 },
      { rows: 8_000, auc: 0.8 },
    ];
    const rising = {
      a: 0.85,
      b: 1,
      c: 0.5,
      doublingGain: { estimate: 0.03, lower: 0.02, upper: 0.04 },
      trend: 'rising' as const,
    };
    expect(
      find(result({ learningCurve: curve, learningFit: rising }), 'feasibility-learning-curve')[0]?.severity,
    ).toBe('minor');
    const flat = {
      ...rising,
      doublingGain: { estimate: 0.002, lower: 0, upper: 0.004 },
      trend: 'flat' as const,
    };
    const [f] = find(result({ learningCurve: curve, learningFit: flat }), 'feasibility-learning-curve');
    expect(f?.severity).toBe('info');
    expect(f?.title).toContain('won’t help');
  });
});
