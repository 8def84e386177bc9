import type { AuditDocument } from '../model/audit';

/* eslint-disable no-control-regex -- stripping control characters is the point of this module */
/** A terminal escape sequence: CSI (`ESC [ … m`), OSC (`ESC ] … BEL`) or a two-character escape. */
const ANSI_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
/**
 * C0 and C1 controls, DEL, and the invisible marks that reorder text: the bidi
 * embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the
 * left-to-right and right-to-left marks and the Arabic letter mark. A name
 * holding U+202E shows `exe.txt` as `txt.exe`.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, except tab and newline, which free text (notes, SQL) may hold. */
const CONTROL_IN_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ANY_NAME_CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Everything that hides text or reverses its direction when a name is shown:
 * the controls and bidi marks above plus zero-width characters, word joiners
 * and the BOM. Messages spell these out rather than drop them, so the user can
 * find the file: `invoice\u202Ecod.csv` reads as "invoicevsc.doc" on screen.
 */
const HIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The text with every hidden or direction-changing character spelled out as `[U+202E]`. */
export function spelledOutHidden(text: string): string {
  return text.replace(
    HIDDEN,
    (ch) => `[U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

/**
 * A name safe to print or export: escape sequences and every control and
 * bidi character removed, newlines and tabs too. File and column names come
 * from client data; a name must not move the cursor, recolour a terminal,
 * fake an extra line or reverse the text around it. The CLI prints every line
 * through it, and every export writes names through it (`withoutControls`).
 */
export function printable(text: string): string {
  return text.replace(ANSI_ESCAPE, '').replace(CONTROL, '');
}

/** Free text (a note, SQL) with the same characters removed, except tabs and newlines. */
export function printableText(text: string): string {
  return text.replace(ANSI_ESCAPE, '').replace(CONTROL_IN_TEXT, '');
}

/**
 * The audit document with no control or bidi character left in any string
 * or key, for every export. Names (column names, dataset ids, file names, the
 * audit's name) are cleaned as `printable`, wherever they appear, including
 * inside titles and SQL; other text keeps its tabs and newlines. Returns the
 * same document when there is nothing to remove.
 */
export function withoutControls(doc: AuditDocument): AuditDocument {
  const names = new Set<string>([doc.name]);
  for (const d of doc.datasets) {
    names.add(d.id).add(d.fileName);
    for (const c of d.columns) names.add(c.name);
  }
  for (const [id, p] of Object.entries(doc.profiles)) {
    names.add(id);
    for (const c of p.columns) names.add(c.name);
  }
  // Longest first, so a name that contains another is replaced whole.
  const dirty = [...names].filter((n) => ANY_NAME_CONTROL.test(n)).sort((a, b) => b.length - a.length);
  const clean = (text: string): string => {
    if (!ANY_NAME_CONTROL.test(text)) return text;
    let out = text;
    for (const name of dirty) if (out.includes(name)) out = out.replaceAll(name, printable(name));
    return printableText(out);
  };
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return clean(node);
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      let changed = false;
      const out = node.map((v) => {
        const next = visit(v);
        if (next !== v) changed = true;
        return next;
      });
      return changed ? out : node;
    }
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const key = ANY_NAME_CONTROL.test(k) ? printable(k) : k;
      // An own `__proto__` key (JSON.parse makes one) would set the copy's prototype: dropped, as on import.
      if (key === '__proto__') {
        changed = true;
        continue;
      }
      const next = visit(v);
      if (key !== k || next !== v) changed = true;
      out[key] = next;
    }
    return changed ? out : node;
  };
  return visit(doc) as AuditDocument;
}
