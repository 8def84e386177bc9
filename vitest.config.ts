import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit/ is pure (tests/unit/core/pure.test.ts guards core); integration/ drives the real engine.
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each worker instantiates its own DuckDB-WASM engine (~300 MB); two at a time fits a 2-core CI box.
    maxWorkers: 2,
  },
});
