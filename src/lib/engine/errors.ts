import { spelledOutHidden } from '../core/redact/controls';

/** Why a file could not be loaded. Each code maps to one clear message for the user. */
export type LoadErrorCode =
  | 'empty-file'
  | 'header-only'
  | 'no-columns'
  | 'binary-not-text'
  | 'wrong-format'
  | 'unsupported-format'
  | 'malformed-csv'
  | 'line-too-long'
  | 'invalid-encoding'
  | 'malformed-parquet'
  | 'malformed-json'
  | 'malformed-arrow'
  | 'malformed-xlsx'
  | 'sheet-not-found'
  | 'too-large'
  | 'too-many-columns'
  | 'cancelled'
  | 'engine';

/** A load failure with a message written for the consultant, not the developer. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * A file or column name as a message quotes it: between curly quotes, with
 * every hidden or direction-changing character spelled out (`[U+202E]`), and
 * cut to `max` characters so a hostile name cannot flood the message.
 */
export function quotedName(name: string, max = 120): string {
  const visible = spelledOutHidden(name);
  const chars = [...visible];
  return `“${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : visible}”`;
}

/** The text of any thrown value, for wrapping engine and library errors. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** DuckDB-WASM and the JS readers signal memory exhaustion in several ways. */
export function isOutOfMemory(error: unknown): boolean {
  const text = errorText(error);
  return (
    error instanceof RangeError ||
    /out of memory|failed to allocate|Array buffer allocation failed|memory access out of bounds|Cannot enlarge memory|could not allocate/i.test(
      text,
    )
  );
}

/**
 * The widest table Sprint Zero loads. Past a few thousand columns DuckDB-WASM
 * runs out of memory while loading or profiling (100,000 columns × 3 rows took
 * 17 s to fail), and a profile that wide cannot be read anyway.
 */
export const MAX_COLUMNS = 2000;

/** The refusal for a file wider than `MAX_COLUMNS`. */
export function tooManyColumns(subject: string, columns: number, atLeast = false): LoadError {
  return new LoadError(
    'too-many-columns',
    `${subject} has ${atLeast ? 'at least ' : ''}${columns.toLocaleString('en-US')} columns; Sprint Zero audits at most ${MAX_COLUMNS.toLocaleString('en-US')}. Select the columns that matter (or split the file) and load it again.`,
  );
}

/**
 * Engine and library messages rewritten for a person: DuckDB-WASM sometimes
 * throws its exception as JSON (`{"exception_type":"Invalid Input",…}`); keep
 * only the sentence inside, drop the error-class prefix and anything after
 * the first line, and cap the length. The raw text stays in `LoadError.detail`.
 */
export function plainEngineMessage(error: unknown): string {
  let text = errorText(error).trim();
  const json = /^\{\s*"exception_type"/.test(text) ? parseJsonObject(text) : undefined;
  if (json) {
    const message = typeof json.exception_message === 'string' ? json.exception_message : '';
    text = message || String(json.exception_type ?? 'unknown error');
  }
  text = text
    .replace(/^(?:[A-Z][A-Za-z ]*(?:Error|Exception)\s*:\s*)+/, '')
    .split('\n')[0]!
    .trim();
  if (/^\{|"exception_type"|\bat \w+ \(|wasm-function|0x[0-9a-f]{6,}/i.test(text))
    return 'the data engine reported an internal error';
  return text.length > 200
    ? `${text.slice(0, 197)}…`
    : text || 'the data engine reported an error without a message';
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
