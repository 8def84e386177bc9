import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { main, runCli, type CliIO } from '../../../src/lib/cli';
import { generateChurnDataset } from '../../../scripts/lib/synthetic';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { DEMO_ROLE_FLAGS as ROLES } from '../../support/demo';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

let dir: string;
let csv: string;
let lake: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-cli-engine-'));
  csv = join(dir, 'churn.csv');
  writeFileSync(csv, generateChurnDataset({ seed: 11, rows: 3000, asOf: '2026-11-01' }).csv);
  // A data-lake export of the same rows: Parquet files in Hive partitions, written by native DuckDB.
  lake = join(dir, 'lake');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(
    `COPY (SELECT * FROM read_csv('${csv}')) TO '${lake}' (FORMAT parquet, PARTITION_BY (source_system))`,
  );
  conn.closeSync();
  instance.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const quiet = (): void => {};

function captured(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    writeFile: async () => {},
    engine: cliEngine,
  };
}

/** What must not depend on the engine: the verdict, and every finding's id and severity. */
function outcome(document: AuditDocument | undefined): { verdict?: string; findings: string[] } {
  return {
    ...(document?.verdict ? { verdict: document.verdict.status } : {}),
    // Ids carry the dataset's random id; the rest of the id names the check and what it is about.
    findings: (document?.findings ?? [])
      .map((f) => `${f.id.replace(/:[0-9a-f-]{36}(:|$)/, '$1')} ${f.severity}`)
      .sort(),
  };
}

describe('--engine native', () => {
  let wasm: AuditDocument | undefined;

  it('audits a CSV with the same verdict and findings as the default DuckDB-WASM engine', async () => {
    const byWasm = await runCli([csv], { ...ROLES }, quiet, { engine: cliEngine });
    wasm = byWasm.document;
    const lines: string[] = [];
    const byNative = await runCli([csv], { ...ROLES, engine: 'native', threads: '1' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(lines.filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(byNative.exitCode).toBe(byWasm.exitCode);
    expect(outcome(wasm).findings.length).toBeGreaterThan(10);
    expect(outcome(byNative.document)).toEqual(outcome(wasm));
    expect(byNative.document?.datasets[0]?.rowCount).toBe(3000);
  });

  it('audits a partitioned Parquet folder as it audits the CSV, under a memory limit', async () => {
    const lines: string[] = [];
    const result = await runCli(
      [lake],
      { ...ROLES, name: 'churn', engine: 'native', 'memory-limit': '512MB', 'temp-dir': join(dir, 'spill') },
      (l) => lines.push(l),
      { engine: cliEngine },
    );
    expect(lines.filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(lines.join('\n')).toMatch(/loaded “lake”: 3,000 rows × 18 columns/);
    const dataset = result.document?.datasets[0];
    expect(dataset?.columns.map((c) => c.name)).toContain('source_system');
    expect(result.exitCode).toBe(4);
    expect(outcome(result.document)).toEqual(outcome(wasm));
  });

  it.each([
    [['x.csv', '--threads', '2'], /^error: --threads needs --engine native/m],
    [
      ['x.csv', '--memory-limit', '1GB', '--temp-dir', '/tmp'],
      /^error: --memory-limit, --temp-dir need --engine native/m,
    ],
    [['x.csv', '--engine', 'duck'], /^error: --engine must be wasm, native, chdb or clickhouse, not “duck”/m],
    [['x.csv', '--engine', 'native', '--memory-limit', 'lots'], /^error: --memory-limit must look like 4GB/m],
    [['x.csv', '--engine', 'native', '--threads', 'all'], /^error: --threads must be a positive integer/m],
  ])('refuses %j with a usage message and exit code 1', async (argv, message) => {
    const io = captured();
    expect(await main(argv, io)).toBe(1);
    const text = io.err.join('');
    expect(text).toMatch(message);
    expect(text).toMatch(/^Usage: npm run audit -- <file>/m);
    expect(io.out).toEqual([]);
  });

  it('lists the engine flags in --help', async () => {
    const io = captured();
    expect(await main(['--help'], io)).toBe(0);
    for (const flag of [
      '--engine <wasm|native|chdb|clickhouse>',
      '--memory-limit <size>',
      '--temp-dir <dir>',
      '--threads <n>',
    ])
      expect(io.out.join('')).toContain(flag);
  });
});

describe('time roles given as flags', () => {
  it('exits 1 with the reason when --time names a column that cannot be read as time', async () => {
    const lines: string[] = [];
    const result = await runCli([csv], { ...ROLES, time: 'region' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(result.exitCode).toBe(1);
    expect(result.document).toBeUndefined();
    expect(lines.filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(/^error: Only .* of “region” parses as dates/),
    ]);
  });

  it('exits 1 when --outcome-time is a number column that reads as no time encoding', async () => {
    const lines: string[] = [];
    const result = await runCli([csv], { ...ROLES, 'outcome-time': 'monthly_fee' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(result.exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/^error: .*“monthly_fee”/m);
  });

  it('accepts a date column and audits as usual', async () => {
    const result = await runCli([csv], { ...ROLES, time: 'signup_date' }, quiet, { engine: cliEngine });
    expect(result.exitCode).toBe(4);
    expect(result.document?.roles[result.document.datasets[0]!.id]?.eventTime).toBe('signup_date');
  });
});
