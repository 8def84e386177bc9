import type { Connector, DataSource } from '../connector';
import type { Decoders, SheetSummary } from '../decoders/types';
import type { DataFormat } from '../sniff';

/** Options the consultant can set when the CSV sniffer guesses wrong. */
export interface CsvOptions {
  delimiter?: string;
  header?: boolean;
  encoding?: 'utf-8' | 'latin-1' | 'utf-16';
  quote?: string;
}

export interface LoadOptions {
  csv?: CsvOptions;
  /** Excel sheet to load; the largest one (most data cells) by default. */
  sheet?: string;
  /**
   * For a JSON object holding several arrays of records (`{"nodes": […], "links": […]}`),
   * the key of the array to load; the largest array by default.
   */
  jsonArray?: string;
  /** DuckDB table name; generated from the file name when absent. */
  tableName?: string;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** Size of the parts a large CSV loads in (`CSV_PART_BYTES` by default); tests set it small. */
  csvPartBytes?: number;
}

export interface LoadProgress {
  stage: 'reading' | 'decoding' | 'loading' | 'finishing';
  /** 0–1 when known. */
  fraction?: number;
  /** Rows in the table so far, and in the whole file, for files loaded in parts (Parquet by row group). */
  rows?: { done: number; total: number };
  /** A CSV loaded in parts: the file's bytes loaded and committed so far, and in all. */
  bytes?: { done: number; total: number };
  /** A Parquet file's row groups loaded so far, and in all. */
  rowGroups?: { done: number; total: number };
  /** How long the checkpoint after the load took, once it ran (`checkpoint` in load-dataset). */
  checkpointMs?: number;
}

export interface ColumnSchema {
  name: string;
  type: string;
}

/** What the engine holds after a load, and how it got there. */
export interface LoadedDataset {
  tableName: string;
  fileName: string;
  format: DataFormat;
  sizeBytes: number;
  lastModified: number;
  rowCount: number;
  columns: ColumnSchema[];
  warnings: string[];
  /** Hex SHA-256 of the file's bytes; absent when it could not be computed without holding the file twice (`fileSha256`). */
  sha256?: string;
  /** The CSV dialect DuckDB used, for display and overriding. */
  csvDialect?: { delimiter: string; quote: string; header: boolean; encoding: string };
  sheets?: string[];
  sheet?: string;
  /** Every sheet of a workbook with its data rows and header width, for the sheet picker. */
  sheetSummaries?: SheetSummary[];
  /** Arrays of records found in a JSON object, with their lengths, for the array picker. */
  jsonArrays?: JsonArraySummary[];
  /** The key of the JSON array that was loaded. */
  jsonArray?: string;
  loadMs: number;
  /** Of `loadMs`, the checkpoint that compressed the table; absent when DuckDB put it off. */
  checkpointMs?: number;
}

/** One array of records inside a JSON object. */
export interface JsonArraySummary {
  name: string;
  rows: number;
}

/** What a format's loader adds to the loaded dataset beyond its table. */
export type FormatExtras = Partial<
  Pick<LoadedDataset, 'csvDialect' | 'sheets' | 'sheet' | 'sheetSummaries' | 'jsonArrays' | 'jsonArray'>
>;

/** One load in progress, as the front door hands it to a format's loader. */
export interface LoadContext {
  conn: Connector;
  decoders: Decoders;
  source: DataSource;
  /** The table to create. */
  tableName: string;
  /** The name SQL reads a registered copy of the file (or of its rewritten text) by. */
  virtualName: string;
  options: LoadOptions;
  /** The file's first 64 KB. */
  head: Uint8Array;
  report: (progress: LoadProgress) => void;
  throwIfCancelled: () => void;
  /** The whole file, reported as the `reading` stage. */
  readBytes: () => Promise<Uint8Array>;
  /** Register the source (or `bytes`) under `virtualName`; the front door unregisters it whatever happens. */
  register: (bytes?: Uint8Array) => Promise<void>;
  /** Warnings for the user, in the order they arise. */
  warnings: string[];
}

/** CSV reading options, plus what the loader works out itself. */
export interface CsvReadOptions extends CsvOptions {
  /** The line break that ends a record, when the sniffer cannot tell. */
  newLine?: '\n' | '\r\n' | '\r';
}

/** Creates the table from the registered file with these options; `lenient` pads and skips bad rows. */
export type CsvAttempt = (opts: CsvReadOptions, lenient: boolean) => Promise<void>;
