import { describe, expect, it } from 'vitest';
import { READINESS_CHECK_IDS, isCheckId } from '../../../../src/lib/core/readiness/check-ids';
import { CHECK_IDS, READINESS_CHECKS } from '../../../../src/lib/core/readiness/registry';

describe('readiness check ids', () => {
  it('lists every registered check once, in the registry order', () => {
    expect(CHECK_IDS).toEqual([...READINESS_CHECK_IDS]);
    expect(new Set(CHECK_IDS).size).toBe(CHECK_IDS.length);
  });

  it('gives every check its meaning, fix and owner on its definition', () => {
    const bare = READINESS_CHECKS.filter((c) => !c.meaning || !c.fix || !c.owner).map((c) => c.id);
    expect(bare).toEqual([]);
  });

  it('tells a readiness check id from another finding kind', () => {
    expect(isCheckId('volume-rows')).toBe(true);
    expect(isCheckId('metrics-no-plan')).toBe(false);
  });
});
