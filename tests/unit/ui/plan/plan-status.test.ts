import { describe, expect, it } from 'vitest';
import { planStatusLine } from '../../../../src/lib/ui/plan/plan-status';
import { results } from '../../core/plan/plan-fixtures';

const at = new Date(2026, 10, 1, 15, 1);

describe('plan status line', () => {
  it('says when the plan was saved, and that its baselines were recomputed when the save did so', () => {
    const fresh = results({ rows: 12_345, computedAt: '2026-11-01T15:01:00Z' });
    expect(planStatusLine('save', { status: 'done', results: fresh }, at, '2026-10-01T09:00:00Z')).toBe(
      'Plan saved at 15:01. Baselines recomputed on 12,345 rows.',
    );
    expect(planStatusLine('save', { status: 'done', results: fresh }, at, fresh.computedAt)).toBe(
      'Plan saved at 15:01.',
    );
  });

  it('counts the rows the baselines were computed on, and says recomputed only when some existed', () => {
    const done = { status: 'done' as const, results: results({ rows: 12_345 }) };
    expect(planStatusLine('compute', done, at)).toBe('Baselines computed on 12,345 rows at 15:01.');
    expect(planStatusLine('compute', done, at, '2026-10-01T09:00:00Z')).toBe(
      'Baselines recomputed on 12,345 rows at 15:01.',
    );
  });

  it('has no status line for a failure, which is shown as an error', () => {
    expect(
      planStatusLine('compute', { status: 'no-target', message: 'Choose the target column first.' }, at),
    ).toBe(undefined);
    expect(planStatusLine('save', { status: 'failed', message: 'x' }, at)).toBe(undefined);
  });

  it('says a plan saved without its data in memory waits for the file', () => {
    expect(planStatusLine('save', { status: 'not-loaded' }, at)).toMatch(
      /^Plan saved at 15:01\. Its baselines/,
    );
  });
});
