import { type LabelCountsPart, labelCountsQuery } from '../sql/readiness-labels';
import { q } from './findings';
import type { QueryResults, ReadinessSetup, ResultRow } from './types';

/**
 * Classes are counted once for labels-missing, labels-variants and
 * labels-by-source (`labelCountsQuery`, the same statement for the three, run
 * once); each finding still shows its own statement. A numeric target keeps
 * the standalone statements.
 */
export function countsQueries(
  s: ReadinessSetup,
  key: string,
  standalone: () => string,
): Record<string, string> {
  return { [key]: s.label?.kind === 'classes' ? labelCountsQuery(s.sql) : standalone() };
}

/** The rows of one standalone statement, from its own result or its part of `labelCountsQuery`. */
export function countsRows(
  s: ReadinessSetup,
  r: QueryResults,
  key: string,
  part: LabelCountsPart,
): ResultRow[] {
  const rows = r[key] ?? [];
  return s.label?.kind === 'classes' ? rows.filter((row) => row.part === part) : rows;
}

export function display(s: ReadinessSetup): string {
  return q(s.label?.positiveDisplay ?? null);
}
