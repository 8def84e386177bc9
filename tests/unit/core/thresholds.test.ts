import { describe, expect, it } from 'vitest';
import {
  FEASIBILITY_THRESHOLDS,
  FEASIBILITY_THRESHOLD_SOURCES,
  MISSING_TOKENS,
  PROFILE_THRESHOLD_SOURCES,
  READINESS_THRESHOLDS,
  SENTINEL_DATES,
  THRESHOLDS,
  THRESHOLD_SOURCES,
} from '../../../src/lib/core/thresholds';

describe('the one thresholds module', () => {
  it('names a source for every profile and readiness default', () => {
    for (const key of Object.keys(THRESHOLDS))
      expect(PROFILE_THRESHOLD_SOURCES[key as keyof typeof PROFILE_THRESHOLD_SOURCES], key).toMatch(/\S/);
    for (const key of Object.keys(READINESS_THRESHOLDS))
      expect(THRESHOLD_SOURCES[key as keyof typeof THRESHOLD_SOURCES], key).toMatch(/\S/);
    for (const key of Object.keys(FEASIBILITY_THRESHOLDS))
      expect(FEASIBILITY_THRESHOLD_SOURCES[key as keyof typeof FEASIBILITY_THRESHOLD_SOURCES], key).toMatch(
        /\S/,
      );
  });

  it('keeps one list of placeholder dates and one of missing-like tokens, for the profile and the checks', () => {
    expect(THRESHOLDS.defaultDates).toBe(SENTINEL_DATES);
    expect(THRESHOLDS.missingTokens).toBe(MISSING_TOKENS);
    expect(new Set(SENTINEL_DATES).size).toBe(SENTINEL_DATES.length);
    expect(SENTINEL_DATES.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    expect(MISSING_TOKENS.every((t) => t === t.trim().toLowerCase())).toBe(true);
  });

  it('reads the values the profile and the checks share from the profile entry, so they cannot drift apart', () => {
    expect(READINESS_THRESHOLDS.piiShare).toBe(THRESHOLDS.piiShare);
    expect(READINESS_THRESHOLDS.midnightDateOnlyShare).toBe(THRESHOLDS.midnightShare);
    expect(READINESS_THRESHOLDS.dateLikeShare).toBe(THRESHOLDS.typedAsTextShare);
  });

  it('has no fixed calendar bound for early dates', () => {
    expect(Object.keys(READINESS_THRESHOLDS)).not.toContain('plausibleStart');
    for (const value of Object.values(READINESS_THRESHOLDS))
      expect(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)).toBe(false);
  });
});
