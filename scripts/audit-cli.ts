/**
 * Headless Sprint Zero: the same session, loaders, SQL and engine (DuckDB-WASM
 * in Node) as the browser. Writes the versioned audit document as JSON.
 *
 *   npm run audit -- data.csv [more files] [options]     (see --help)
 *
 * Exit codes: 0 Ready, 3 Ready with conditions, 4 Not ready, 1 error or bad usage.
 */
import { main } from '../src/lib/cli';

process.exit(await main(process.argv.slice(2)));
