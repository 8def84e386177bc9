import type { ReadinessSetup } from './types';

export const TIME_DEPS = ['eventTime', 'outcomeTime', 'excluded'] as const;

export function roleOf(s: ReadinessSetup, column: string): string {
  if (s.time?.column === column) return 'event time';
  if (s.outcome?.column === column) return 'outcome time';
  return 'date column';
}
