/**
 * Make header names usable as columns: empty names get a positional name and
 * repeated names get a numeric suffix. Each change is reported, because the
 * consultant must be able to map columns back to the client's file.
 */
export function uniqueColumnNames(raw: string[]): { names: string[]; warnings: string[] } {
  const seen = new Set<string>();
  const warnings: string[] = [];
  const names = raw.map((original, index) => {
    let name = original.trim();
    if (name === '') {
      name = `column_${index + 1}`;
      warnings.push(`Column ${index + 1} has no name; it is shown as “${name}”.`);
    }
    if (seen.has(name)) {
      let n = 2;
      while (seen.has(`${name}_${n}`)) n++;
      warnings.push(
        `Column name “${name}” appears more than once; the repeat at position ${index + 1} is shown as “${name}_${n}”.`,
      );
      name = `${name}_${n}`;
    }
    seen.add(name);
    return name;
  });
  return { names, warnings };
}

/**
 * The fields of the first record of delimited text, honouring quotes: a quoted
 * field may hold the delimiter, a doubled quote, or a line break, so the header
 * is not simply the first line. `complete` is false when the text ends inside
 * the first record (the caller then has too little of the file).
 */
export function headerFields(
  text: string,
  delimiter: string,
  quote = '"',
): { fields: string[]; complete: boolean } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === quote && text[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) quoted = false;
      else field += ch;
    } else if (ch === quote && field === '') quoted = true;
    else if (text.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length - 1;
    } else if (ch === '\n' || ch === '\r') {
      fields.push(field);
      return { fields, complete: true };
    } else field += ch;
  }
  fields.push(field);
  return { fields, complete: false };
}

/**
 * The longest column name kept as it is. Longer names (a header row that is
 * really a paragraph, a missing line break) are shortened at load time with a
 * warning: the audit document quotes a column name inside finding ids (at most
 * 500 characters with the check's name and the dataset id), the metric plan's
 * value column (at most 300) and its rule search (at most 1,000), so a longer
 * name would make the saved audit invalid. 255 is also the longest name most
 * databases and spreadsheets accept, so the file's own tools can match it.
 */
export const MAX_COLUMN_NAME_LENGTH = 255;

/**
 * The deepest a column may nest structures and lists inside each other before
 * it is kept as text. Real records nest a few levels (API payloads 3 to 6);
 * DuckDB's Arrow export fails at about 62 ("Recursion level in ArrowSchema
 * struct exceeded"), and its JSON reader takes 20 s for 1,000 levels and
 * crashes at 3,000.
 */
export const MAX_NESTING_DEPTH = 16;

/**
 * The most keys a JSON value may hold along its paths (`a.b`, `a.c[].d`) and
 * stay a nested column: DuckDB's JSON reader takes 40 s over an object of
 * 10,000 keys, and a type that wide cannot be read as one anyway.
 */
export const MAX_NESTED_FIELDS = 200;

/** The longest type text kept as a nested type; the audit document stores a type in at most 10,000 characters. */
export const MAX_TYPE_TEXT_LENGTH = 2000;

/**
 * Names for the columns whose names are too long: the first characters, an
 * ellipsis, and a number when two would otherwise be the same. DuckDB compares
 * names without regard to case, so uniqueness does too.
 */
export function shortenedColumnNames(
  names: readonly string[],
  max = MAX_COLUMN_NAME_LENGTH,
): Map<number, string> {
  const taken = new Set(names.filter((n) => [...n].length <= max).map((n) => n.toLowerCase()));
  const renamed = new Map<number, string>();
  names.forEach((name, index) => {
    const chars = [...name];
    if (chars.length <= max) return;
    const stem = chars.slice(0, max - 4).join('');
    let candidate = `${stem}…`;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}…_${n}`;
    taken.add(candidate.toLowerCase());
    renamed.set(index, candidate);
  });
  return renamed;
}

/**
 * How deeply a DuckDB type nests structures, maps and lists. An estimate read
 * from the type's text: the deepest `STRUCT(`/`MAP(`/`UNION(` parentheses plus
 * the longest run of `[]` suffixes. It never counts a flat type as nested and
 * at worst halves a depth that alternates lists and structures, which the
 * limit above leaves room for.
 */
export function typeNestingDepth(type: string): number {
  let depth = 0;
  let deepest = 0;
  let listRun = 0;
  let longestRun = 0;
  const opened: boolean[] = [];
  for (let i = 0; i < type.length; i++) {
    const ch = type[i];
    if (ch === '"') {
      // A quoted field name may hold any character.
      for (i++; i < type.length && !(type[i] === '"' && type[i + 1] !== '"'); i++) if (type[i] === '"') i++;
    } else if (ch === '(') {
      const nested = /(?:STRUCT|MAP|UNION)\s*$/i.test(type.slice(Math.max(0, i - 7), i));
      opened.push(nested);
      if (nested) deepest = Math.max(deepest, ++depth);
    } else if (ch === ')') {
      if (opened.pop()) depth--;
    } else if (ch === '[') {
      listRun++;
      longestRun = Math.max(longestRun, listRun);
      while (i < type.length && type[i] !== ']') i++;
      continue;
    }
    if (ch !== ']') listRun = 0;
  }
  return deepest + longestRun;
}
