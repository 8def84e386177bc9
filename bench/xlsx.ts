/**
 * Workbook decoding's growth (issue 18 §5): deflated one-sheet workbooks of 4k, 20k and 100k
 * rows (customer_id, region, monthly_fee, plan), decoded by the CLI's path (`decodeXlsx`, the
 * same code the browser's decode worker runs). For each size it prints the XML chunks
 * read-excel-file parsed (its clock reads, counted), the fastest wall time and the CPU time of
 * `--runs` runs, and each step's growth against the growth in rows. Linear growth shows as
 * ratios near 1. Before the steady clock, a busy machine took 12-48 s for 20k rows or overflowed
 * the stack. `--busy` replays that: a clock that says every chunk took 10 ms. Figures are
 * printed; nothing passes or fails (the counted test is `tests/unit/engine/xlsx-linear.test.ts`).
 *
 *   npx tsx bench/xlsx.ts [--runs R] [--busy]
 */
import { performance } from 'node:perf_hooks';
import readXlsxFile from 'read-excel-file/universal';
import { decodeXlsx, withSteadyClock } from '../src/lib/engine/decoders/xlsx';
import { buildWorkbook, customers } from '../tests/fixtures/formats/make-workbooks';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = Math.max(1, runsAt >= 0 ? Number(argv[runsAt + 1]) : 3);
const SIZES = [4_000, 20_000, 100_000];

if (argv.includes('--busy')) {
  let now = Date.now();
  Date.now = () => (now += 10);
}

interface Row {
  rows: number;
  zipBytes: number;
  chunks: number;
  ms: number;
  cpuMs: number;
}

// Warm the JIT, so the smallest size is not charged for compilation.
await decodeXlsx(buildWorkbook([{ name: 'Data', rows: customers(2_000) }], { deflate: true }));

const results: Row[] = [];
for (const rows of SIZES) {
  const bytes = buildWorkbook([{ name: 'Data', rows: customers(rows) }], { deflate: true });
  let clockReads = 0;
  await withSteadyClock(
    () => readXlsxFile(bytes.slice().buffer as ArrayBuffer),
    () => clockReads++,
  );
  let ms = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const decoded = await decodeXlsx(bytes);
    ms = Math.min(ms, performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
    if (decoded.rowCount !== rows) throw new Error(`decoded ${decoded.rowCount} rows of ${rows}`);
  }
  // Two clock reads per chunk, besides a few read-excel-file takes at its stage checkpoints.
  results.push({ rows, zipBytes: bytes.length, chunks: clockReads, ms, cpuMs });
}

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(
  `rows      zip bytes   clock reads   wall ms (best of ${RUNS})   cpu ms   cpu growth ÷ row growth`,
);
results.forEach((r, i) => {
  const prev = results[i - 1];
  const growth = prev ? (r.cpuMs / prev.cpuMs / (r.rows / prev.rows)).toFixed(2) : '';
  console.log(
    `${fmt(r.rows).padStart(7)}  ${fmt(r.zipBytes).padStart(10)}  ${String(r.chunks).padStart(11)}  ${fmt(r.ms).padStart(22)}  ${fmt(r.cpuMs).padStart(7)}   ${growth}`,
  );
});
