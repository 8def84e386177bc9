import { defineConfig } from 'vitest/config';

// chDB embeds one ClickHouse engine per process and cannot be restarted inside it:
// files that start one run alone in a fresh forked process.
const clickhouseFiles = ['tests/**/*chdb*.test.ts', 'tests/**/*clickhouse*.test.ts'];
// Core's tests start no engine (tests/unit/core/pure.test.ts guards core's imports): they share their
// workers' module cache instead of importing everything again per file (~70% less CPU for them).
// A file here that changes module state (the active dialect) must put it back after itself.
const pureFiles = ['tests/unit/core/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each worker instantiates its own DuckDB-WASM engine (~300 MB); two at a time fits a 2-core CI box.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: pureFiles,
          exclude: clickhouseFiles,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'duckdb',
          // unit/ mirrors src/lib; integration/ drives the real engine through whole analyses.
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: [...clickhouseFiles, ...pureFiles],
          // A worker runs its files one after another in one process: the app's modules are imported,
          // DuckDB's wasm compiled and its engines started once per worker, and each file's engine is
          // a new, empty database on one of them (tests/support/node-engine.ts).
          // tests/support/shared-worker.ts resets what a file may leave behind.
          isolate: false,
          setupFiles: ['tests/support/shared-worker.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'clickhouse',
          include: clickhouseFiles,
          pool: 'forks',
          isolate: true,
        },
      },
    ],
  },
});
