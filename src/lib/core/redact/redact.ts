import type { AuditDocument, DatasetProfile, RedactionMode, ValueCount } from '../model/audit';
import { THRESHOLDS } from '../thresholds';
import { withoutControls } from './controls';
import { maskPatterns } from './mask';
import { personalByName, personalByValues } from './names';
import { RedactionWalk } from './walk';

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
  /** Steps of the literal search: grows linearly with the values and texts (tested on counts, not time). */
  work: number;
}

const STRENGTH: Record<RedactionMode, number> = { none: 0, personal: 1, strict: 2 };

/** Kinds that are personal data however few values match: one card number is one too many. */
const SENSITIVE_KINDS = /card|iban|ssn|passport|tax|national/i;

/**
 * Columns whose values count as personal data: those the profile flagged
 * (a share of pattern matches at or above `piiShare`, or any match of a
 * sensitive kind such as a card number), those whose values are shaped like
 * people's names or addresses (`Jane Doe`, `12 Baker Street`), those the user
 * marked, and those whose name says so (`email`, `phone`, `customer_name`,
 * `holder`, `contact`…). A column is personal in every dataset of the audit
 * that has it (a reference file full of e-mails makes the current file's
 * column personal too), unless the user said it is not (`notPersonalColumns`).
 */
export function personalColumns(doc: AuditDocument): PersonalColumn[] {
  const found = new Map<string, { reason: PersonalReason; kinds: string[] }>();
  const notPersonal = new Set(Object.values(doc.notPersonalColumns ?? {}).flat());
  const rank: Record<PersonalReason, number> = { detected: 3, marked: 2, name: 1 };
  const note = (column: string, reason: PersonalReason, kinds: string[]): void => {
    const seen = found.get(column);
    if (!seen || rank[reason] > rank[seen.reason]) found.set(column, { reason, kinds });
    else if (reason === 'detected') seen.kinds = [...new Set([...seen.kinds, ...kinds])];
  };
  const columnsOf = (datasetId: string): { name: string; profile?: DatasetProfile['columns'][number] }[] => {
    const profile = doc.profiles[datasetId];
    const dataset = doc.datasets.find((d) => d.id === datasetId);
    const byName = new Map((profile?.columns ?? []).map((c) => [c.name, c]));
    const names = profile ? profile.columns.map((c) => c.name) : (dataset?.columns.map((c) => c.name) ?? []);
    return names.map((name) => ({ name, ...(byName.has(name) ? { profile: byName.get(name)! } : {}) }));
  };
  const datasetIds = [...new Set([...doc.datasets.map((d) => d.id), ...Object.keys(doc.profiles)])];
  for (const id of datasetIds) {
    const marked = new Set(doc.personalColumns?.[id] ?? []);
    for (const { name, profile: column } of columnsOf(id)) {
      const kinds = (column?.pii ?? [])
        .filter((p) => p.share >= THRESHOLDS.piiShare || (SENSITIVE_KINDS.test(p.kind) && p.matches > 0))
        .map((p) => p.kind);
      const shaped = column ? personalByValues(column) : undefined;
      if (shaped) kinds.push(shaped);
      if (kinds.length > 0) note(name, 'detected', kinds);
      else if (marked.has(name)) note(name, 'marked', []);
      else if (personalByName(name, column?.family)) note(name, 'name', []);
    }
  }
  const out: PersonalColumn[] = [];
  for (const id of datasetIds)
    for (const { name } of columnsOf(id)) {
      const hit = found.get(name);
      if (hit && !notPersonal.has(name))
        out.push({ datasetId: id, column: name, reason: hit.reason, kinds: hit.kinds });
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
      work: 0,
    };
  }
  const walk = new RedactionWalk(doc, {
    personal: new Set(columns.map((c) => c.column)),
    strict: mode === 'strict',
  });
  const document = mergeMaskedValues(walk.run());
  const summary: RedactionSummary = {
    mode,
    columns,
    maskedValues: walk.maskedValues,
    removedExamples: walk.removedExamples,
  };
  document.redaction = { mode: recorded, maskedColumns: columns.length, maskedValues: walk.maskedValues };
  return { document, summary, work: walk.work };
}

const lineRedactors = new WeakMap<AuditDocument, RedactionWalk>();

/**
 * A line printed about an audit (the CLI's stderr), with the values of its
 * personal columns and anything shaped like an e-mail, phone, card or IBAN
 * masked as in the exported document. `none` returns the line as it is.
 */
export function redactLine(
  doc: AuditDocument | undefined,
  line: string,
  mode: RedactionMode = 'personal',
): string {
  if (mode === 'none') return line;
  if (!doc) return maskPatterns(line).text;
  let walk = lineRedactors.get(doc);
  if (!walk) {
    walk = new RedactionWalk(doc, {
      personal: new Set(personalColumns(doc).map((c) => c.column)),
      strict: mode === 'strict',
    });
    walk.run();
    lineRedactors.set(doc, walk);
  }
  return walk.scrubText(line);
}

/** What a redaction in this mode would mask, without keeping the redacted copy (for the export dialog). */
export function redactionSummary(doc: AuditDocument, mode: RedactionMode = 'personal'): RedactionSummary {
  return redactAudit(doc, mode).summary;
}

/**
 * The copy of an audit to export: redacted in the chosen mode (personal data
 * masked by default), and with no control or bidi character in any name or
 * text (`withoutControls`), whatever the mode: every export passes here.
 */
export function redactForExport(doc: AuditDocument, mode: RedactionMode = 'personal'): AuditDocument {
  return withoutControls(redactAudit(doc, mode).document);
}

/** The copy of an audit to save: personal values masked unless the user chose to keep them. */
export function redactForStorage(doc: AuditDocument): AuditDocument {
  return redactAudit(doc, doc.storePersonalValues ? 'none' : 'personal').document;
}

/**
 * After masking, many top values and spellings share one shape: merge them so
 * each list has one entry per shape (counts added).
 */
function mergeMaskedValues(doc: AuditDocument): AuditDocument {
  const profiles: Record<string, DatasetProfile> = {};
  for (const [id, profile] of Object.entries(doc.profiles))
    profiles[id] = {
      ...profile,
      columns: profile.columns.map((c) => ({
        ...c,
        topK: mergeByValue(c.topK),
        ...(c.text ? { text: { ...c.text, variants: mergeVariants(c.text.variants) } } : {}),
      })),
    };
  return { ...doc, profiles };
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
  for (const v of variants) {
    // Push in place: copying the list for every variant was quadratic once masking made them share a shape.
    const list = merged.get(v.canonical);
    if (list) list.push(...v.spellings);
    else merged.set(v.canonical, [...v.spellings]);
  }
  return [...merged.entries()].map(([canonical, spellings]) => ({
    canonical,
    spellings: mergeByValue(spellings),
  }));
}
