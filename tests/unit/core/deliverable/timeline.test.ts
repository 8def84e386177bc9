import { describe, it, expect } from 'vitest';
import { costBands, fmtRange, timelineEstimate } from '../../../../src/lib/core/deliverable/timeline';
import { DEFAULT_COST, DEFAULT_TIMELINE } from '../../../../src/lib/core/deliverable/defaults';
import { TimelineSchema } from '../../../../src/lib/core/model/deliverable';

const weeks = (e: ReturnType<typeof timelineEstimate>) => e.phases.map((p) => [p.weeks.min, p.weeks.max]);

describe('timeline arithmetic', () => {
  it('keeps the default phases (2–4, 3–4, 6–12, 2–4 weeks) when the work plan fits and nothing is waived', () => {
    const e = timelineEstimate({ min: 1, max: 3 }, 0);
    expect(weeks(e)).toEqual([
      [2, 4],
      [3, 4],
      [6, 12],
      [2, 4],
    ]);
    expect(e.total).toEqual({ min: 13, max: 24 });
    expect(e.upliftShare).toBe(0);
    expect(e.method).toContain('No blocker is waived');
  });

  it('adds only the work plan’s excess over the audit and baseline phases to the baseline phase', () => {
    // Audit + baseline are 5–8 weeks; a 7–11-week plan overflows by 2 and 3 weeks.
    const e = timelineEstimate({ min: 7, max: 11 }, 0);
    expect(e.phases[1]!.fromWorkPlan).toEqual({ min: 2, max: 3 });
    expect(weeks(e)[1]).toEqual([5, 7]);
    expect(e.phases[0]!.fromWorkPlan).toEqual({ min: 0, max: 0 });
    expect(e.total).toEqual({ min: 15, max: 27 });
  });

  it('extends every phase after the first by the uplift per waived blocker, up to the cap', () => {
    const one = timelineEstimate({ min: 0, max: 0 }, 1);
    expect(one.upliftShare).toBeCloseTo(DEFAULT_TIMELINE.waivedBlockerUplift);
    expect(one.phases[0]!.uplift).toEqual({ min: 0, max: 0 });
    // 15 % of 6–12 weeks, to the half week: 0.9 → 1, 1.8 → 2.
    expect(one.phases[2]!.uplift).toEqual({ min: 1, max: 2 });
    const many = timelineEstimate({ min: 0, max: 0 }, 10);
    expect(many.upliftShare).toBe(DEFAULT_TIMELINE.waivedBlockerUpliftCap);
    expect(many.method).toContain('10 blockers are waived');
  });

  it('follows edited phases', () => {
    const timeline = TimelineSchema.parse({
      phases: [
        { id: 'audit', name: 'Audit', minWeeks: 1, maxWeeks: 1 },
        { id: 'launch', name: 'Launch', minWeeks: 4, maxWeeks: 6 },
      ],
      waivedBlockerUplift: 0.5,
      waivedBlockerUpliftCap: 1,
    });
    const e = timelineEstimate({ min: 3, max: 3 }, 1, timeline);
    // The plan's 3 weeks exceed the 1-week audit (the only fed phase): +2 there; launch gets +50 %.
    expect(weeks(e)).toEqual([
      [3, 3],
      [6, 9],
    ]);
    expect(e.phases[1]!.source).toBe('team assumption');
  });

  it('refuses a phase whose minimum exceeds its maximum', () => {
    expect(() =>
      TimelineSchema.parse({
        phases: [{ id: 'a', name: 'A', minWeeks: 5, maxWeeks: 2 }],
        waivedBlockerUplift: 0,
        waivedBlockerUpliftCap: 0,
      }),
    ).toThrow(/minWeeks/);
  });

  it('prices each scope as team size × daily rate × working days over its phases', () => {
    const e = timelineEstimate({ min: 0, max: 0 }, 0);
    const [poc, mid, enterprise] = costBands(e, DEFAULT_COST);
    expect(poc!.weeks).toEqual({ min: 5, max: 8 });
    expect(poc!.cost).toEqual({ min: 5 * 2 * 900 * 5, max: 8 * 2 * 900 * 5 });
    expect(mid!.weeks).toEqual({ min: 13, max: 24 });
    expect(enterprise!.weeks).toEqual({ min: 19.5, max: 36 });
    expect(enterprise!.cost.max).toBe(36 * 8 * 900 * 5);
  });

  it('formats ranges compactly', () => {
    expect(fmtRange({ min: 2, max: 4 })).toBe('2–4');
    expect(fmtRange({ min: 3, max: 3 })).toBe('3');
    expect(fmtRange({ min: 0.5, max: 1.5 })).toBe('0.5–1.5');
  });
});
