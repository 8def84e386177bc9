/**
 * Writes the demo dataset and its answer key:
 *   public/demo/customer-churn.csv          (all defects on, seed 42, 12,000 rows, asOf 2026-11-01)
 *   public/demo/customer-churn.planted.json (exact counts of every planted problem)
 *   public/demo/customer-churn-2027-02.csv  (a later extract with planted drift: scripts/lib/drift-extract.ts)
 *   public/demo/customer-churn-2027-02.planted.json
 * Usage: npm run demo
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateChurnDataset } from './lib/synthetic.ts';
import { generateLaterExtract } from './lib/drift-extract.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'demo');

const { csv, planted } = generateChurnDataset({ seed: 42, rows: 12_000, asOf: '2026-11-01' });

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'customer-churn.csv'), csv, 'utf8');
writeFileSync(join(outDir, 'customer-churn.planted.json'), JSON.stringify(planted, null, 2) + '\n', 'utf8');

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const kv = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([k, v]) => `${JSON.stringify(k)}×${v}`)
    .join(', ');

console.log(
  `customer-churn.csv: ${planted.rows} rows × ${planted.columns.length} columns, ${(csv.length / 1e6).toFixed(2)} MB`,
);
console.log(`  churn rate ${pct(planted.churnRate)}; by source:`);
for (const [source, s] of Object.entries(planted.churnRateBySource))
  console.log(`    ${source.padEnd(15)} ${String(s.rows).padStart(5)} rows  ${pct(s.rate)}`);
console.log('  planted:');
const lines: [string, string][] = [
  [
    'conflicting labels',
    `${planted.conflictingLabels.groups} pairs (${planted.conflictingLabels.rows} rows)`,
  ],
  ['duplicate rows', `${planted.duplicateRows.extraRows} extra copies`],
  ['leaking column', `cancellation_reason filled on ${planted.leakingColumn.filledRows} rows, all churners`],
  ['future snapshot_date', `${planted.futureDates.rows} rows (latest ${planted.futureDates.latest})`],
  ['sentinel signup_date', kv(planted.sentinelDates.counts)],
  ['gap month', String(planted.gapMonth)],
  [
    'staleness',
    `newest ${planted.snapshotRange.max}, ${planted.snapshotRange.monthsBeforeAsOf} months before ${planted.asOf}`,
  ],
  [
    'source label shift',
    `${planted.sourceLabelShift.source}: ${pct(planted.sourceLabelShift.sourceRate)} vs ${pct(planted.sourceLabelShift.otherRate)}`,
  ],
  ['source spellings', `${planted.sourceSpellings.source} (${planted.sourceSpellings.rows} rows)`],
  ['label variants', kv(planted.labelVariants.counts)],
  ['missing-like tokens', `payment_method ${kv(planted.missingLikeTokens.counts)}`],
  ['numeric sentinels', `monthly_fee ${kv(planted.numericSentinels.counts)}`],
  ['unit scale (cents)', `${planted.unitScale.source} (${planted.unitScale.rows} rows)`],
  ['card numbers', `${planted.pii.cardNumberRows} rows`],
  ['outcome before event', `${planted.outcomeBeforeEvent.rows} rows`],
  ['midnight timestamps', `${planted.midnightTimestamps.source} (${planted.midnightTimestamps.rows} rows)`],
];
for (const [name, value] of lines) console.log(`    ${name.padEnd(22)} ${value}`);

// The second, later extract with planted drift (issue 11): drift comparison and re-audit diff.
const later = generateLaterExtract();
writeFileSync(join(outDir, 'customer-churn-2027-02.csv'), later.csv, 'utf8');
writeFileSync(
  join(outDir, 'customer-churn-2027-02.planted.json'),
  JSON.stringify(later.planted, null, 2) + '\n',
  'utf8',
);
console.log(
  `customer-churn-2027-02.csv: ${later.planted.rows} rows, planted drift: ${JSON.stringify(later.planted)}`,
);
