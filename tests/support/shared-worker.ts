import { createHash } from 'node:crypto';
import { afterAll } from 'vitest';
import { DUCKDB, useDialect } from '../../src/lib/core/sql/dialect';
import { releaseEngines } from './node-engine';

/**
 * Set-up of every file of the `duckdb` project, whose files share their worker's process and
 * module cache (vitest.config.ts). Each file gets its engines on new, empty databases of the
 * worker's started ones (tests/support/node-engine.ts); this keeps what a file changes in the
 * process from reaching the next one, and compiles DuckDB's wasm once per worker.
 */

// An in-process CLI run on ClickHouse switches the active dialect (src/lib/cli/engine.ts):
// the next file must build DuckDB SQL again.
afterAll(() => useDialect(DUCKDB));

// The engines a file left open are emptied for the next file (tests/support/node-engine.ts).
afterAll(releaseEngines);

type Instantiate = typeof WebAssembly.instantiate;
const CACHE = Symbol.for('sprint-zero.wasm-module-cache');
const scope = globalThis as typeof globalThis & { [CACHE]?: Map<string, Promise<WebAssembly.Module>> };

// duckdb-wasm's Node bundle reads and compiles its 34 MB wasm on every instantiate (~1 s of CPU).
// A compiled module instantiates any number of independent engines, so compile each binary once.
if (!scope[CACHE]) {
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  scope[CACHE] = modules;
  const instantiate: Instantiate = WebAssembly.instantiate.bind(WebAssembly);
  const cached = async (
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ): Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource> => {
    if (source instanceof WebAssembly.Module) return instantiate(source, imports);
    const bytes = ArrayBuffer.isView(source)
      ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source);
    const key = createHash('sha1').update(bytes).digest('hex');
    let module = modules.get(key);
    if (!module) {
      module = WebAssembly.compile(bytes);
      modules.set(key, module);
      module.catch(() => modules.delete(key));
    }
    const compiled = await module;
    return { module: compiled, instance: await instantiate(compiled, imports) };
  };
  WebAssembly.instantiate = cached as Instantiate;
}
