import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** Packages that tie code to a platform: the DOM framework, the database engines, IndexedDB, Node. */
const PLATFORM = ['svelte', 'svelte/*', '@duckdb/*', 'dexie', 'node:*'];

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
  // The layering (README, "Architecture"): data flows file → engine → core → session → store/ui/report.
  ...layer('src/lib/core/**', 'core is pure TypeScript', [
    ...folders('engine', 'store', 'report', 'session', 'ui', 'cli'),
    ...PLATFORM,
  ]),
  ...layer(
    'src/lib/engine/**',
    'engine is the DuckDB boundary',
    folders('store', 'report', 'session', 'ui', 'cli'),
  ),
  ...layer(
    'src/lib/store/**',
    'store is the IndexedDB boundary',
    folders('engine', 'report', 'session', 'ui', 'cli'),
  ),
  ...layer(
    'src/lib/report/**',
    'report turns documents into files',
    folders('engine', 'store', 'session', 'ui', 'cli'),
  ),
  ...layer('src/lib/session/**', 'the session receives storage as a port and knows no UI', [
    ...folders('store', 'ui', 'cli'),
    'svelte',
    'svelte/*',
    'dexie',
  ]),
  ...layer('src/lib/cli/**', 'the CLI drives the session', folders('store', 'ui')),
  ...layer(
    'src/{App.svelte,lib/ui/**}',
    'the UI reaches the engine only through the session',
    folders('cli'),
    {
      typesOnly: folders('engine'),
      except: ['src/lib/ui/engine-session.ts'],
    },
  ),
);

/** Import patterns for sibling folders of src/lib, however deep the importing file is. */
function folders(...names) {
  return names.flatMap((name) => [
    `**/lib/${name}`,
    `**/lib/${name}/**`,
    `../${name}`,
    `../${name}/**`,
    `../../${name}/**`,
    `../../../${name}/**`,
    `./${name}/**`,
  ]);
}

/**
 * One folder's import rule: `forbidden` may not be imported at all, `typesOnly`
 * only with `import type`. Files in `except` are the folder's composition root.
 */
function layer(files, why, forbidden, { typesOnly = [], except = [] } = {}) {
  const message = `Layering: ${why} (README, "Architecture").`;
  const patterns = [
    ...(forbidden.length > 0 ? [{ group: forbidden, message }] : []),
    ...(typesOnly.length > 0 ? [{ group: typesOnly, message, allowTypeImports: true }] : []),
  ];
  return [
    {
      files: [files.endsWith('**') ? `${files}/*.{ts,svelte}` : files],
      ignores: except,
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    },
  ];
}
