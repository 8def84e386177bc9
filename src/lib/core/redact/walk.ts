import type { AuditDocument } from '../model/audit';
import { str } from '../sql/quote';
import { LiteralMatcher } from './matcher';
import { mayHoldPattern, maskPatterns, maskText } from './mask';

/**
 * The redaction walk: one pass over the whole audit document, whatever its
 * schema holds (profiles, findings, drift report and history, monitoring
 * contract, metric plan, deliverable, notes). Every string, and every record
 * key, passes through it, so a field added later cannot leave unmasked:
 *
 * - a *value slot* (a top value, a category, a bucket key, a class label, an
 *   example) of a personal-data column is masked to its shape (`aaaa@aaaa.aaa`);
 *   in strict mode every categorical value slot is;
 * - every other string is scrubbed: the values known from the value slots of
 *   personal columns are masked wherever they appear (titles, SQL, reasons,
 *   labels), and so is anything shaped like an e-mail, phone, card or IBAN;
 * - a string that is exactly a column name or a dataset id is an identifier:
 *   only the patterns are masked, so references inside the document still hold.
 *
 * The walk runs twice: first to collect the known values, then to mask.
 */

/** A slot holding values of one column. `categorical`: its values are category labels (strict mode masks them). */
interface Slot {
  column: string | undefined;
  categorical: boolean;
  /** The numbers of a numeric slot become null rather than a masked text (schema: number or null). */
  nullable?: boolean;
}

type Key = string | number;
type Ancestors = readonly unknown[];

/** Detail and evidence keys whose value is an example taken from the data. */
const VALUE_KEYS = new Set(['value', 'values', 'example', 'examples', 'canonical', 'spellings', 'exampleId']);
const EXAMPLE_KEY = /example|^values?$|spellings|canonical/i;
/** Known values shorter than this are not searched for inside other texts (too many false hits). */
export const MIN_SCRUB_LENGTH = 4;
/** Labels the analyses write themselves, never a value of the data. */
const OWN_LABELS = new Set(['(other)', '(missing)']);

export interface WalkOptions {
  /** Names of personal-data columns: personal in every dataset of the audit. */
  personal: ReadonlySet<string>;
  strict: boolean;
}

function field(node: unknown, key: string): unknown {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
    ? (node as Record<string, unknown>)[key]
    : undefined;
}

function textField(node: unknown, key: string): string | undefined {
  const v = field(node, key);
  return typeof v === 'string' ? v : undefined;
}

/** Does `path` match `pattern`? `*` matches any record key, `#` any array index. */
function matches(path: readonly Key[], pattern: readonly string[]): boolean {
  if (path.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const k = path[i]!;
    if (p === '#' ? typeof k !== 'number' : p !== '*' && p !== k) return false;
  }
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RedactionWalk {
  maskedValues = 0;
  removedExamples = 0;
  readonly #doc: AuditDocument;
  readonly #personal: ReadonlySet<string>;
  readonly #strict: boolean;
  /** Column names of every dataset, and dataset ids: identifiers, left whole. */
  readonly #identifiers = new Set<string>();
  readonly #columns = new Set<string>();
  readonly #matcher = new LiteralMatcher();
  readonly #known = new Set<string>();
  /**
   * The app's ids (the audit's and its datasets') wherever they appear (alone,
   * as record keys, inside finding ids): random UUIDs, about 1 in 400 of which holds a phone-shaped
   * run of digits. Masked, they would no longer name their dataset.
   */
  readonly #appIds: RegExp | undefined;
  #collecting = true;
  readonly #relationKeyCache = new WeakMap<
    object,
    { slots: ReadonlySet<string>; personal: string | undefined }
  >();

  constructor(doc: AuditDocument, options: WalkOptions) {
    this.#doc = doc;
    this.#personal = options.personal;
    this.#strict = options.strict;
    for (const d of doc.datasets) {
      this.#identifiers.add(d.id);
      for (const c of d.columns) this.#columns.add(c.name);
    }
    for (const [id, p] of Object.entries(doc.profiles)) {
      this.#identifiers.add(id);
      for (const c of p.columns) this.#columns.add(c.name);
    }
    for (const c of this.#columns) this.#identifiers.add(c);
    // Only the ids the app makes (UUIDs: hex digits, no room for a person's data); any other id is text like the rest.
    const ids = [...new Set([doc.id, ...doc.datasets.map((d) => d.id), ...Object.keys(doc.profiles)])].filter(
      (id) => UUID.test(id),
    );
    this.#appIds = ids.length
      ? new RegExp(ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : undefined;
  }

  /** Work done by the literal search (build and scan steps): linear in the values and texts. */
  get work(): number {
    return this.#matcher.work;
  }

  run(): AuditDocument {
    this.#collecting = true;
    this.#visit(this.#doc, [], []);
    for (const v of this.#known) this.#matcher.add(v);
    this.#collecting = false;
    this.maskedValues = 0;
    return this.#visit(this.#doc, [], []) as AuditDocument;
  }

  #isPersonal(column: string | undefined): boolean {
    return column !== undefined && this.#personal.has(column);
  }

  #remember(value: unknown): void {
    if (typeof value === 'number' || typeof value === 'bigint') value = String(value);
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length < MIN_SCRUB_LENGTH || OWN_LABELS.has(v)) return;
    this.#known.add(v);
    // The same value as a SQL literal's content (`O'Brien` is written `O''Brien`).
    if (v.includes("'")) this.#known.add(str(v).slice(1, -1));
  }

  /** Mask a value to its shape, deep for lists and records; booleans and nulls stay. */
  #mask(value: unknown): unknown {
    if (value === null || value === undefined || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((v) => this.#mask(v));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.#scrub(k)] = this.#mask(v);
      return out;
    }
    if (typeof value === 'string' && OWN_LABELS.has(value)) return value;
    this.maskedValues++;
    return maskText(String(value));
  }

  /** A text from outside the document (a log line), scrubbed like any text inside it. Call after `run()`. */
  scrubText(text: string): string {
    return this.#scrub(text);
  }

  /** Mask known personal values and personal-data patterns inside a text. */
  #scrub(text: string): string {
    if (this.#collecting) return text;
    let out = text;
    if (!this.#identifiers.has(text) && this.#matcher.size > 0) {
      const spans = this.#matcher.spans(text);
      if (spans.length > 0) {
        let rebuilt = '';
        let at = 0;
        for (const [start, end] of spans) {
          rebuilt += text.slice(at, start) + maskText(text.slice(start, end));
          at = end;
        }
        out = rebuilt + text.slice(at);
        this.maskedValues += spans.length;
      }
    }
    return this.#maskPatternsAroundIds(out);
  }

  /** Personal-data patterns masked in a text, the app's ids left whole. */
  #maskPatternsAroundIds(text: string): string {
    // The cheap exit first: the id search would cost more than the text it spares.
    if (!mayHoldPattern(text)) return text;
    const ids = this.#appIds;
    if (!ids) return this.#maskPatterns(text);
    let out = '';
    let at = 0;
    for (const m of text.matchAll(ids)) {
      out += this.#maskPatterns(text.slice(at, m.index)) + m[0];
      at = m.index + m[0].length;
    }
    return out + this.#maskPatterns(text.slice(at));
  }

  #maskPatterns(text: string): string {
    const patterns = maskPatterns(text);
    this.maskedValues += patterns.masked;
    return patterns.text;
  }

  /** The value slot at `path`, if it is one: which column's values it holds. */
  #slot(path: readonly Key[], up: Ancestors): Slot | undefined {
    const doc = this.#doc;
    const at = (depth: number): unknown => up[depth];
    // Profiles: top values, variants, extremes, histogram bounds of each column.
    if (path[0] === 'profiles' && path[2] === 'columns' && path.length > 4) {
      const column = textField(at(4), 'name');
      if (matches(path, ['profiles', '*', 'columns', '#', 'topK', '#', 'value']))
        return { column, categorical: true };
      if (matches(path, ['profiles', '*', 'columns', '#', 'text', 'variants', '#', 'canonical']))
        return { column, categorical: true };
      if (
        matches(path, ['profiles', '*', 'columns', '#', 'text', 'variants', '#', 'spellings', '#', 'value'])
      )
        return { column, categorical: true };
      if (
        matches(path, ['profiles', '*', 'columns', '#', 'histogram', '#', 'start']) ||
        matches(path, ['profiles', '*', 'columns', '#', 'histogram', '#', 'end'])
      )
        return { column, categorical: typeof field(at(6), String(path[6])) === 'string' };
      if (
        matches(path, ['profiles', '*', 'columns', '#', 'numeric', 'min']) ||
        matches(path, ['profiles', '*', 'columns', '#', 'numeric', 'max']) ||
        matches(path, ['profiles', '*', 'columns', '#', 'numeric', 'quantiles', '*']) ||
        matches(path, ['profiles', '*', 'columns', '#', 'temporal', 'min']) ||
        matches(path, ['profiles', '*', 'columns', '#', 'temporal', 'max'])
      )
        return { column, categorical: false, nullable: true };
      return undefined;
    }
    if (matches(path, ['profiles', '*', 'duplicateExample', '*']))
      return { column: String(path[3]), categorical: this.#columns.has(String(path[3])) };
    // Findings: detail rows keyed by column, examples under generic keys.
    const inDetails = path.length === 5 && path[2] === 'details';
    const inEvidence = path.length === 4 && path[2] === 'evidence';
    if (path[0] === 'findings' && (inDetails || inEvidence)) {
      const finding = at(2);
      const key = String(path[path.length - 1]);
      const columns = (field(finding, 'columns') as string[] | undefined) ?? [];
      if (inDetails && field(finding, 'area') === 'relations') {
        const keys = this.#relationKeys(finding);
        if (keys.slots.has(key)) return { column: keys.personal ?? key, categorical: true };
      }
      if (path[2] === 'details' && this.#columns.has(key)) return { column: key, categorical: true };
      if (VALUE_KEYS.has(key) || EXAMPLE_KEY.test(key)) {
        const personal = columns.find((c) => this.#isPersonal(c));
        return { column: personal ?? columns[0], categorical: true };
      }
      return undefined;
    }
    if (path[0] === 'drift') return this.#driftSlot(path, up);
    if (path[0] === 'plan') {
      const results = field(field(doc, 'plan'), 'results');
      const target = textField(results, 'target');
      if (matches(path, ['plan', 'results', 'ruleSearch', '#', 'buckets', '#', 'key'])) {
        const search = at(4);
        return { column: textField(search, 'feature'), categorical: field(search, 'kind') === 'categorical' };
      }
      if (
        matches(path, ['plan', 'results', 'classShares', '#', 'label']) ||
        matches(path, ['plan', 'results', 'majorityLabel']) ||
        matches(path, ['plan', 'results', 'positiveClass'])
      )
        return { column: target, categorical: true };
      return undefined;
    }
    if (path[0] === 'feasibility') return this.#feasibilitySlot(path);
    if (matches(path, ['context', 'positiveClass'])) {
      const primary = doc.primaryDatasetId ?? doc.datasets[0]?.id;
      return { column: primary ? doc.roles[primary]?.target : undefined, categorical: true };
    }
    return undefined;
  }

  /**
   * A relation finding's detail rows quote keys of two datasets, the child's
   * and the parent's (`parent <column>` when both columns share a name). Both
   * hold the same values, so they are masked together when either column is
   * personal, even if only one side was marked (`personalColumns[child]`).
   * The relation is read from the document's relations by the finding's
   * dataset and key column; without one, the finding's own columns count.
   */
  #relationKeys(finding: unknown): { slots: ReadonlySet<string>; personal: string | undefined } {
    const cached = this.#relationKeyCache.get(finding as object);
    if (cached) return cached;
    const datasetId = textField(finding, 'datasetId');
    const key = ((field(finding, 'columns') as string[] | undefined) ?? [])[0];
    const links = [...(this.#doc.relations ?? []), ...(this.#doc.relationState?.accepted ?? [])].filter(
      (l) =>
        (l.child.dataset === datasetId && l.child.column === key) ||
        (l.parent.dataset === datasetId && l.parent.column === key),
    );
    const columns = new Set(links.flatMap((l) => [l.child.column, l.parent.column]));
    if (key !== undefined) columns.add(key);
    const slots = new Set([...columns].flatMap((c) => [c, `parent ${c}`]));
    const keys = { slots, personal: [...columns].find((c) => this.#isPersonal(c)) };
    this.#relationKeyCache.set(finding as object, keys);
    return keys;
  }

  /** The label-review sample quotes whole rows: each value is its column's; labels are the target's. */
  #feasibilitySlot(path: readonly Key[]): Slot | undefined {
    if (matches(path, ['feasibility', 'labelNoise', 'reviewSample', '#', 'values', '*']))
      return { column: String(path[5]), categorical: true };
    const doc = this.#doc;
    const primary = doc.primaryDatasetId ?? doc.datasets[0]?.id;
    const target = primary ? doc.roles[primary]?.target : undefined;
    if (
      matches(path, ['feasibility', 'labelNoise', 'reviewSample', '#', 'givenLabel']) ||
      matches(path, ['feasibility', 'positiveClass'])
    )
      return { column: target, categorical: true };
    return undefined;
  }

  #driftSlot(path: readonly Key[], up: Ancestors): Slot | undefined {
    const at = (depth: number): unknown => up[depth];
    if (matches(path, ['drift', 'report', 'comparison', 'referenceValues', '#']))
      return { column: textField(at(3), 'splitColumn'), categorical: true };
    if (path[1] === 'report' && path[2] === 'columns' && path.length > 4) {
      const c = at(4);
      const column = textField(c, 'column');
      const categorical = field(c, 'kind') === 'categorical';
      if (matches(path, ['drift', 'report', 'columns', '#', 'shares', '#', 'label']))
        return { column, categorical };
      if (matches(path, ['drift', 'report', 'columns', '#', 'categories', '#']))
        return { column, categorical: true };
      if (
        matches(path, ['drift', 'report', 'columns', '#', 'newCategories', '#', 'value']) ||
        matches(path, ['drift', 'report', 'columns', '#', 'goneCategories', '#', 'value'])
      )
        return { column, categorical: true };
      return undefined;
    }
    if (path[1] === 'report' && path[2] === 'label') {
      const column = textField(at(3), 'column');
      if (
        matches(path, ['drift', 'report', 'label', 'classes', '#', 'label']) ||
        matches(path, ['drift', 'report', 'label', 'classRates', '#', 'label']) ||
        matches(path, ['drift', 'report', 'label', 'positive'])
      )
        return { column, categorical: true };
      return undefined;
    }
    if (
      matches(path, ['drift', 'report', 'concept', '#', 'segment']) ||
      matches(path, ['drift', 'report', 'concept', '#', 'variants', '#'])
    )
      return { column: textField(at(4), 'feature'), categorical: true };
    // The monitoring contract: bucket labels and categories (its SQL is handled with the column).
    if (path[1] === 'contract') {
      const monitored = path[2] === 'label' ? at(3) : path[2] === 'columns' ? at(4) : undefined;
      const rest = path[2] === 'label' ? path.slice(3) : path.slice(4);
      const column = textField(monitored, 'column');
      const categorical = field(monitored, 'kind') === 'categorical';
      if (matches(rest, ['bins', '#', 'label'])) return { column, categorical };
      if (matches(rest, ['categories', '#'])) return { column, categorical: true };
    }
    return undefined;
  }

  /** Whether a slot's values are masked: a personal column's, or in strict mode any category. */
  #masks(slot: Slot): boolean {
    return this.#isPersonal(slot.column) || (this.#strict && slot.categorical);
  }

  #visit(node: unknown, path: Key[], up: unknown[]): unknown {
    const slot = path.length > 0 ? this.#slot(path, up) : undefined;
    if (slot && this.#masks(slot)) {
      if (this.#collecting) {
        // Strict mode hides categories, not numbers: only a personal column's numbers are searched for in texts.
        this.#collect(node, this.#isPersonal(slot.column));
        return node;
      }
      if (slot.nullable) {
        if (node !== null && node !== undefined) this.maskedValues++;
        return node === undefined ? undefined : null;
      }
      return this.#mask(node);
    }
    // A file's checksum holds no data, but its hex digits can look like a phone or card number.
    if (matches(path, ['datasets', '#', 'sha256'])) return node;
    if (typeof node === 'string') return this.#scrub(node);
    if (node === null || typeof node !== 'object') return node;
    const special = this.#special(node, path, up);
    if (special !== undefined) return special;
    up.push(node);
    try {
      if (Array.isArray(node)) {
        const out: unknown[] = [];
        for (let i = 0; i < node.length; i++) {
          path.push(i);
          out.push(this.#visit(node[i], path, up));
          path.pop();
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        path.push(k);
        const value = this.#visit(v, path, up);
        path.pop();
        if (value !== undefined || v === undefined) out[this.#scrub(k)] = value;
      }
      return out;
    } finally {
      up.pop();
    }
  }

  #collect(node: unknown, numbers: boolean): void {
    if (Array.isArray(node)) for (const v of node) this.#collect(v, numbers);
    else if (node !== null && typeof node === 'object')
      for (const v of Object.values(node)) this.#collect(v, numbers);
    else if (numbers || typeof node === 'string') this.#remember(node);
  }

  /**
   * Nodes rewritten as a whole: the strict mode's example rows, the edges of a
   * personal numeric drift column, and a monitoring contract column whose
   * literals become parameters. `undefined`: walk the node as usual.
   */
  #special(node: object, path: readonly Key[], up: unknown[]): unknown {
    if (this.#collecting) return undefined;
    if (this.#strict && matches(path, ['profiles', '*', 'duplicateExample'])) {
      this.removedExamples++;
      return null;
    }
    if (matches(path, ['drift', 'report', 'columns', '#', 'edges'])) {
      const column = textField(up[up.length - 1], 'column');
      if (this.#isPersonal(column)) {
        this.maskedValues += (node as unknown[]).length;
        return [];
      }
    }
    if (matches(path, ['drift', 'contract']))
      return this.#contract(node as Record<string, unknown>, path, up);
    return undefined;
  }

  /** The monitoring contract with personal (or, in strict mode, all) categories replaced by SQL parameters. */
  #contract(contract: Record<string, unknown>, path: readonly Key[], up: unknown[]): unknown {
    const columns = (contract.columns as Record<string, unknown>[] | undefined) ?? [];
    const label = contract.label as Record<string, unknown> | undefined;
    const notes: string[] = [...((contract.notes as string[] | undefined) ?? [])];
    let parameterised = 0;
    const rewrite = (m: Record<string, unknown>): Record<string, unknown> | null => {
      const column = textField(m, 'column');
      const personal = this.#isPersonal(column);
      if (m.kind === 'numeric') {
        if (!personal) return m;
        notes.push(
          `Column ${JSON.stringify(column)} holds personal data: its reference deciles are values of people, so it is not monitored in this copy.`,
        );
        this.maskedValues += ((m.edges as unknown[] | undefined) ?? []).length;
        return null;
      }
      if (!personal && !this.#strict) return m;
      const categories = (m.categories as string[] | undefined) ?? [];
      if (categories.length === 0) return m;
      const k = ++parameterised;
      const names = categories.map((_, i) => `personal_${k}_${i + 1}`);
      const bind = (sql: string): string => {
        let out = sql;
        categories.forEach((c, i) => {
          out = out.replaceAll(`= ${str(c)} THEN ${i} `, `= $${names[i]} THEN ${i} `);
        });
        return out;
      };
      notes.push(
        `Column ${JSON.stringify(column)}: its ${categories.length} categories are ${personal ? 'personal data' : 'left out (aggregates only)'} and not in this copy. ` +
          `In its bucketSql and statistics, $${names[0]}…$${names[names.length - 1]} stand for them in bucket order; bind them as text to the categories of the unredacted contract, which the data owner keeps ` +
          `(in DuckDB: PREPARE q AS <sql>; EXECUTE q(${names[0]} := '…', …)).`,
      );
      return {
        ...m,
        bucketSql: bind(String(m.bucketSql)),
        statistics: ((m.statistics as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
          ...s,
          sql: bind(String(s.sql)),
        })),
      };
    };
    const kept = columns.map(rewrite).filter((m): m is Record<string, unknown> => m !== null);
    const rewrittenLabel = label ? rewrite(label) : undefined;
    const next: Record<string, unknown> = { ...contract, columns: kept, notes };
    if (rewrittenLabel) next.label = rewrittenLabel;
    else delete next.label;
    // Walk the rewritten contract as usual: its labels, categories and texts still pass the redactor.
    const walked: Record<string, unknown> = {};
    up.push(next);
    try {
      for (const [k, v] of Object.entries(next)) {
        const value = this.#visit(v, [...path, k], up);
        if (value !== undefined) walked[this.#scrub(k)] = value;
      }
    } finally {
      up.pop();
    }
    return walked;
  }
}
