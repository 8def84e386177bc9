/** A workbook sheet decoded to an Arrow IPC stream. */
export interface DecodedSheet {
  ipc: Uint8Array;
  sheet: string;
  sheets: string[];
  rowCount: number;
  warnings: string[];
}

/**
 * Parsers that run in JS/WASM rather than in DuckDB. The browser runs them in
 * a decode worker so the page never freezes; Node calls them directly.
 */
export interface Decoders {
  parquetToIPC(bytes: Uint8Array): Promise<Uint8Array>;
  xlsxToIPC(bytes: Uint8Array, sheet?: string): Promise<DecodedSheet>;
}
