import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../../../src/lib/cli';
import { MonitoringContractSchema } from '../../../../src/lib/core/model/drift';
import { AuditDocumentSchema } from '../../../../src/lib/core/model/audit';
import { sharedCliEngine } from '../../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

let dir: string;

/** Deterministic pseudo-random numbers (a 32-bit LCG), so the files are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A churn-like CSV; `shift` moves `fee` up and makes "Plus" plans appear. */
function csv(rows: number, seed: number, shift: boolean): string {
  const r = lcg(seed);
  const lines = ['id,fee,tenure,plan,churned'];
  for (let i = 0; i < rows; i++) {
    const fee = (40 + r() * 20 + (shift ? 8 : 0)).toFixed(2);
    const tenure = Math.floor(r() * 36);
    const plan = shift && r() < 0.15 ? 'Plus' : r() < 0.5 ? 'Basic' : 'Pro';
    lines.push(`${i},${fee},${tenure},${plan},${r() < 0.2 ? 'Yes' : 'No'}`);
  }
  return `${lines.join('\n')}\n`;
}

function io(): CliIO & { out: string[]; err: string[]; files: Map<string, string> } {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  return {
    out,
    err,
    files,
    engine: cliEngine,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    writeFile: async (path, text) => {
      files.set(path, text);
      writeFileSync(path, text);
    },
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sz-drift-cli-'));
  writeFileSync(join(dir, 'reference.csv'), csv(2000, 1, false));
  writeFileSync(join(dir, 'current.csv'), csv(2000, 2, true));
  writeFileSync(join(dir, 'same.csv'), csv(2000, 3, false));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drift from the command line', () => {
  it('exits 5 with --fail-on-drift when the current file drifts, and writes the contract alone', async () => {
    const cli = io();
    const code = await main(
      [
        join(dir, 'current.csv'),
        '--reference',
        join(dir, 'reference.csv'),
        '--target',
        'churned',
        '--id',
        'id',
        '--fail-on-drift',
        '--contract',
        join(dir, 'contract.json'),
        '--out',
        join(dir, 'current.audit.json'),
        '--as-of',
        '2026-11-01',
      ],
      cli,
    );
    expect(code).toBe(5);
    const log = cli.err.join('');
    expect(log).toMatch(/drift: reference\.csv → current\.csv: 2 of 3 columns drift/);
    expect(log).toContain('“fee”');
    const contract = MonitoringContractSchema.parse(
      JSON.parse(readFileSync(join(dir, 'contract.json'), 'utf8')),
    );
    expect(contract.columns.map((c) => c.column).sort()).toEqual(['fee', 'plan', 'tenure']);
    const audit = AuditDocumentSchema.parse(
      JSON.parse(readFileSync(join(dir, 'current.audit.json'), 'utf8')),
    );
    expect(audit.drift!.report!.comparison.kind).toBe('datasets');
    expect(audit.datasets[0]!.fileName).toBe('current.csv');
  }, 120_000);

  it('keeps the verdict exit code when nothing drifts, and diffs two audit files', async () => {
    const cli = io();
    const code = await main(
      [
        join(dir, 'same.csv'),
        '--reference',
        join(dir, 'reference.csv'),
        '--target',
        'churned',
        '--id',
        'id',
        '--fail-on-drift',
        '--out',
        join(dir, 'same.audit.json'),
        '--as-of',
        '2026-11-01',
      ],
      cli,
    );
    expect([0, 3, 4]).toContain(code);
    expect(cli.err.join('')).toMatch(/0 of 3 columns drift/);

    const diff = io();
    const diffCode = await main(
      ['--diff', join(dir, 'same.audit.json'), join(dir, 'current.audit.json')],
      diff,
    );
    expect(diffCode).toBe(0);
    const printed = diff.err.join('');
    expect(printed).toMatch(/Re-audit diff/);
    expect(printed).toMatch(/fee: mean/);
    const json = JSON.parse(diff.out.join('')) as { datasets: { moved: { column: string }[] }[] };
    expect(json.datasets[0]!.moved.some((m) => m.column === 'fee')).toBe(true);
    expect(await main(['--diff', join(dir, 'same.audit.json')], io())).toBe(1);
  }, 120_000);
});
