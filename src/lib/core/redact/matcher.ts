/**
 * Find many known strings inside texts in time linear in the texts' length
 * (Aho–Corasick), so a document with 40,000 personal values is scrubbed as
 * fast, per character, as one with 40. The pass used to search every text for
 * every value one by one: quadratic in the number of values.
 */
export class LiteralMatcher {
  /**
   * The trie in flat typed arrays (a map per node, or one map of numeric
   * keys, spent more time in the garbage collector than in the search): the
   * root's children by code unit, every other node's as a sibling list.
   */
  readonly #rootChild = new Int32Array(0x10000);
  #firstChild = new Int32Array(1024);
  #nextSibling = new Int32Array(1024);
  #code = new Uint16Array(1024);
  #parent = new Int32Array(1024);
  #depth = new Int32Array(1024);
  #fail = new Int32Array(1024);
  /** Per node: length of the longest pattern that ends at this node (itself or through failure links). */
  #longest = new Int32Array(1024);
  #nodes = 1;
  #built = false;
  /** Transitions and failure-link steps taken so far: the work a pass did, for tests on its growth. */
  work = 0;

  #step(node: number, code: number): number {
    if (node === 0) return this.#rootChild[code]!;
    for (let c = this.#firstChild[node]!; c !== 0; c = this.#nextSibling[c]!) {
      this.work++;
      if (this.#code[c] === code) return c;
    }
    return 0;
  }

  #grow(): void {
    const size = this.#firstChild.length * 2;
    const grown = <T extends Int32Array | Uint16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.#firstChild = grown(this.#firstChild);
    this.#nextSibling = grown(this.#nextSibling);
    this.#code = grown(this.#code);
    this.#parent = grown(this.#parent);
    this.#depth = grown(this.#depth);
    this.#fail = grown(this.#fail);
    this.#longest = grown(this.#longest);
  }

  #newChild(node: number, code: number): number {
    if (this.#nodes === this.#firstChild.length) this.#grow();
    const child = this.#nodes++;
    this.#code[child] = code;
    this.#parent[child] = node;
    this.#depth[child] = this.#depth[node]! + 1;
    if (node === 0) this.#rootChild[code] = child;
    else {
      this.#nextSibling[child] = this.#firstChild[node]!;
      this.#firstChild[node] = child;
    }
    return child;
  }

  /** Add a string to find. Empty strings are ignored. */
  add(pattern: string): void {
    if (this.#built) throw new Error('LiteralMatcher: add() after the first search.');
    if (pattern.length === 0) return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      this.work++;
      const code = pattern.charCodeAt(i);
      node = this.#step(node, code) || this.#newChild(node, code);
    }
    this.#longest[node] = Math.max(this.#longest[node]!, pattern.length);
  }

  get size(): number {
    return this.#nodes - 1;
  }

  /** Failure links, shallow nodes first (a counting sort by depth keeps it linear). */
  #build(): void {
    this.#built = true;
    const n = this.#nodes;
    let maxDepth = 0;
    for (let v = 1; v < n; v++) maxDepth = Math.max(maxDepth, this.#depth[v]!);
    const starts = new Int32Array(maxDepth + 2);
    for (let v = 1; v < n; v++) starts[this.#depth[v]! + 1]!++;
    for (let d = 1; d < starts.length; d++) starts[d]! += starts[d - 1]!;
    const order = new Int32Array(Math.max(0, n - 1));
    for (let v = 1; v < n; v++) order[starts[this.#depth[v]!]!++] = v;
    for (const v of order) {
      this.work++;
      const parent = this.#parent[v]!;
      if (parent === 0) continue;
      const code = this.#code[v]!;
      let f = this.#fail[parent]!;
      let target = this.#step(f, code);
      while (target === 0 && f !== 0) {
        f = this.#fail[f]!;
        target = this.#step(f, code);
        this.work++;
      }
      this.#fail[v] = target;
      this.#longest[v] = Math.max(this.#longest[v]!, this.#longest[target]!);
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
      while (next === 0 && node !== 0) {
        node = this.#fail[node]!;
        next = this.#step(node, code);
        this.work++;
      }
      node = next;
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
