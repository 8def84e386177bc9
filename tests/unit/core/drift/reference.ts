import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../../support/engine';
import type { ValueCounts } from '../../../../src/lib/core/stats/drift';

/** The SciPy fixtures of tests/fixtures/drift/make_drift_reference.py. */
export interface NumericCase {
  name: string;
  values: number[];
  reference: number[];
  current: number[];
  ks: { statistic: number; pValue: number; method: 'exact' | 'asymptotic' };
  wasserstein: number;
  referenceStd: number;
}
export interface CategoricalCase {
  name: string;
  reference: number[];
  current: number[];
  chiSquare: { statistic: number; df: number; pValue: number };
  jensenShannon: number;
}
export interface DriftReference {
  numeric: NumericCase[];
  categorical: CategoricalCase[];
  ksExact: { m: number; n: number; d: number; pValue: number }[];
  kstwo: { n: number; d: number; sf: number; smirnov: number }[];
}

export const driftReference = JSON.parse(
  readFileSync(join(FIXTURES, 'drift/drift-reference.json'), 'utf8'),
) as DriftReference;

export function rowsOf(c: NumericCase): ValueCounts[] {
  return c.values.map((value, i) => ({ value, reference: c.reference[i]!, current: c.current[i]! }));
}
