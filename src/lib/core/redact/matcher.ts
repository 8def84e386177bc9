/**
 * Find many known strings inside texts in time linear in the texts' length
 * (Aho–Corasick), so a document with 40,000 personal values is scrubbed as
 * fast, per character, as one with 40. The pass used to search every text for
 * every value one by one: quadratic in the number of values.
 */
export class LiteralMatcher {
  /** Per node: next node by UTF-16 code unit. */
  readonly #next: Map<number, number>[] = [new Map()];
  readonly #fail: number[] = [0];
  /** Per node: length of the longest pattern that ends at this node (itself or through failure links). */
  readonly #longest: number[] = [0];
  #built = false;
  /** Transitions and failure-link steps taken so far: the work a pass did, for tests on its growth. */
  work = 0;

  /** Add a string to find. Empty strings are ignored. */
  add(pattern: string): void {
    if (this.#built) throw new Error('LiteralMatcher: add() after the first search.');
    if (pattern.length === 0) return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      this.work++;
      const code = pattern.charCodeAt(i);
      let child = this.#next[node]!.get(code);
      if (child === undefined) {
        child = this.#next.length;
        this.#next.push(new Map());
        this.#fail.push(0);
        this.#longest.push(0);
        this.#next[node]!.set(code, child);
      }
      node = child;
    }
    this.#longest[node] = Math.max(this.#longest[node]!, pattern.length);
  }

  get size(): number {
    return this.#next.length - 1;
  }

  #build(): void {
    this.#built = true;
    const queue: number[] = [];
    for (const child of this.#next[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      this.#longest[node] = Math.max(this.#longest[node]!, this.#longest[this.#fail[node]!]!);
      for (const [code, child] of this.#next[node]!) {
        let f = this.#fail[node]!;
        while (f !== 0 && !this.#next[f]!.has(code)) {
          f = this.#fail[f]!;
          this.work++;
        }
        const target = this.#next[f]!.get(code);
        this.#fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
        this.work++;
      }
    }
  }

  /**
   * The spans `[start, end)` of the text covered by any pattern, merged and in
   * order. Overlapping matches are merged, so every occurrence of every
   * pattern lies inside one span.
   */
  spans(text: string): [number, number][] {
    if (!this.#built) this.#build();
    const out: [number, number][] = [];
    if (this.size === 0) return out;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      this.work++;
      while (node !== 0 && !this.#next[node]!.has(code)) {
        node = this.#fail[node]!;
        this.work++;
      }
      node = this.#next[node]!.get(code) ?? 0;
      const length = this.#longest[node]!;
      if (length === 0) continue;
      // A longer match can start before spans already recorded: merge them all (each span is merged once).
      let start = i + 1 - length;
      let end = i + 1;
      while (out.length > 0 && start <= out[out.length - 1]![1]) {
        const last = out.pop()!;
        start = Math.min(start, last[0]);
        end = Math.max(end, last[1]);
      }
      out.push([start, end]);
    }
    return out;
  }
}
