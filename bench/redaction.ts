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
import type { AuditDocument, Finding } from '../src/lib/core/audit/schema';
import { redactAudit } from '../src/lib/core/redact';
import { auditWithEmail } from '../tests/unit/core/redact/pii-audit';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = Math.max(1, runsAt >= 0 ? Number(argv[runsAt + 1]) : 3);
const SIZES = [2_000, 10_000, 40_000];

function auditWithNames(n: number): AuditDocument {
  const audit = auditWithEmail(`bench-${n}`);
  const names = Array.from({ length: n }, (_, i) => `Person${String(i).padStart(6, '0')} Example`);
  const column = audit.profiles.d1!.columns[0]!;
  column.name = 'customer_name';
  audit.datasets[0]!.columns[0]!.name = 'customer_name';
  column.pii = [];
  column.topK = names.map((value) => ({ value, count: 1 }));
  const findings: Finding[] = names.map((value, i) => ({
    id: `check-${i}:d1:x`,
    check: 'quality-example',
    area: 'quality',
    severity: 'minor',
    title: `Value ${value} looks odd`,
    datasetId: 'd1',
    columns: ['customer_name'],
    evidence: { note: `seen ${value} twice` },
    sql: `SELECT * FROM t WHERE "customer_name" = '${value}'`,
    recommendation: 'Check it.',
  }));
  return { ...audit, findings };
}

interface Row {
  values: number;
  bytes: number;
  work: number;
  ms: number;
}

// Warm the JIT, so the smallest size is not charged for compilation.
redactAudit(auditWithNames(1_000), 'personal');

const rows: Row[] = [];
for (const values of SIZES) {
  const doc = auditWithNames(values);
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
