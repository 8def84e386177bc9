/**
 * Redaction's growth (issue 18 §3): an audit whose personal `customer_name`
 * column holds N distinct names, each also quoted in a finding's title, note
 * and SQL (the shape that froze the tab: 40k values took 99 s when the pass was
 * quadratic). For N = 2k, 10k and 40k it prints the redactor's work units
 * (characters and matcher steps, counted by the walk), the fastest wall time of
 * `--runs` runs, and each step's growth against the growth in N. Linear growth
 * shows as ratios near 1; a quadratic pass would show ratios near 5 and 4.
 * Figures are printed; nothing passes or fails (the counted test is
 * `tests/unit/core/redact/linear.test.ts`).
 *
 *   npx tsx bench/redaction.ts [--runs R]
 */
import { performance } from 'node:perf_hooks';
import { redactAudit } from '../src/lib/core/redact';
import { auditWithValues } from '../tests/unit/core/redact/pii-audit';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = Math.max(1, runsAt >= 0 ? Number(argv[runsAt + 1]) : 3);
const SIZES = [2_000, 10_000, 40_000];

interface Row {
  values: number;
  bytes: number;
  work: number;
  ms: number;
}

// Warm the JIT, so the smallest size is not charged for compilation.
redactAudit(auditWithValues(1_000), 'personal');

const rows: Row[] = [];
for (const values of SIZES) {
  const doc = auditWithValues(values);
  const bytes = JSON.stringify(doc).length;
  let best = Infinity;
  let work = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = redactAudit(doc, 'personal');
    best = Math.min(best, performance.now() - started);
    work = result.work;
    if (JSON.stringify(result.document).includes('Person000001 Example'))
      throw new Error('a name was left unmasked');
  }
  rows.push({ values, bytes, work, ms: best });
}

const pad = (text: string, width: number): string => text.padStart(width);
console.log(`Redaction of N personal values (fastest of ${RUNS} runs)\n`);
console.log(
  `${pad('values', 8)} ${pad('JSON MB', 8)} ${pad('work units', 12)} ${pad('ms', 8)} ${pad('work growth / N growth', 24)} ${pad('time growth / N growth', 24)}`,
);
rows.forEach((row, i) => {
  const prev = rows[i - 1];
  const growth = (a: number, b: number): string =>
    prev ? (a / b / (row.values / prev.values)).toFixed(2) : '—';
  console.log(
    `${pad(row.values.toLocaleString('en-GB'), 8)} ${pad((row.bytes / 1e6).toFixed(1), 8)} ${pad(row.work.toLocaleString('en-GB'), 12)} ${pad(row.ms.toFixed(0), 8)} ${pad(prev ? growth(row.work, prev.work) : '—', 24)} ${pad(prev ? growth(row.ms, prev.ms) : '—', 24)}`,
  );
});
console.log('\nLinear growth: both ratios near 1. A quadratic pass gives about 5 (2k→10k) and 4 (10k→40k).');
