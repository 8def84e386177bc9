import { createNodeConnector } from '../../src/lib/engine/node-connector';
import type { Connector } from '../../src/lib/engine/connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource, bytesSource } from '../../src/lib/engine/node-source';
import { loadDataset, type LoadOptions, type LoadedDataset } from '../../src/lib/engine/load-dataset';

export { FIXTURES, ROOT, VEGA } from './paths';

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
