import { describe, expect, it } from 'vitest';
import {
  cholesky,
  solveSymmetric,
  symmetricFromUpper,
} from '../../../../src/lib/core/feasibility/linear-algebra';

describe('linear algebra of the Newton steps', () => {
  it('rebuilds a symmetric matrix from its upper triangle, row by row', () => {
    expect(symmetricFromUpper(3, [1, 2, 3, 4, 5, 6])).toEqual([
      [1, 2, 3],
      [2, 4, 5],
      [3, 5, 6],
    ]);
  });

  it('factors a positive-definite matrix so that L·Lᵀ gives it back', () => {
    const a = [
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ];
    // The textbook example: L = [[2,0,0],[6,1,0],[-8,5,3]].
    expect(cholesky(a)).toEqual([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
  });

  it('solves a·x = b for a symmetric positive-definite a', () => {
    const a = [
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ];
    const x = [1, -2, 0.5];
    const b = a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
    const solved = solveSymmetric(a, b)!;
    solved.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 12));
  });

  it('refuses an indefinite matrix without jitter, and solves a singular one with a tiny jitter', () => {
    expect(
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
    // Two identical columns (a level that is the whole fold): singular, yet a solution exists.
    const singular = [
      [2, 2],
      [2, 2],
    ];
    const x = solveSymmetric(singular, [4, 4])!;
    expect(x).not.toBeNull();
    expect(2 * x[0]! + 2 * x[1]!).toBeCloseTo(4, 6);
  });

  it('gives up on a non-finite matrix', () => {
    expect(solveSymmetric([[Number.NaN]], [1])).toBeNull();
    expect(solveSymmetric([], [])).toEqual([]);
  });
});
