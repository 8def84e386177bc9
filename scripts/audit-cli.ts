/**
 * Headless Sprint Zero: the same session, loaders, SQL and engine (DuckDB-WASM
 * in Node) as the browser. Writes the versioned audit document as JSON.
 *
 *   npm run audit -- data.csv [more files] [options]     (see --help)
 *
 * Exit codes: 0 Ready, 2 Not assessed, 3 Ready with conditions, 4 Not ready,
 * 5 drift (with --fail-on-drift), 1 error or bad usage, 130/143 stopped by
 * Ctrl-C or SIGTERM.
 */
import { main } from '../src/lib/cli';
import { cliErrorText } from '../src/lib/cli/errors';

// A failure outside `main` (a rejected promise nobody awaited) is one sentence too, never a stack trace.
const fail = (error: unknown): void => {
  process.stderr.write(`error: ${cliErrorText(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

process.exit(await main(process.argv.slice(2)));
