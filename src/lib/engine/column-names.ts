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
