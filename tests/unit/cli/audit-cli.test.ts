import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../../src/lib/cli';
import { generateChurnDataset, NO_DEFECTS } from '../../../scripts/lib/synthetic';
import { AuditDocumentSchema } from '../../../src/lib/core/audit/schema';
import { ROOT, FIXTURES } from '../../support/engine';

const ROLES = {
  target: 'churned',
  id: 'customer_id',
  time: 'snapshot_date',
  'outcome-time': 'churn_date',
  source: 'source_system',
  segment: ['region'],
  'as-of': '2026-11-01',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-cli-'));
});

const quiet = (): void => {};

describe('headless audit CLI', () => {
  it('exits 4 (Not ready) on the demo, through the real npm script, and writes a valid audit', () => {
    const out = join(dir, 'demo.audit.json');
    const result = spawnSync(
      'npx',
      [
        'tsx',
        'scripts/audit-cli.ts',
        'public/demo/customer-churn.csv',
        '--target',
        'churned',
        '--id',
        'customer_id',
        '--time',
        'snapshot_date',
        '--source',
        'source_system',
        '--as-of',
        '2026-11-01',
        '--out',
        out,
        '--quiet',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(4);
    const document = AuditDocumentSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(document.verdict?.status).toBe('not-ready');
    expect(document.datasets[0]?.rowCount).toBe(12_000);
    expect(Object.keys(document.profiles)).toHaveLength(1);
    expect(
      document.findings.some((f) => f.check === 'leakage-single-feature' && f.severity === 'blocker'),
    ).toBe(true);
  });

  it('does not return Not ready on a clean control extract', async () => {
    const clean = generateChurnDataset({ seed: 7, rows: 6000, asOf: '2026-11-01', defects: NO_DEFECTS });
    const path = join(dir, 'clean.csv');
    writeFileSync(path, clean.csv);
    const result = await runCli([path], { ...ROLES }, quiet);
    const open = result.document?.findings
      .filter((f) => f.severity === 'blocker' || f.severity === 'major')
      .map((f) => `${f.check}: ${f.title}`);
    expect(open).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('exits 1 with a clear message on a bad file', async () => {
    const lines: string[] = [];
    const result = await runCli([join(FIXTURES, 'bad/png-renamed.parquet')], {}, (l) => lines.push(l));
    expect(result.exitCode).toBe(1);
    expect(result.document).toBeUndefined();
    expect(lines.join('\n')).toMatch(/error: .*content is a PNG image, not Parquet/);
  });

  it('exits 1 when a role names a column that does not exist', async () => {
    const lines: string[] = [];
    const result = await runCli([join(FIXTURES, 'formats/tiny.csv')], { target: 'nope' }, (l) =>
      lines.push(l),
    );
    expect(result.exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/has no column “nope”/);
  });

  it('exits 1 on an invalid --as-of or --task', async () => {
    expect(
      (await runCli([join(FIXTURES, 'formats/tiny.csv')], { 'as-of': '25/11/2026' }, quiet)).exitCode,
    ).toBe(1);
    expect((await runCli([join(FIXTURES, 'formats/tiny.csv')], { task: 'ranking' }, quiet)).exitCode).toBe(1);
  });

  it('profiles several files into one audit', async () => {
    const result = await runCli(
      [join(FIXTURES, 'formats/tiny.csv'), join(FIXTURES, 'formats/tiny-zstd.parquet')],
      {},
      quiet,
    );
    expect(result.document?.datasets.map((d) => d.fileName)).toEqual(['tiny.csv', 'tiny-zstd.parquet']);
    expect(Object.keys(result.document?.profiles ?? {})).toHaveLength(2);
  });
});
