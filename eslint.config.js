import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The layering (README, "Architecture"): data flows file → engine → core → session → store/ui/report.
// Each rule matches the file an import *resolves to* (folder index, `./../x`, `.svelte`, a package's
// entry), so no spelling of a path gets around it; dynamic `import()` and `require` are checked too.

/** A folder of src/lib, for zones. */
const lib = (name) => `src/lib/${name}`;
/**
 * Where a folder of node_modules really is: imports resolve to real paths, so a linked or
 * symlinked node_modules (npm link, a shared checkout) must not move the packages out of the zones.
 */
const modules = (name = '') =>
  realpathSync(fileURLToPath(new URL(`./node_modules/${name}`, import.meta.url)));
/** The packages that tie code to a platform, by where they resolve (Node builtins: `no-nodejs-modules`). */
const SVELTE = modules('svelte');
const DUCKDB = modules('@duckdb');
const DEXIE = modules('dexie');
/** The app shell, and the whole UI. */
const SHELL = ['src/App.svelte', 'src/main.ts'];
const UI = [...SHELL, lib('ui')];

/** A zone letting `target` import, under src/, only the folders of src/lib in `allowed`. */
function only(target, allowed, why) {
  return { target, from: 'src', except: allowed.map((name) => `./lib/${name}`), message: note(why) };
}

/** A zone forbidding `target` to import anything under `from`. */
function never(target, from, why) {
  return { target, from, message: note(why) };
}

function note(why) {
  return `Layering: ${why} (README, "Architecture").`;
}

const CORE = 'core is pure TypeScript: no other folder of src/lib, no Svelte, DuckDB, Dexie or Node';
const MODEL = 'core/model is the floor of core: it imports only itself and zod';
const ZONES = [
  only(lib('core'), ['core'], CORE),
  never(lib('core'), [SVELTE, DUCKDB, DEXIE], CORE),
  // Floors inside core: the audit model is the bottom, and SQL builders know no rule that reads them.
  only(lib('core/model'), ['core/model'], MODEL),
  { target: lib('core/model'), from: modules(), except: ['./zod'], message: note(MODEL) },
  never(
    lib('core/sql'),
    ['readiness', 'plan', 'drift', 'deliverable', 'charts'].map((name) => lib(`core/${name}`)),
    'core/sql builds queries and imports no rule, plan, drift, deliverable or chart',
  ),
  only(lib('engine'), ['core', 'engine'], 'engine is the DuckDB boundary and imports only core'),
  only(lib('store'), ['core', 'store'], 'store is the IndexedDB boundary and imports only core'),
  only(lib('report'), ['core', 'report'], 'report turns documents into files and imports only core'),
  never(lib('report'), [DUCKDB], 'report runs in any runtime: no DuckDB or Node'),
  never(
    lib('session'),
    [lib('store'), lib('ui'), lib('cli'), ...SHELL],
    'the session receives storage as a port and knows no UI',
  ),
  never(lib('session'), [SVELTE, DUCKDB, DEXIE], 'the session is headless: no Svelte, DuckDB, Dexie or Node'),
  never(lib('cli'), [lib('store'), lib('ui'), ...SHELL], 'the CLI drives the session'),
  never(UI, [lib('cli')], 'the UI never imports the CLI'),
];

/** Zones where `import type` is allowed: types cost nothing at run time. */
const VALUE_ZONES = [
  never(
    UI,
    [lib('engine'), DUCKDB, DEXIE],
    'the UI reaches the engine and the database only through the session and the store; ' +
      'ui/engine-session.ts is the one place that starts the browser engine',
  ),
];

/** `import type …` / `export type … from`: erased at build time. */
function isTypeOnly(node) {
  const parent = node.parent;
  return parent?.importKind === 'type' || parent?.exportKind === 'type';
}

/** import-x's `no-restricted-paths`, letting type-only imports through. */
const valueImportPaths = {
  ...importX.rules['no-restricted-paths'],
  create(context) {
    const report = (descriptor) => {
      if (!isTypeOnly(descriptor.node)) context.report(descriptor);
    };
    return importX.rules['no-restricted-paths'].create(Object.create(context, { report: { value: report } }));
  },
};

export default ts.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      'test-results/',
      'playwright-report/',
      'tmp/',
      'bench/out/',
      'dev-dist/',
      '**/.probe*',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Data from client files must never be rendered as HTML.
      'svelte/no-at-html-tags': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/**/*.{ts,svelte}'],
    plugins: { 'import-x': importX, layering: { rules: { 'value-import-paths': valueImportPaths } } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // An import the resolver cannot follow would escape every zone.
      'import-x/no-unresolved': 'error',
      'import-x/no-restricted-paths': ['error', { zones: ZONES }],
      'layering/value-import-paths': ['error', { zones: VALUE_ZONES }],
    },
  },
  {
    files: ['src/lib/ui/engine-session.ts'],
    rules: { 'layering/value-import-paths': 'off' },
  },
  {
    files: [`${lib('core')}/**`, `${lib('session')}/**`, `${lib('report')}/**`],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
);
