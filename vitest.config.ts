import { defineConfig } from 'vitest/config';

// chDB embeds one ClickHouse engine per process and cannot be restarted inside it:
// files that start one run alone in a fresh forked process.
const clickhouseFiles = ['tests/**/*chdb*.test.ts', 'tests/**/*clickhouse*.test.ts'];

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
          name: 'duckdb',
          // unit/ is pure (tests/unit/core/pure.test.ts guards core); integration/ drives the real engine.
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: clickhouseFiles,
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
