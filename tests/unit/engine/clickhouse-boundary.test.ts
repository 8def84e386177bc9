import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importGraph } from '../lint/import-cycles';

/** The ClickHouse engines' own files: Node only, never in the browser bundle. */
const NODE_ONLY = [
  'lib/engine/chdb-connector.ts',
  'lib/engine/clickhouse-connector.ts',
  'lib/engine/clickhouse-errors.ts',
  'lib/engine/clickhouse-rows.ts',
];

/** An import of either package, static or dynamic. */
const PACKAGE_IMPORT = /(?:from\s+|import\s*\(\s*)['"](?:chdb|@clickhouse\/client)(?:\/[^'"]*)?['"]/;

let graph: Record<string, string[]>;
beforeAll(async () => {
  graph = (await importGraph('src')).obj();
});

/** Every file reachable from `entry` through static and dynamic imports (madge follows both). */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph[file] ?? []));
  }
  return seen;
}

describe('the browser bundle and the ClickHouse engines', () => {
  it('the CLI reaches both connectors (so the graph sees its dynamic imports)', () => {
    const fromCli = reachable('lib/cli/engine.ts');
    expect(NODE_ONLY.filter((f) => fromCli.has(f))).toEqual(NODE_ONLY);
  });

  it('nothing the app imports reaches a ClickHouse connector or the CLI', () => {
    const fromApp = [...reachable('main.ts')];
    expect(fromApp.length).toBeGreaterThan(50);
    expect(fromApp.filter((f) => NODE_ONLY.includes(f) || f.startsWith('lib/cli/'))).toEqual([]);
  });

  it('no file the app imports names chdb or @clickhouse/client', () => {
    const naming = [...reachable('main.ts')].filter((f) =>
      PACKAGE_IMPORT.test(readFileSync(join('src', f), 'utf8')),
    );
    expect(naming).toEqual([]);
    // The pattern itself finds the connectors' imports.
    expect(NODE_ONLY.filter((f) => PACKAGE_IMPORT.test(readFileSync(join('src', f), 'utf8')))).toEqual([
      'lib/engine/chdb-connector.ts',
      'lib/engine/clickhouse-connector.ts',
    ]);
  });
});
