import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZodError, z } from 'zod';
import { main, type CliIO } from '../../../src/lib/cli';
import { cliErrorText } from '../../../src/lib/cli/errors';
import { nodeWriteFs, writeFileAtomic, type WriteFs } from '../../../src/lib/cli/write-file';
import { newAudit } from '../../../src/lib/core/model/document';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

let dir: string;
let csv: string;
let oldAudit: string;
let newAuditFile: string;

/** A small churn-like CSV whose column names carry ESC (with and without a sequence), BEL and U+202E. */
const HOSTILE_NAMES = ['amo\u001bunt', 'te\u001b[31mnure\u001b[0m', 'pl\u0007an', '\u202Eregion'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-export-'));
  const lines = [['id', ...HOSTILE_NAMES, 'churned'].join(',')];
  for (let i = 0; i < 400; i++)
    lines.push(
      `${i},${(i * 37) % 500},${i % 48},${['Basic', 'Pro', 'Plus'][i % 3]},${['north', 'south'][i % 2]},${i % 5 === 0 ? 'Yes' : 'No'}`,
    );
  csv = join(dir, 'names.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  oldAudit = join(dir, 'old.audit.json');
  newAuditFile = join(dir, 'new.audit.json');
  writeFileSync(oldAudit, JSON.stringify(newAudit('old', 'a-old', new Date('2026-01-01'))));
  writeFileSync(newAuditFile, JSON.stringify(newAudit('new', 'a-new', new Date('2026-02-01'))));
});

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Run `main` in this process; writes go through `write` (the real atomic write unless a test swaps its fs). */
async function run(
  argv: string[],
  write: CliIO['writeFile'] = (p, t) => writeFileAtomic(p, t),
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    writeFile: write,
    engine: cliEngine,
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** A file system whose data write stops half-way with the given error code, as a full disk does. */
function failingFs(code: string): WriteFs & { temps: string[] } {
  const temps: string[] = [];
  return {
    ...nodeWriteFs,
    temps,
    writeFile: async (path, text) => {
      temps.push(path);
      await writeFile(path, text.slice(0, Math.floor(text.length / 2)));
      throw Object.assign(new Error(`${code}: simulated, write '${path}'`), { code });
    },
  };
}

// eslint-disable-next-line no-control-regex -- the characters under test
const CONTROLS = /[\u0007\u001b\u202e]|\\u001b|\\u0007|\\u202e/i;

describe('names from the data reach no export with control or bidi characters (issue 18 §5)', () => {
  it('ESC, BEL and U+202E in column names are in neither the audit file, the HTML nor the Markdown', async () => {
    const out = join(dir, 'names.audit.json');
    const html = join(dir, 'names.html');
    const markdown = join(dir, 'names.md');
    const result = await run([
      csv,
      '--target',
      'churned',
      '--as-of',
      '2026-11-01',
      '--out',
      out,
      '--html',
      html,
      '--markdown',
      markdown,
      '--include-personal-values',
    ]);
    expect(result.code).not.toBe(1);
    const texts = {
      audit: readFileSync(out, 'utf8'),
      html: readFileSync(html, 'utf8'),
      md: readFileSync(markdown, 'utf8'),
    };
    for (const [name, text] of Object.entries(texts))
      expect({ name, hit: CONTROLS.exec(text)?.[0] }).toEqual({ name, hit: undefined });
    expect(result.err).not.toMatch(CONTROLS);
    const document = JSON.parse(texts.audit) as { datasets: { columns: { name: string }[] }[] };
    // The names as the terminal prints them: the escape sequences go whole, the rest of the name stays.
    expect(document.datasets[0]!.columns.map((c) => c.name)).toEqual([
      'id',
      'amount',
      'tenure',
      'plan',
      'region',
      'churned',
    ]);
    expect(texts.html).toContain('amount');
  }, 180_000);
});

describe('atomic writes (issue 18 §1)', () => {
  it('ENOSPC on --out keeps the old file byte for byte, leaves no temp file and says so', async () => {
    const out = join(dir, 'kept.audit.json');
    const before = Buffer.from('{"the previous audit":true}\n');
    writeFileSync(out, before);
    const fs = failingFs('ENOSPC');
    const result = await run(
      [csv, '--target', 'churned', '--as-of', '2026-11-01', '--out', out, '--quiet'],
      (p, t) => writeFileAtomic(p, t, fs),
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `error: Could not write “${out}”: the disk is full; the previous file is kept.\n`,
    );
    expect(readFileSync(out).equals(before)).toBe(true);
    // The failed write did start (half the bytes in a temp file beside the target), and that file is gone.
    expect(fs.temps).toHaveLength(1);
    expect(fs.temps[0]!.startsWith(join(dir, '.kept.audit.json.'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);

  it('EACCES on --diff --out says permission denied and keeps the old file', async () => {
    const out = join(dir, 'diff.json');
    writeFileSync(out, 'old diff');
    const result = await run(['--diff', oldAudit, newAuditFile, '--out', out], (p, t) =>
      writeFileAtomic(p, t, failingFs('EACCES')),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(
        `^error: Could not write “${out}”: permission denied in the folder “${dir}”; the previous file is kept\\.$`,
        'm',
      ),
    );
    expect(readFileSync(out, 'utf8')).toBe('old diff');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing folder is named, and nothing is written', async () => {
    const out = join(dir, 'no-such-folder', 'diff.json');
    const result = await run(['--diff', oldAudit, newAuditFile, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^error: Could not write “.*diff\.json”: the folder “.*no-such-folder” does not exist; nothing was written\.$/m,
    );
  });

  it('a successful write replaces the old file whole and leaves no temp file', async () => {
    const out = join(dir, 'replaced.json');
    writeFileSync(out, 'x'.repeat(100_000));
    const result = await run(['--diff', oldAudit, newAuditFile, '--out', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      old: { name: 'old' },
      new: { name: 'new' },
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('one sentence, never a zod dump or a stack trace (issue 18 §4)', () => {
  it('an audit file that fails the schema gets a sentence naming the file and the field', async () => {
    const bad = join(dir, 'bad-schema.audit.json');
    writeFileSync(bad, JSON.stringify({ ...newAudit('bad', 'b'), findings: 'none', datasets: [{ id: 7 }] }));
    const result = await run(['--diff', oldAudit, bad]);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(
      /^error: “.*bad-schema\.audit\.json”: This audit file is damaged or incomplete \(\d+ problems\)\. datasets\.0\.id: .*expected string/,
    );
    expect(result.err).not.toMatch(/"code"|"path"|\n\s+at |ZodError|\[\s*\{/);
    expect(result.out).toBe('');
  });

  it('a schema failure inside the run is one sentence that says where, not zod’s JSON', () => {
    const failure = z.object({ findings: z.array(z.string()) }).safeParse({ findings: [1] });
    expect(failure.success).toBe(false);
    const text = cliErrorText(failure.error as ZodError);
    expect(text).toBe(
      'the audit document failed its own schema check (at findings.0), so nothing was written. This is a fault in Sprint Zero: please report it with the command line.',
    );
  });

  it('an unexpected error anywhere in main is one sentence and exit 1', async () => {
    const err: string[] = [];
    const code = await main(['--help'], {
      stdout: () => {
        throw new TypeError(
          "Cannot read properties of undefined (reading 'write')\n    at Object.stdout (x.ts:1:1)",
        );
      },
      stderr: (t) => void err.push(t),
      writeFile: async () => {},
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      "error: Sprint Zero stopped on an unexpected problem (Cannot read properties of undefined (reading 'write')). Please report it with the command line.\n",
    ]);
  });
});
