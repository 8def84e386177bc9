import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { main, type CliIO } from '../../../src/lib/cli';
import { writeCheckExportDir } from '../../../src/lib/cli/export-contract';
import { writeFileAtomic } from '../../../src/lib/cli/write-file';
import { CHECK_FORMATS, checkFormatOf } from '../../../src/lib/report/check-exports';
import { AuditDocumentSchema, type AuditDocument } from '../../../src/lib/core/model/audit';
import { personalColumns } from '../../../src/lib/core/redact';
import { DEMO_CSV, DEMO_ROLE_FLAGS } from '../../support/demo';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/**
 * `--export-contract DIR` through the CLI's own entry point on the demo: the
 * issue's files at the paths, each parsing as what it claims to be,
 * and none holding a value of a personal-data column, masked or not.
 */
let dir: string;

const DEMO_ARGS = [
  DEMO_CSV,
  '--target',
  DEMO_ROLE_FLAGS.target,
  '--id',
  DEMO_ROLE_FLAGS.id,
  '--time',
  DEMO_ROLE_FLAGS.time,
  '--outcome-time',
  DEMO_ROLE_FLAGS['outcome-time'],
  '--source',
  DEMO_ROLE_FLAGS.source,
  '--segment',
  DEMO_ROLE_FLAGS.segment[0]!,
  '--as-of',
  DEMO_ROLE_FLAGS['as-of'],
  '--no-baseline',
];

interface Run {
  code: number;
  stderr: string[];
}

async function cli(...flags: string[]): Promise<Run> {
  const stderr: string[] = [];
  const io: CliIO = {
    stdout: () => {},
    stderr: (text) => void stderr.push(...text.split('\n').filter((l) => l !== '')),
    writeFile: (path, text) => writeFileAtomic(path, text),
    engine: cliEngine,
  };
  return { code: await main([...DEMO_ARGS, ...flags], io), stderr };
}

/** Every file under a folder, relative to it, sorted. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

let masked: Run;
let unmasked: Run;
let rawAudit: AuditDocument;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sz-export-contract-'));
  masked = await cli('--out', join(dir, 'masked.audit.json'), '--export-contract', join(dir, 'masked'));
  unmasked = await cli(
    '--include-personal-values',
    '--out',
    join(dir, 'raw.audit.json'),
    '--export-contract',
    join(dir, 'raw'),
  );
  rawAudit = AuditDocumentSchema.parse(JSON.parse(readFileSync(join(dir, 'raw.audit.json'), 'utf8')));
}, 480_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--export-contract DIR', () => {
  it('writes the ODCS contract, the dbt models file and tests, GX, Soda, Croissant and the card at the issue’s paths', () => {
    expect(masked.code).not.toBe(1);
    const root = join(dir, 'masked');
    const files = filesUnder(root);
    const odcs = files.filter((f) => f.endsWith('.odcs.yaml'));
    expect(odcs).toHaveLength(1);
    const name = odcs[0]!.replace(/\.odcs\.yaml$/, '');
    expect(name).toMatch(/^[\w.-]+$/);
    for (const path of [
      `${name}.odcs.yaml`,
      `dbt/models/${name}.yml`,
      `${name}.gx.json`,
      `${name}.soda.yaml`,
      `${name}.croissant.json`,
      `${name}.card.md`,
    ])
      expect(files).toContain(path);
    expect(statSync(join(root, 'dbt/tests')).isDirectory()).toBe(true);
    expect(
      files.filter((f) => f.startsWith('dbt/tests/')).every((f) => /^dbt\/tests\/[\w.-]+\.sql$/.test(f)),
    ).toBe(true);
    expect(files.some((f) => f.startsWith('dbt/tests/'))).toBe(true);

    // The listing names every file written, and only those.
    const header = masked.stderr.findIndex((l) => l.startsWith('check exports: '));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(masked.stderr[header]).toBe(`check exports: ${files.length} files in “${root}”`);
    const listed = masked.stderr.slice(header + 1, header + 1 + files.length).map((l) => l.trim());
    expect(listed.map((l) => relative(root, l)).sort()).toEqual(files);
    // Written in the deliverable's order, each file under one of its formats.
    const formats = listed.map((l) => checkFormatOf(relative(root, l)));
    expect(formats.every((f) => f !== undefined)).toBe(true);
    const order = CHECK_FORMATS.map((f) => f.format);
    expect([...new Set(formats)]).toEqual(order);
    expect(formats.map((f) => order.indexOf(f!))).toEqual(
      [...formats.map((f) => order.indexOf(f!))].sort((a, b) => a - b),
    );
  });

  it('writes files that parse as YAML, JSON, SQL and Markdown', () => {
    const root = join(dir, 'masked');
    for (const file of filesUnder(root)) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text.trim(), file).not.toBe('');
      if (file.endsWith('.yaml') || file.endsWith('.yml')) expect(parse(text), file).toBeTypeOf('object');
      else if (file.endsWith('.json')) expect(JSON.parse(text), file).toBeTypeOf('object');
      else if (file.endsWith('.sql')) expect(text, file).toMatch(/\bselect\b/i);
      else if (file.endsWith('.md')) expect(text, file).toMatch(/^# /m);
      else throw new Error(`unexpected file ${file}`);
    }
    const dbt = parse(
      readFileSync(
        join(
          root,
          filesUnder(root).find((f) => f.startsWith('dbt/models/'))!,
        ),
        'utf8',
      ),
    ) as {
      version: number;
      models: { name: string }[];
    };
    expect(dbt.version).toBe(2);
    expect(dbt.models.length).toBeGreaterThan(0);
  });

  it('holds no value of a personal-data column of the unmasked demo', () => {
    const personal = personalColumns(rawAudit);
    expect(personal.map((p) => p.column)).toEqual(expect.arrayContaining(['email', 'phone', 'card_number']));
    const values = personal.flatMap((p) =>
      (rawAudit.profiles[p.datasetId]?.columns.find((c) => c.name === p.column)?.topK ?? [])
        .map((t) => t.value)
        .filter(
          (v): v is string | number =>
            (typeof v === 'string' || typeof v === 'number') && String(v).length >= 4,
        )
        .map(String),
    );
    // The unmasked audit does hold them (e-mail addresses among them): the check below could fail.
    expect(values.some((v) => /@.+\.example$/.test(v))).toBe(true);
    const root = join(dir, 'masked');
    for (const file of filesUnder(root)) {
      const text = readFileSync(join(root, file), 'utf8');
      const leaked = values.filter((v) => text.includes(v));
      expect(leaked, file).toEqual([]);
    }
  });

  it('with --include-personal-values still writes no accepted values for a personal-data column', () => {
    expect(unmasked.code).not.toBe(1);
    expect(rawAudit.redaction?.mode).toBe('none');
    const personal = new Set(personalColumns(rawAudit).map((p) => p.column));
    const root = join(dir, 'raw');
    const files = filesUnder(root);
    const model = files.find((f) => f.startsWith('dbt/models/'))!;
    const dbt = parse(readFileSync(join(root, model), 'utf8')) as {
      models: { columns?: { name: string; data_tests?: unknown[] }[] }[];
    };
    const columns = dbt.models.flatMap((m) => m.columns ?? []);
    // Some column does get accepted values (the test reads a real list), never a personal one.
    const withAccepted = columns.filter((c) =>
      JSON.stringify(c.data_tests ?? []).includes('accepted_values'),
    );
    expect(withAccepted.length).toBeGreaterThan(0);
    expect(withAccepted.filter((c) => personal.has(c.name)).map((c) => c.name)).toEqual([]);
    // GX: no value set expectation on a personal column either.
    for (const file of files.filter((f) => f.endsWith('.gx.json'))) {
      const suite = JSON.parse(readFileSync(join(root, file), 'utf8')) as {
        expectations: { type: string; kwargs: { column?: string } }[];
      };
      const sets = suite.expectations.filter((e) => /in_set/.test(e.type));
      expect(sets.filter((e) => personal.has(e.kwargs.column ?? '')).map((e) => e.kwargs.column)).toEqual([]);
    }
  });
});

describe('--export-contract usage and output errors', () => {
  it('refuses a DIR that is a file before auditing, with exit code 1', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'kept\n');
    const started = Date.now();
    const run = await cli('--export-contract', file);
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toBe(`error: --export-contract needs a folder, but “${file}” is a file.`);
    // Refused up front: no audit ran and the file is untouched.
    expect(run.stderr.some((l) => l.startsWith('verdict:'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('says which folder could not be made and why', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const files = [{ path: 'x.odcs.yaml', mimeType: 'application/yaml', text: 'a: 1\n' }];
    await expect(writeCheckExportDir(join(file, 'out'), files)).rejects.toThrow(
      `Could not create the folder “${join(file, 'out')}”: a file on its path has that name.`,
    );
    const denied = Object.assign(new Error('denied'), { code: 'EACCES' });
    await expect(
      writeCheckExportDir(join(dir, 'locked'), files, {
        mkdir: () => Promise.reject(denied),
        writeFile: () => Promise.resolve(),
      }),
    ).rejects.toThrow(`Could not create the folder “${join(dir, 'locked')}”: permission denied.`);
  });

  it('creates DIR, dbt/models and dbt/tests, and never writes outside DIR', async () => {
    const out = join(dir, 'fresh', 'nested');
    const written = await writeCheckExportDir(out, [
      { path: 'a.odcs.yaml', mimeType: 'application/yaml', text: 'a: 1\n' },
      { path: 'dbt/tests/t.sql', mimeType: 'application/sql', text: 'select 1\n' },
    ]);
    expect(written).toEqual([join(out, 'a.odcs.yaml'), join(out, 'dbt/tests/t.sql')]);
    expect(statSync(join(out, 'dbt/models')).isDirectory()).toBe(true);
    expect(readFileSync(join(out, 'dbt/tests/t.sql'), 'utf8')).toBe('select 1\n');
    await expect(
      writeCheckExportDir(out, [{ path: '../escape.yaml', mimeType: 'application/yaml', text: 'a: 1\n' }]),
    ).rejects.toThrow('Refused to write “../escape.yaml”');
    expect(existsSync(join(dir, 'fresh', 'escape.yaml'))).toBe(false);
  });
});
