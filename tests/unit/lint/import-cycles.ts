import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The part of madge's result we read. */
export interface ImportGraph {
  /** Each loop as the files on it, relative to the root. */
  circular(): string[][];
  /** Every file and the files it imports. */
  obj(): Record<string, string[]>;
}

type Precinct = ((source: string, options: object) => string[]) & {
  paperwork: (filename: string, options?: object) => string[];
};

const require = createRequire(import.meta.url);
const madge = require('madge') as (root: string, config: object) => Promise<ImportGraph>;

/** A component's `<script>` blocks (instance and module), where its imports are. */
const SCRIPT = /<script\b[^>]*>([\s\S]*?)<\/script>/g;

let readsSvelte = false;

/**
 * precinct, madge's import reader, has no Svelte detective: every component
 * would read as importing nothing, and a loop through one (a folder's index
 * re-exporting a component that imports the index) would go unseen. Its
 * script blocks are read as TypeScript instead.
 */
function readSvelteScripts(): void {
  if (readsSvelte) return;
  const fromTree = createRequire(createRequire(require.resolve('madge')).resolve('dependency-tree'));
  const precinct = fromTree('precinct') as Precinct;
  const paperwork = precinct.paperwork;
  precinct.paperwork = (filename, options = {}) => {
    if (!filename.endsWith('.svelte')) return paperwork(filename, options);
    const scripts = [...readFileSync(filename, 'utf8').matchAll(SCRIPT)].map((match) => match[1] ?? '');
    return scripts.flatMap((script) => precinct(script, { ...options, type: 'ts' }));
  };
  readsSvelte = true;
}

/** The import graph under `root`, with `.madgerc`'s settings (the ones `npx madge` reads). */
export async function importGraph(root = 'src'): Promise<ImportGraph> {
  readSvelteScripts();
  const config = JSON.parse(readFileSync('.madgerc', 'utf8')) as object;
  return madge(root, config);
}

// `npm run cycles`: print each loop, fail when there is one.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const loops = (await importGraph()).circular();
  for (const loop of loops) console.log(`${loop.join(' → ')} → ${loop[0]}`);
  console.log(
    loops.length === 0 ? 'No import loop under src/.' : `${loops.length} import loop(s) under src/.`,
  );
  process.exitCode = loops.length === 0 ? 0 : 1;
}
