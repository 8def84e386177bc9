import type { ParquetPart } from './parquet';

export type { ParquetPart };

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
  /**
   * A Parquet file decoded a few row groups at a time (see
   * `decodeParquetParts`), each part its own Arrow IPC stream. The next part is
   * decoded only as the consumer asks for it (the browser decodes one ahead,
   * while the last one is inserted); `signal` stops the decoding.
   */
  parquetParts(file: Blob, signal?: AbortSignal): AsyncIterable<ParquetPart>;
  xlsxToIPC(bytes: Uint8Array, sheet?: string, signal?: AbortSignal): Promise<DecodedSheet>;
}
