import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importGraph, type ImportGraph } from './import-cycles';

let src: ImportGraph;

beforeAll(async () => {
  src = await importGraph('src');
});

describe('import cycles (npm run cycles)', () => {
  it('follows the imports of Svelte components', () => {
    expect(src.obj()['App.svelte']).toContain('lib/ui/engine-session.ts');
  });

  it('finds a loop that passes through a component', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sz-cycles-'));
    try {
      writeFileSync(join(dir, 'index.ts'), "export { default as View } from './View.svelte';\n");
      writeFileSync(
        join(dir, 'View.svelte'),
        '<script lang="ts">\n  import { View } from \'./index\';\n</script>\n',
      );
      expect((await importGraph(dir)).circular()).toEqual([['View.svelte', 'index.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no import loop under src/', () => {
    expect(src.circular().map((loop) => loop.join(' → '))).toEqual([]);
  });
});
