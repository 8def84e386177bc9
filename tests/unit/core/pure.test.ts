import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../support/paths';

/**
 * tests/unit/core mirrors src/lib/core, which is pure: its tests run without
 * an engine. A test that needs DuckDB (a connector, a loaded file, a session,
 * the CLI) belongs under tests/integration/core, at the same sub-path.
 */
const CORE_TESTS = join(ROOT, 'tests/unit/core');

/** Modules that start, load into or drive an engine, by import specifier. */
const ENGINE_IMPORTS = [
  /^@duckdb\//,
  /\/support\/(engine|demo|sprint0-demo)$/,
  /\/src\/lib\/(engine|session|cli|store)(\/|$)/,
  /\/scripts\/lib\/(corpus|synthetic-sql)$/,
];

/** Value imports only: `import type` of a connector costs nothing at run time. */
const IMPORT = /^\s*import\s+(?!type\s)[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function engineImports(text: string): string[] {
  return [...text.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? '')
    .filter((specifier) => ENGINE_IMPORTS.some((pattern) => pattern.test(specifier)));
}

describe('tests/unit/core is pure', () => {
  it('recognises an engine import however the line is written', () => {
    expect(engineImports("import { engine } from '../../../support/engine';")).toEqual([
      '../../../support/engine',
    ]);
    expect(
      engineImports("import {\n  profileDataset,\n} from '../../../../src/lib/session/profile';"),
    ).toHaveLength(1);
    expect(
      engineImports("const m = await import('../../../../src/lib/engine/node-connector');"),
    ).toHaveLength(1);
    expect(engineImports("import * as duckdb from '@duckdb/duckdb-wasm';")).toHaveLength(1);
    expect(engineImports("import type { Connector } from '../../../../src/lib/engine/connector';")).toEqual(
      [],
    );
    expect(engineImports("import { ROOT } from '../../../support/paths';")).toEqual([]);
  });

  it('no file under tests/unit/core imports an engine, a session or the CLI', () => {
    // This file quotes engine imports as examples above.
    const self = fileURLToPath(import.meta.url);
    const files = filesUnder(CORE_TESTS).filter((f) => f.endsWith('.ts') && f !== self);
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) =>
      engineImports(readFileSync(file, 'utf8')).map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
    );
    expect(found).toEqual([]);
  });
});
