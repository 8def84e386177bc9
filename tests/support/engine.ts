import { createNodeConnector } from '../../src/lib/engine/node-connector';
import type { Connector } from '../../src/lib/engine/connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource, bytesSource } from '../../src/lib/engine/node-source';
import { loadDataset, type LoadOptions, type LoadedDataset } from '../../src/lib/engine/load-dataset';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VEGA = join(ROOT, 'node_modules/vega-datasets/data');
export const FIXTURES = join(ROOT, 'tests/fixtures');

/** One real DuckDB-WASM engine per test file. */
export async function engine(): Promise<Connector> {
  return createNodeConnector();
}

/** Load a file from disk through the production loader. */
export async function loadFile(
  conn: Connector,
  path: string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  return loadDataset(conn, nodeDecoders, await fileSource(path), options);
}

/** Load in-memory content through the production loader. */
export async function loadBytes(
  conn: Connector,
  name: string,
  content: Uint8Array | string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  return loadDataset(conn, nodeDecoders, bytesSource(name, content), options);
}
