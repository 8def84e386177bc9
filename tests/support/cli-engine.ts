import type { CliEngineDeps } from '../../src/lib/cli/engine';
import { engine } from './node-engine';

/**
 * The engine for a test file's in-process CLI runs: each run gets a new, empty database of the
 * worker's started DuckDB-WASM engine (tests/support/node-engine.ts), as on a freshly started one,
 * without the ~2 s of CPU a start costs; the run's close() hands it back. Tests that need a real
 * process (exit codes through npm, signals, stdout) still spawn the CLI.
 */
export function sharedCliEngine(): CliEngineDeps {
  return { wasm: engine };
}
