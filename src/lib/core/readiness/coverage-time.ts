import { type CoverageUnit, timeCoverageQuery } from '../sql/readiness-coverage';
import type { ReadinessThresholds } from '../thresholds';
import { periodUnit } from './time-encoding';
import type { QueryResults, ReadinessSetup, ResultRow } from './types';

export const TIME_DEPS = ['eventTime', 'asOf', 'historyFrom', 'thresholds'] as const;

/** The one statement behind the span, gaps and recency checks (each finding shows its own query). */
export function timeQuery(s: ReadinessSetup): string {
  return timeCoverageQuery(s.sql, gapUnit(s), recencyWindowsOf(s.thresholds));
}

/** The windows recency counts rows in: the reported ones and the two it judges by. */
export function recencyWindowsOf(t: ReadinessThresholds): number[] {
  return [...new Set([...t.recencyWindows, t.recencyMinorDays, t.recencyMajorDays].map(Math.round))].sort(
    (a, b) => a - b,
  );
}

export function timeRows(r: QueryResults, part: 'span' | 'months' | 'recency'): ResultRow[] {
  return (r.time ?? []).filter((x) => x.part === part);
}

/** The unit gaps are judged in: the column's own years or quarters, else months. */
export function gapUnit(s: ReadinessSetup): CoverageUnit {
  return periodUnit(s.time?.granularity);
}
