import { LoadError, quotedName } from '../errors';
import { MAX_NESTED_FIELDS, MAX_NESTING_DEPTH } from '../column-names';
import type { JsonArraySummary } from './types';

/** Records as the text DuckDB-WASM's JSON importer takes (an array), with what the loader learnt reading them. */
export interface JsonRecords {
  text: string;
  keyOrder: string[];
  warnings: string[];
  arrays?: JsonArraySummary[];
  array?: string;
}

/**
 * Whether a JSON value is too complex to keep as a nested column: objects or
 * arrays more than `MAX_NESTING_DEPTH` levels inside each other, or more than
 * `MAX_NESTED_FIELDS` distinct keys along its paths (array items share theirs).
 * Stops as soon as either limit is passed.
 */
function tooComplex(value: unknown): boolean {
  const paths = new Set<string>();
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [item, depth, path] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_NESTING_DEPTH) return true;
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth + 1, `${path}[]`]);
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      const childPath = `${path}.${key}`;
      paths.add(childPath);
      if (paths.size > MAX_NESTED_FIELDS) return true;
      stack.push([child, depth + 1, childPath]);
    }
  }
  return false;
}

/** Adds the record's keys whose values are too complex to keep nested. */
export function addDeepKeys(record: object, deep: Set<string>): void {
  for (const [key, value] of Object.entries(record))
    if (typeof value === 'object' && value !== null && !deep.has(key) && tooComplex(value)) deep.add(key);
}

/**
 * Values nested deeper than `MAX_NESTING_DEPTH`, or with more than
 * `MAX_NESTED_FIELDS` keys, are kept as their JSON text: DuckDB's JSON reader
 * slows to seconds and then crashes on deep nesting (1,000 levels take 20 s,
 * 3,000 exhaust its memory), takes 40 s over an object of 10,000 keys, and a
 * struct past about 62 levels cannot be read back from the table.
 */
export function withDeepValuesAsText(result: JsonRecords, records: object[]): JsonRecords {
  const deep = new Set<string>();
  for (const record of records) addDeepKeys(record, deep);
  if (deep.size === 0) return result;
  let text: string;
  try {
    text = JSON.stringify(
      records.map((record) => {
        const copy: Record<string, unknown> = { ...record };
        for (const key of deep)
          if (typeof copy[key] === 'object' && copy[key] !== null) copy[key] = JSON.stringify(copy[key]);
        return copy;
      }),
    );
  } catch (error) {
    // JSON.stringify recurses: a value tens of thousands of levels deep overflows the stack.
    if (!(error instanceof RangeError)) throw error;
    throw new LoadError(
      'unsupported-format',
      `Key${deep.size > 1 ? 's' : ''} ${[...deep].map((k) => quotedName(k, 60)).join(', ')} nest${deep.size > 1 ? '' : 's'} objects or arrays so deeply (thousands of levels) that they cannot be read. Flatten ${deep.size > 1 ? 'those values' : 'that value'} and load the file again.`,
    );
  }
  const names = [...deep].map((k) => quotedName(k, 60));
  return {
    ...result,
    text,
    warnings: [
      ...result.warnings,
      `${names.length > 1 ? 'Keys' : 'Key'} ${names.join(', ')} nest${names.length > 1 ? '' : 's'} objects or arrays more than ${MAX_NESTING_DEPTH} levels deep or with more than ${MAX_NESTED_FIELDS} keys; ${names.length > 1 ? 'their values are' : 'its values are'} kept as JSON text, one per row.`,
    ],
  };
}
