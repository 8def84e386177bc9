import * as parquetWasm from 'parquet-wasm/node';
import type { Decoders } from './decoders/types';
import { decodeParquet } from './decoders/parquet';
import { decodeXlsx } from './decoders/xlsx';

/** Decoders for Node: parquet-wasm's Node build initialises itself synchronously. Node decodes in-line, so a cancel takes effect after the decode. */
export const nodeDecoders: Decoders = {
  parquetToIPC: async (bytes) => decodeParquet(parquetWasm, bytes),
  xlsxToIPC: (bytes, sheet) => decodeXlsx(bytes, sheet),
};
