/**
 * Find many known strings inside texts in time linear in the texts' length
 * (Aho–Corasick), so a document with 40,000 personal values is scrubbed as
 * fast, per character, as one with 40. The pass used to search every text for
 * every value one by one: quadratic in the number of values.
 */
export class LiteralMatcher {
  /** The trie's edges in one map, keyed by node × 65536 + UTF-16 code unit (a map per node cost more in GC than the search). */
  readonly #edges = new Map<number, number>();
  readonly #parent: number[] = [0];
  readonly #code: number[] = [0];
  readonly #depth: number[] = [0];
  readonly #fail: number[] = [0];
  /** Per node: length of the longest pattern that ends at this node (itself or through failure links). */
  readonly #longest: number[] = [0];
  #built = false;
  /** Transitions and failure-link steps taken so far: the work a pass did, for tests on its growth. */
  work = 0;

  #step(node: number, code: number): number | undefined {
    return this.#edges.get(node * 0x10000 + code);
  }

  /** Add a string to find. Empty strings are ignored. */
  add(pattern: string): void {
    if (this.#built) throw new Error('LiteralMatcher: add() after the first search.');
    if (pattern.length === 0) return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      this.work++;
      const code = pattern.charCodeAt(i);
      let child = this.#step(node, code);
      if (child === undefined) {
        child = this.#parent.length;
        this.#parent.push(node);
        this.#code.push(code);
        this.#depth.push(this.#depth[node]! + 1);
        this.#fail.push(0);
        this.#longest.push(0);
        this.#edges.set(node * 0x10000 + code, child);
      }
      node = child;
    }
    this.#longest[node] = Math.max(this.#longest[node]!, pattern.length);
  }

  get size(): number {
    return this.#parent.length - 1;
  }

  /** Failure links, shallow nodes first (a counting sort by depth keeps it linear). */
  #build(): void {
    this.#built = true;
    const n = this.#parent.length;
    let maxDepth = 0;
    for (let v = 1; v < n; v++) maxDepth = Math.max(maxDepth, this.#depth[v]!);
    const starts = new Array<number>(maxDepth + 2).fill(0);
    for (let v = 1; v < n; v++) starts[this.#depth[v]! + 1]!++;
    for (let d = 1; d < starts.length; d++) starts[d]! += starts[d - 1]!;
    const order = new Array<number>(Math.max(0, n - 1));
    for (let v = 1; v < n; v++) order[starts[this.#depth[v]!]!++] = v;
    for (const v of order) {
      this.work++;
      const parent = this.#parent[v]!;
      if (parent === 0) continue;
      const code = this.#code[v]!;
      let f = this.#fail[parent]!;
      let target = this.#step(f, code);
      while (target === undefined && f !== 0) {
        f = this.#fail[f]!;
        target = this.#step(f, code);
        this.work++;
      }
      this.#fail[v] = target ?? 0;
      this.#longest[v] = Math.max(this.#longest[v]!, this.#longest[this.#fail[v]!]!);
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
      let next = this.#step(node, code);
      while (next === undefined && node !== 0) {
        node = this.#fail[node]!;
        next = this.#step(node, code);
        this.work++;
      }
      node = next ?? 0;
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
