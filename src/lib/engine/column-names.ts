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
