/** One sheet of a workbook, sized so the user can tell a notes sheet from the data. */
export interface SheetSummary {
  name: string;
  /** Data rows, below the header row. */
  rows: number;
  /** Cells in the header row, up to its last non-empty one. */
  columns: number;
}

/** A workbook sheet decoded to an Arrow IPC stream. */
export interface DecodedSheet {
  ipc: Uint8Array;
  sheet: string;
  sheets: string[];
  /** Every sheet with its size, in workbook order. */
  sheetSummaries: SheetSummary[];
  rowCount: number;
  warnings: string[];
}

/**
 * Parsers that run in JS/WASM rather than in DuckDB. The browser runs them in
 * a decode worker so the page never freezes, and `signal` terminates that
 * worker; Node calls them directly.
 */
export interface Decoders {
  parquetToIPC(bytes: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  xlsxToIPC(bytes: Uint8Array, sheet?: string, signal?: AbortSignal): Promise<DecodedSheet>;
}
