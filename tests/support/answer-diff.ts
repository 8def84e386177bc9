/** How two engines' answers are compared: what a value becomes first, and keys left out. */
export interface AnswerComparison {
  /** Relative tolerance on numbers (an absolute 1e-12 applies too). */
  relative?: number;
  /** Each value before comparing (both sides alike), e.g. bigints as numbers. */
  normalise?: (value: unknown) => unknown;
  /** Keys compared on neither side, e.g. a statement's text, which differs by dialect by design. */
  skipKey?: (key: string) => boolean;
}

/** Paths where two engines' answers differ beyond `relative` (numbers) or at all (anything else). */
export function answerDifferences(
  a: unknown,
  b: unknown,
  options: AnswerComparison = {},
  path = '',
): string[] {
  const { relative = 1e-9, normalise = (v: unknown) => v, skipKey = () => false } = options;
  const x = normalise(a);
  const y = normalise(b);
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) && Number.isNaN(y)) return [];
    const scale = Math.max(Math.abs(x), Math.abs(y), 1e-12);
    // An absolute 1e-12 too: sums in another order leave a zero (a correlation, a share) at ±1e-16.
    return Math.abs(x - y) <= Math.max(relative * scale, 1e-12) ? [] : [`${path}: ${x} vs ${y}`];
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return [`${path}: length ${x.length} vs ${y.length}`];
    return x.flatMap((item, i) => answerDifferences(item, y[i], options, `${path}[${i}]`));
  }
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !skipKey(k));
    return keys.flatMap((k) =>
      answerDifferences(
        (x as Record<string, unknown>)[k],
        (y as Record<string, unknown>)[k],
        options,
        `${path}.${k}`,
      ),
    );
  }
  return JSON.stringify(x) === JSON.stringify(y)
    ? []
    : [`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`];
}
