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
