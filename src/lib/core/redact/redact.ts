import type {
  AuditDocument,
  ColumnProfile,
  DatasetProfile,
  Finding,
  RedactionMode,
  ValueCount,
} from '../audit/schema';
import { THRESHOLDS } from '../thresholds';
import { maskPatterns, maskText } from './mask';

/** Why a column's values are treated as personal data. */
export type PersonalReason = 'detected' | 'marked' | 'name';

export interface PersonalColumn {
  datasetId: string;
  column: string;
  reason: PersonalReason;
  /** Kinds of personal data the profile found (`email`, `payment-card`…), when it found any. */
  kinds: string[];
}

/** What one redaction pass masked, for the export dialog and the document's record. */
export interface RedactionSummary {
  mode: RedactionMode;
  /** Columns whose values are masked everywhere (personal data). */
  columns: PersonalColumn[];
  /** Single values masked: top values, example cells, values inside titles and evidence. */
  maskedValues: number;
  /** Whole example rows removed (strict mode). */
  removedExamples: number;
}

export interface RedactionResult {
  document: AuditDocument;
  summary: RedactionSummary;
}

/** Kinds that are personal data however few values match: one card number is one too many. */
const SENSITIVE_KINDS = /card|iban|ssn|passport|tax|national/i;
/** Column names that say personal data even when no value matched a pattern. */
const PERSONAL_NAME =
  /(e-?mail|phone|mobile|first_?name|last_?name|surname|full_?name|address|street|postcode|zip|ssn|social_?security|passport|iban|card_?number|credit_?card|birth|dob|ip_?address)/i;
/** Detail and evidence keys whose value is an example taken from the data. */
const VALUE_KEYS = new Set(['value', 'values', 'example', 'examples', 'canonical', 'spellings', 'exampleId']);
const EXAMPLE_KEY = /example|^values?$|spellings|canonical/i;
/** Known values shorter than this are not searched for inside other texts (too many false hits). */
const MIN_SCRUB_LENGTH = 4;

const STRENGTH: Record<RedactionMode, number> = { none: 0, personal: 1, strict: 2 };

/**
 * Columns whose values count as personal data: those the profile flagged
 * (a share of pattern matches at or above `piiShare`, or any match of a
 * sensitive kind such as a card number), those the user marked, and those
 * whose name says so (`email`, `phone`, `card_number`…).
 */
export function personalColumns(doc: AuditDocument): PersonalColumn[] {
  const out: PersonalColumn[] = [];
  for (const dataset of doc.datasets) {
    const profile = doc.profiles[dataset.id];
    const marked = new Set(doc.personalColumns?.[dataset.id] ?? []);
    const names = profile ? profile.columns.map((c) => c.name) : dataset.columns.map((c) => c.name);
    for (const name of names) {
      const column = profile?.columns.find((c) => c.name === name);
      const kinds = (column?.pii ?? []).filter(
        (p) => p.share >= THRESHOLDS.piiShare || (SENSITIVE_KINDS.test(p.kind) && p.matches > 0),
      );
      const reason: PersonalReason | undefined =
        kinds.length > 0
          ? 'detected'
          : marked.has(name)
            ? 'marked'
            : PERSONAL_NAME.test(name)
              ? 'name'
              : undefined;
      if (reason) out.push({ datasetId: dataset.id, column: name, reason, kinds: kinds.map((k) => k.kind) });
    }
  }
  return out;
}

/**
 * One redaction pass over an audit document, for every export and for the
 * saved copy.
 *
 * - `personal` (the default): values of personal-data columns are masked to
 *   their shape everywhere (top values, variants, examples, finding details,
 *   titles and evidence); counts, shares and shapes stay. E-mail addresses
 *   and Luhn-valid card numbers are masked in any other text as well.
 * - `strict`: as `personal`, and every example and top value of every column
 *   is masked and example rows are removed, leaving aggregates only.
 * - `none`: values are kept, by the user's explicit choice.
 *
 * The mode is recorded in `document.redaction`. Redacting a copy that was
 * already redacted keeps the stronger mode, since masked values cannot come back.
 */
export function redactAudit(doc: AuditDocument, mode: RedactionMode = 'personal'): RedactionResult {
  const columns = personalColumns(doc);
  const previous = doc.redaction?.mode ?? 'none';
  const recorded = STRENGTH[previous] > STRENGTH[mode] ? previous : mode;
  if (mode === 'none') {
    const summary: RedactionSummary = { mode, columns: [], maskedValues: 0, removedExamples: 0 };
    return {
      document: { ...doc, redaction: { mode: recorded, maskedColumns: 0, maskedValues: 0 } },
      summary,
    };
  }
  const pass = new RedactionPass(doc, mode, columns);
  const document = pass.run();
  const summary: RedactionSummary = {
    mode,
    columns,
    maskedValues: pass.maskedValues,
    removedExamples: pass.removedExamples,
  };
  document.redaction = { mode: recorded, maskedColumns: columns.length, maskedValues: pass.maskedValues };
  return { document, summary };
}

/** What a redaction in this mode would mask, without keeping the redacted copy (for the export dialog). */
export function redactionSummary(doc: AuditDocument, mode: RedactionMode = 'personal'): RedactionSummary {
  return redactAudit(doc, mode).summary;
}

/** The copy of an audit to export: redacted in the chosen mode (personal data masked by default). */
export function redactForExport(doc: AuditDocument, mode: RedactionMode = 'personal'): AuditDocument {
  return redactAudit(doc, mode).document;
}

/** The copy of an audit to save: personal values masked unless the user chose to keep them. */
export function redactForStorage(doc: AuditDocument): AuditDocument {
  return redactAudit(doc, doc.storePersonalValues ? 'none' : 'personal').document;
}

class RedactionPass {
  maskedValues = 0;
  removedExamples = 0;
  readonly #doc: AuditDocument;
  readonly #strict: boolean;
  /** Personal column names by dataset id. */
  readonly #personal = new Map<string, Set<string>>();
  /** Values known to be personal, by dataset id, searched for inside other texts. */
  readonly #known = new Map<string, Set<string>>();
  /** The same values, longest first, sorted once after they are collected. */
  readonly #knownSorted = new Map<string, string[]>();

  constructor(doc: AuditDocument, mode: RedactionMode, columns: PersonalColumn[]) {
    this.#doc = doc;
    this.#strict = mode === 'strict';
    for (const c of columns) this.#personalOf(c.datasetId).add(c.column);
  }

  run(): AuditDocument {
    const doc = this.#doc;
    this.#collectKnownValues();
    for (const [id, values] of this.#known)
      this.#knownSorted.set(
        id,
        [...values].sort((a, b) => b.length - a.length),
      );
    const profiles: Record<string, DatasetProfile> = {};
    for (const [id, profile] of Object.entries(doc.profiles)) profiles[id] = this.#profile(id, profile);
    // Load warnings may quote a line of the file.
    const datasets = doc.datasets.map((d) => ({
      ...d,
      warnings: d.warnings.map((w) => this.#scrub(d.id, w)),
    }));
    return { ...doc, datasets, profiles, findings: doc.findings.map((f) => this.#finding(f)) };
  }

  #personalOf(datasetId: string): Set<string> {
    let set = this.#personal.get(datasetId);
    if (!set) this.#personal.set(datasetId, (set = new Set()));
    return set;
  }

  #knownOf(datasetId: string): Set<string> {
    let set = this.#known.get(datasetId);
    if (!set) this.#known.set(datasetId, (set = new Set()));
    return set;
  }

  /** Every value of a personal column the document holds, so it can be found again inside titles and evidence. */
  #collectKnownValues(): void {
    const add = (datasetId: string, value: unknown): void => {
      if (typeof value === 'number' || typeof value === 'bigint') value = String(value);
      if (typeof value === 'string' && value.trim().length >= MIN_SCRUB_LENGTH)
        this.#knownOf(datasetId).add(value.trim());
    };
    for (const [id, profile] of Object.entries(this.#doc.profiles)) {
      const personal = this.#personalOf(id);
      for (const c of profile.columns) {
        if (!personal.has(c.name)) continue;
        for (const v of c.topK) add(id, v.value);
        for (const variant of c.text?.variants ?? []) {
          add(id, variant.canonical);
          for (const s of variant.spellings) add(id, s.value);
        }
        add(id, c.temporal?.min);
        add(id, c.temporal?.max);
        add(id, c.numeric?.min);
        add(id, c.numeric?.max);
      }
      for (const [key, value] of Object.entries(profile.duplicateExample ?? {}))
        if (personal.has(key)) add(id, value);
    }
    for (const f of this.#doc.findings) {
      const personal = this.#personalOf(f.datasetId);
      for (const row of f.details ?? [])
        for (const [key, value] of Object.entries(row)) if (personal.has(key)) add(f.datasetId, value);
    }
  }

  /**
   * Mask one value to its shape. Numbers become their masked text; booleans
   * and nulls stay; lists and records keep their structure, masked inside.
   */
  #mask(value: unknown): unknown {
    if (value === null || value === undefined || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((v) => this.#mask(v));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.#mask(v);
      return out;
    }
    this.maskedValues++;
    if (typeof value === 'string') return maskText(value);
    return maskText(String(value));
  }

  /** Mask known personal values and personal-data patterns inside a text. */
  #scrub(datasetId: string, text: string): string {
    let out = text;
    for (const value of this.#knownSorted.get(datasetId) ?? []) {
      if (!out.includes(value)) continue;
      const parts = out.split(value);
      this.maskedValues += parts.length - 1;
      out = parts.join(maskText(value));
    }
    const patterns = maskPatterns(out);
    this.maskedValues += patterns.masked;
    return patterns.text;
  }

  #scrubValue(datasetId: string, value: unknown): unknown {
    if (typeof value === 'string') return this.#scrub(datasetId, value);
    if (Array.isArray(value)) return value.map((v) => this.#scrubValue(datasetId, v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.#scrubValue(datasetId, v);
      return out;
    }
    return value;
  }

  #profile(datasetId: string, profile: DatasetProfile): DatasetProfile {
    const personal = this.#personalOf(datasetId);
    let duplicateExample = profile.duplicateExample;
    if (duplicateExample && this.#strict) {
      duplicateExample = null;
      this.removedExamples++;
    } else if (duplicateExample) {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(duplicateExample))
        row[key] = personal.has(key) ? this.#mask(value) : this.#scrubValue(datasetId, value);
      duplicateExample = row;
    }
    return {
      ...profile,
      duplicateExample,
      columns: profile.columns.map((c) => this.#column(datasetId, c, personal.has(c.name) || this.#strict)),
      alerts: profile.alerts.map((a) => ({ ...a, message: this.#scrub(datasetId, a.message) })),
    };
  }

  #column(datasetId: string, c: ColumnProfile, maskAll: boolean): ColumnProfile {
    const values = (list: ValueCount[]): ValueCount[] =>
      maskAll
        ? mergeByValue(
            list.map((v) => ({ value: this.#mask(v.value) as ValueCount['value'], count: v.count })),
          )
        : list.map((v) => ({ ...v, value: this.#scrubValue(datasetId, v.value) as ValueCount['value'] }));
    const out: ColumnProfile = { ...c, topK: values(c.topK) };
    if (c.histogram)
      out.histogram = c.histogram.map((b) => ({
        ...b,
        start: typeof b.start === 'string' && maskAll ? maskText(b.start) : b.start,
        end: typeof b.end === 'string' && maskAll ? maskText(b.end) : b.end,
      }));
    if (c.text) {
      const variants = c.text.variants.map((v) => ({
        canonical: maskAll ? (this.#mask(v.canonical) as string) : this.#scrub(datasetId, v.canonical),
        spellings: values(v.spellings),
      }));
      out.text = { ...c.text, variants: mergeVariants(variants) };
    }
    // A personal column's extremes and quantiles are values of one person (a card number, a birth date).
    const personal = this.#personalOf(datasetId).has(c.name);
    if (personal && c.numeric) {
      const quantiles: Record<string, number | null> = {};
      for (const key of Object.keys(c.numeric.quantiles)) quantiles[key] = null;
      out.numeric = { ...c.numeric, min: null, max: null, quantiles };
      this.maskedValues += 2;
    }
    if (personal && c.temporal) {
      out.temporal = { ...c.temporal, min: null, max: null };
      this.maskedValues += 2;
    }
    return out;
  }

  #finding(f: Finding): Finding {
    const id = f.datasetId;
    const personal = this.#personalOf(id);
    const datasetColumns = new Set(
      this.#doc.datasets.find((d) => d.id === id)?.columns.map((c) => c.name) ??
        this.#doc.profiles[id]?.columns.map((c) => c.name) ??
        [],
    );
    // A finding about a personal column holds its values under generic keys (`value`, `example`).
    const aboutPersonal = f.columns.length > 0 && personal.has(f.columns[0]!);
    const maskKey = (key: string): boolean =>
      personal.has(key) ||
      (aboutPersonal && VALUE_KEYS.has(key)) ||
      (this.#strict && (datasetColumns.has(key) || EXAMPLE_KEY.test(key)));
    const evidence: Finding['evidence'] = {};
    for (const [key, value] of Object.entries(f.evidence)) {
      const example = this.#strict && EXAMPLE_KEY.test(key);
      evidence[key] =
        example && typeof value === 'string'
          ? (this.#mask(value) as string)
          : typeof value === 'string'
            ? this.#scrub(id, value)
            : value;
    }
    const out: Finding = {
      ...f,
      title: this.#scrub(id, f.title),
      evidence,
      recommendation: this.#scrub(id, f.recommendation),
      sql: this.#scrub(id, f.sql),
    };
    if (f.details)
      out.details = f.details.map((row) => {
        const masked: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row))
          masked[key] = maskKey(key) ? this.#mask(value) : this.#scrubValue(id, value);
        return masked;
      });
    return out;
  }
}

/** After masking, many values share one shape: merge them so the list has one entry per shape. */
function mergeByValue(list: ValueCount[]): ValueCount[] {
  const merged = new Map<string, ValueCount>();
  for (const v of list) {
    const key = JSON.stringify(v.value);
    const seen = merged.get(key);
    if (seen) seen.count += v.count;
    else merged.set(key, { ...v });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

function mergeVariants(
  variants: { canonical: string; spellings: ValueCount[] }[],
): { canonical: string; spellings: ValueCount[] }[] {
  const merged = new Map<string, ValueCount[]>();
  for (const v of variants) merged.set(v.canonical, [...(merged.get(v.canonical) ?? []), ...v.spellings]);
  return [...merged.entries()].map(([canonical, spellings]) => ({
    canonical,
    spellings: mergeByValue(spellings),
  }));
}
