import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, runCli, type CliIO } from '../../../src/lib/cli';
import { generateChurnDataset, NO_DEFECTS } from '../../../scripts/lib/synthetic';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { ROOT, FIXTURES } from '../../support/engine';
import { DEMO_ROLE_FLAGS as ROLES } from '../../support/demo';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

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
    const result = await runCli([path], { ...ROLES }, quiet, { engine: cliEngine });
    const open = result.document?.findings
      .filter((f) => f.severity === 'blocker' || f.severity === 'major')
      .map((f) => `${f.check}: ${f.title}`);
    expect(open).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('exits 1 with a clear message on a bad file', async () => {
    const lines: string[] = [];
    const result = await runCli([join(FIXTURES, 'bad/png-renamed.parquet')], {}, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(result.exitCode).toBe(1);
    expect(result.document).toBeUndefined();
    expect(lines.join('\n')).toMatch(/error: .*content is a PNG image, not Parquet/);
  });

  it('exits 1 when a role names a column that does not exist', async () => {
    const lines: string[] = [];
    const result = await runCli(
      [join(FIXTURES, 'formats/tiny.csv')],
      { target: 'nope' },
      (l) => lines.push(l),
      { engine: cliEngine },
    );
    expect(result.exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/has no column “nope”/);
  });

  it('exits 1 on an invalid --as-of or --task', async () => {
    expect(
      (
        await runCli([join(FIXTURES, 'formats/tiny.csv')], { 'as-of': '25/11/2026' }, quiet, {
          engine: cliEngine,
        })
      ).exitCode,
    ).toBe(1);
    expect(
      (await runCli([join(FIXTURES, 'formats/tiny.csv')], { task: 'ranking' }, quiet, { engine: cliEngine }))
        .exitCode,
    ).toBe(1);
  });

  it('profiles several files into one audit', async () => {
    const result = await runCli(
      [join(FIXTURES, 'formats/tiny.csv'), join(FIXTURES, 'formats/tiny-zstd.parquet')],
      {},
      quiet,
      { engine: cliEngine },
    );
    expect(result.document?.datasets.map((d) => d.fileName)).toEqual(['tiny.csv', 'tiny-zstd.parquet']);
    expect(Object.keys(result.document?.profiles ?? {})).toHaveLength(2);
  });
});

/** The CLI's streams, captured. */
function captured(): CliIO & { out: string[]; err: string[]; files: Map<string, string> } {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  return {
    out,
    err,
    files,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    writeFile: async (path, text) => void files.set(path, text),
    engine: cliEngine,
  };
}

describe('command line', () => {
  it('prints every flag with --help and exits 0', async () => {
    const io = captured();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of ['--target', '--no-suggest', '--sheet', '--segment', '--out', '--as-of'])
      expect(help).toContain(flag);
    expect(help).toMatch(
      /Exit codes: 0 Ready, 2 Not assessed \(no target: set one\), 3 Ready with conditions, 4 Not ready, .*1 error/,
    );
    expect(io.err).toEqual([]);
  });

  it.each([
    [['data.csv', '--bogus'], /^error: unknown option --bogus\.$/m],
    [['data.csv', '--target'], /^error: --target needs a value\.$/m],
    [['data.csv', '--target', '--id', 'x'], /^error: --target needs a value\.$/m],
    [['data.csv', '--quiet=yes'], /^error: --quiet takes no value\.$/m],
    [['data.csv', '--segment', ''], /^error: --segment needs a col, not an empty text\.$/m],
    [[], /^error: no file to audit\.$/m],
  ])('refuses %j with a usage message and exit code 1', async (argv, message) => {
    const io = captured();
    expect(await main(argv, io)).toBe(1);
    const text = io.err.join('');
    expect(text).toMatch(message);
    expect(text).toMatch(/^Usage: npm run audit -- <file>/m);
    expect(text).not.toMatch(/\n\s+at /);
    expect(io.out).toEqual([]);
  });

  it('exits 1 on an unknown flag through the real script, without a stack trace', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/audit-cli.ts', 'x.csv', '--nope'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: unknown option --nope\.$/m);
    expect(result.stderr).not.toMatch(/\n\s+at |node:internal|TypeError/);
  });
});

describe('role suggestions', () => {
  let path: string;
  beforeAll(() => {
    const data = generateChurnDataset({ seed: 11, rows: 1500, asOf: '2026-11-01', defects: NO_DEFECTS });
    path = join(dir, 'suggest.csv');
    writeFileSync(path, data.csv);
  });

  it('applies the suggested roles when no role flag is given, and prints each with its reason', async () => {
    const lines: string[] = [];
    const result = await runCli([path], { 'as-of': '2026-11-01' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    const roles = Object.values(result.document!.roles)[0]!;
    expect(roles.target).toBe('churned');
    const printed = lines.join('\n');
    expect(printed).toMatch(/roles suggested from the profile/);
    expect(printed).toMatch(/^ {2}--target “churned”: \S.+$/m);
    expect(printed).toMatch(/^ {2}--id “customer_id”: \S.+$/m);
    expect(
      result.document!.findings.some((f) => f.check === 'leakage-single-feature' || f.area === 'labels'),
    ).toBe(true);
  });

  it('--no-suggest leaves the roles empty and prints no suggestion', async () => {
    const lines: string[] = [];
    const result = await runCli([path], { 'as-of': '2026-11-01', 'no-suggest': true }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(Object.values(result.document!.roles)[0]).toEqual({ segments: [], excluded: [] });
    expect(lines.join('\n')).not.toMatch(/roles suggested/);
    // Without a target, the checks that read it do not run.
    expect(result.document!.findings.some((f) => f.check === 'leakage-single-feature')).toBe(false);
    expect(result.document!.findings.some((f) => f.columns.includes('churned') && f.area === 'leakage')).toBe(
      false,
    );
  });

  it('uses the roles given by flags instead of the suggestions', async () => {
    const lines: string[] = [];
    const result = await runCli([path], { target: 'churned', segment: ['region'] }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(Object.values(result.document!.roles)[0]).toEqual({
      target: 'churned',
      segments: ['region'],
      excluded: [],
    });
    expect(lines.join('\n')).not.toMatch(/roles suggested/);
  });
});

describe('printing names from client data', () => {
  it('strips ANSI escapes and control characters from file and column names', async () => {
    const path = join(dir, 'evil\u001b[31mred\u0007.json');
    // JSON escapes keep the file text, so the header can carry an escape sequence.
    writeFileSync(
      path,
      JSON.stringify([
        { 'na\u001b[2Jme': 'x', value: 1 },
        { 'na\u001b[2Jme': 'y', value: 2 },
      ]),
    );
    const lines: string[] = [];
    const result = await runCli([path], { target: 'missing\u001b]0;title\u0007col' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(result.exitCode).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('“evilred.json”');
    expect(text).toContain('“name”');
    expect(text).toContain('“missingcol”');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('--sheet', () => {
  it('reads the largest sheet by default and the named sheet when given', async () => {
    const workbook = join(FIXTURES, 'formats/notes-first.xlsx');
    const lines: string[] = [];
    const byDefault = await runCli([workbook], { 'no-suggest': true }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(byDefault.document?.datasets[0]?.sheet).toBe('Customers');
    expect(lines.join('\n')).toMatch(/loaded “notes-first\.xlsx” \(sheet “Customers”\)/);
    const errors: string[] = [];
    const notes = await runCli([workbook], { sheet: 'Notes' }, (l) => errors.push(l), { engine: cliEngine });
    expect(notes.exitCode).toBe(1);
    expect(errors.join('\n')).toMatch(/^error: .*Notes/m);
  });
});
