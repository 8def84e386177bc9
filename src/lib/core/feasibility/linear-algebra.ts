/**
 * The small dense solves of the baselines: a p×p symmetric positive-definite
 * system per Newton step (p ≤ 61), so a plain Cholesky is all it takes.
 */

/** A symmetric matrix from its upper triangle, row by row (`upper[k]` for i ≤ j in order). */
export function symmetricFromUpper(size: number, upper: readonly number[]): number[][] {
  const m = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  let k = 0;
  for (let i = 0; i < size; i++)
    for (let j = i; j < size; j++) {
      const v = upper[k++] ?? 0;
      m[i]![j] = v;
      m[j]![i] = v;
    }
  return m;
}

/** The lower Cholesky factor of `a`, or null when `a` is not (numerically) positive definite. */
export function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const li = l[i]!;
    for (let j = 0; j <= i; j++) {
      const lj = l[j]!;
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= li[k]! * lj[k]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        li[i] = Math.sqrt(sum);
      } else li[j] = sum / lj[j]!;
    }
  }
  return l;
}

function solveWithFactor(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/**
 * x with a·x = b for a symmetric positive (semi-)definite `a`. When the
 * factorisation fails (a column constant on a fold, a level absent from a
 * curve share), a jitter of 1e-10 × the mean diagonal, growing tenfold, is
 * added until it succeeds: the solution then moves by far less than the
 * Newton tolerance. Null if even a large jitter fails (non-finite input).
 */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = a.length;
  if (n === 0) return [];
  const scale = Math.max(a.reduce((s, row, i) => s + Math.abs(row[i] ?? 0), 0) / n, 1e-300);
  for (let jitter = 0; jitter <= 1e-2 * scale; jitter = jitter === 0 ? 1e-10 * scale : jitter * 10) {
    const l = cholesky(jitter === 0 ? a : a.map((row, i) => row.map((v, j) => (i === j ? v + jitter : v))));
    if (l) return solveWithFactor(l, b);
  }
  return null;
}
