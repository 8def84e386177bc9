/**
 * Headless Sprint Zero: the same loaders, SQL and engine (DuckDB-WASM in Node)
 * as the browser. Writes the versioned audit document as JSON.
 *
 *   npm run audit -- data.csv [more files] [--out report.audit.json]
 *     [--target churned] [--id customer_id] [--time snapshot_date] [--outcome-time churn_date]
 *     [--source source_system] [--segment region]... [--as-of 2026-11-01] [--task binary]
 *     [--positive-class yes] [--name "Acme churn"]
 *
 * Exit codes: 0 Ready, 3 Ready with conditions, 4 Not ready, 1 error.
 */
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { runCli } from './lib/cli';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    target: { type: 'string' },
    id: { type: 'string' },
    time: { type: 'string' },
    'outcome-time': { type: 'string' },
    source: { type: 'string' },
    segment: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'as-of': { type: 'string' },
    task: { type: 'string' },
    'positive-class': { type: 'string' },
    'prediction-point': { type: 'string' },
    name: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length === 0) {
  console.log(
    'Usage: npm run audit -- <file> [<file>…] [--out report.audit.json] [--target col] [--id col] [--time col]\n' +
      '       [--outcome-time col] [--source col] [--segment col]… [--exclude col]… [--as-of YYYY-MM-DD]\n' +
      '       [--task binary|multiclass|regression] [--positive-class value] [--name text]\n' +
      'Exit codes: 0 Ready, 3 Ready with conditions, 4 Not ready, 1 error.',
  );
  process.exit(positionals.length === 0 && !values.help ? 1 : 0);
}

const result = await runCli(positionals, values, (line) => {
  if (!values.quiet) process.stderr.write(`${line}\n`);
});
if (result.document) {
  const json = `${JSON.stringify(result.document, null, 2)}\n`;
  if (values.out) await writeFile(values.out, json);
  else process.stdout.write(json);
}
process.exit(result.exitCode);
