import * as parquetWasm from 'parquet-wasm/node';
import type { Decoders } from './decoders/types';
import { decodeParquet, decodeParquetParts } from './decoders/parquet';
import { decodeXlsx } from './decoders/xlsx';

/**
 * Decoders for Node: parquet-wasm's Node build initialises itself synchronously.
 * Node decodes in-line, so a cancel takes effect after the current decode (for
 * Parquet read in parts, after the current part).
 */
export const nodeDecoders: Decoders = {
  parquetToIPC: async (bytes) => decodeParquet(parquetWasm, bytes),
  parquetParts: (file) => decodeParquetParts(parquetWasm, file),
  xlsxToIPC: (bytes, sheet) => decodeXlsx(bytes, sheet),
};
