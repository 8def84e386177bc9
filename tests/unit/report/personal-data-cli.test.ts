import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../../src/lib/cli';
import { AuditDocumentSchema, type AuditDocument } from '../../../src/lib/core/model/audit';
import { MonitoringContractSchema } from '../../../src/lib/core/model/drift';
import {
  markNotPersonal,
  markPersonal,
  redactForExport,
  redactForStorage,
} from '../../../src/lib/core/redact';
import { exportContractFile } from '../../../src/lib/report/contract-file';
import { plantedExtract as planted, plantedLeaks as leaks } from '../../fixtures/planted-personal';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/**
 * Issue 18, planted: e-mails and phones that are personal in one dataset only
 * (a reference whose `reach` column is all e-mails and phones, a current file
 * where they are 3 % of the rows), a name column that predicts the label, and
 * a phone number used as the ID. Every output of the CLI (audit file,
 * contract, stderr, --html, --markdown) and the saved audit hold none of them.
 */

let dir = '';
let reference = '';
let current = '';

interface Run {
  code: number;
  files: Map<string, string>;
  stderr: string;
  document: AuditDocument;
}

async function cli(...flags: string[]): Promise<Run> {
  const files = new Map<string, string>();
  const err: string[] = [];
  const io: CliIO = {
    stdout: () => {},
    stderr: (t) => void err.push(t),
    writeFile: async (path, text) => void files.set(path, text),
    engine: cliEngine,
  };
  const code = await main(
    [
      current,
      '--reference',
      reference,
      '--target',
      'churned',
      '--positive-class',
      'yes',
      '--id',
      'phone',
      '--time',
      'date',
      '--as-of',
      '2026-11-01',
      '--out',
      'audit.json',
      '--contract',
      'contract.json',
      '--html',
      'report.html',
      '--markdown',
      'summary.md',
      ...flags,
    ],
    io,
  );
  const text = files.get('audit.json');
  if (!text) throw new Error(`no audit file (exit ${code}): ${err.join('')}`);
  return { code, files, stderr: err.join(''), document: AuditDocumentSchema.parse(JSON.parse(text)) };
}

let masked: Run;
let kept: Run;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-pii-'));
  reference = join(dir, 'reference.csv');
  current = join(dir, 'current.csv');
  writeFileSync(reference, planted(false));
  writeFileSync(current, planted(true));
  masked = await cli();
  // The same run, values kept and nothing treated as personal: drift and the plan then hold every value.
  kept = await cli(
    '--include-personal-values',
    '--not-personal',
    'reach',
    '--not-personal',
    'customer_name',
    '--not-personal',
    'phone',
  );
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('personal data through the CLI (issue 18)', () => {
  it('the unredacted run does hold the planted values, in drift, the contract and the plan (so the checks can fail)', () => {
    const doc = JSON.stringify(kept.document);
    expect(leaks(JSON.stringify(kept.document.drift?.report)).length).toBeGreaterThan(0);
    expect(leaks(kept.files.get('contract.json')!).length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(kept.document.plan?.results)).length).toBeGreaterThan(0);
    expect(doc).toContain('Alice Martin');
    expect(leaks(kept.stderr).length).toBeGreaterThan(0);
  });

  it('writes no planted value to the audit file, contract, HTML, Markdown or stderr by default', () => {
    for (const name of ['audit.json', 'contract.json', 'report.html', 'summary.md'])
      expect({ name, leaks: leaks(masked.files.get(name) ?? '') }).toEqual({ name, leaks: [] });
    expect(leaks(masked.stderr)).toEqual([]);
    expect(masked.files.get('contract.json')!.length).toBeGreaterThan(100);
  });

  it('treats the columns as personal in both files: reach from the reference, customer_name and phone by name', () => {
    const found = masked.document.redaction!;
    expect(found.mode).toBe('personal');
    const datasets = masked.document.datasets.map((d) => d.id);
    expect(datasets).toHaveLength(2);
    // Drift leaves personal columns out of the comparison and the plan out of the rule search.
    const status = (column: string): string | undefined =>
      masked.document.drift?.report?.columns.find((c) => c.column === column)?.status;
    expect(status('reach')).toBe('skipped');
    expect(status('customer_name')).toBe('skipped');
    expect(status('amount')).toBe('no-drift');
    const left = masked.document.plan?.results?.excludedColumns ?? [];
    expect(left).toContainEqual({ column: 'reach', reason: 'personal data' });
    // The phone used as the ID: time-order's example is masked to its shape.
    const order = masked.document.findings.find((f) => f.check === 'time-order');
    expect(order?.evidence.exampleId).toMatch(/^\+99 9999 9{6}$/);
  });

  it('the saved audit holds no planted value either', () => {
    const saved = redactForStorage(unmarked(kept.document));
    expect(saved.redaction?.mode).toBe('personal');
    expect(leaks(JSON.stringify(saved))).toEqual([]);
  });

  it('marking columns personal after drift and the plan ran re-redacts what they computed', () => {
    const doc = unmarked(kept.document);
    const exported = redactForExport(doc, 'personal');
    expect(leaks(JSON.stringify(exported))).toEqual([]);
    // Masked, not dropped: the drift shares and rule buckets are still there, as shapes.
    const names = exported.drift?.report?.columns.find((c) => c.column === 'customer_name');
    expect(names?.shares.length).toBeGreaterThan(10);
    expect(names?.shares.some((s) => s.label === 'Aaaaa Aaaaaa')).toBe(true);
    const rules = exported.plan?.results?.ruleSearch.find((r) => r.feature === 'reach');
    expect(rules?.buckets.length).toBeGreaterThan(3);
    expect(rules?.buckets.some((b) => typeof b.key === 'string' && /^a+\.a+9+@a+\.a+$/.test(b.key))).toBe(
      true,
    );
  });

  it('"aggregates only" drops every category label, of every column', () => {
    const strict = redactForExport(unmarked(kept.document), 'strict');
    const plan = strict.drift?.report?.columns.find((c) => c.column === 'plan');
    expect(plan?.categories?.every((c) => /^a+$/.test(c))).toBe(true);
    expect(JSON.stringify(strict)).not.toMatch(/"basic"|"plus"|"partner"/);
  });
});

describe('the monitoring contract of a personal column', () => {
  it('replaces its categories by SQL parameters that bind back to the same statistic', async () => {
    const doc = unmarked(kept.document);
    const plain = MonitoringContractSchema.parse(JSON.parse(kept.files.get('contract.json')!));
    const redacted = MonitoringContractSchema.parse(
      JSON.parse(exportContractFile(doc, plain, 'personal').text),
    );
    const before = plain.columns.find((c) => c.column === 'customer_name')!;
    const after = redacted.columns.find((c) => c.column === 'customer_name')!;
    expect(before.categories!.length).toBeGreaterThan(5);
    expect(leaks(JSON.stringify(redacted))).toEqual([]);
    expect(after.bucketSql).toContain('$personal_');
    expect(redacted.notes.some((n) => n.includes('customer_name') && n.includes('EXECUTE'))).toBe(true);

    // Bound to the withheld values, the parameterised SQL gives the unredacted statistic.
    const { engine } = await import('../../support/engine');
    const conn = await engine();
    try {
      await conn.query(`CREATE TABLE current_data AS SELECT * FROM read_csv('${current}')`);
      const psi = (c: typeof before): string => c.statistics.find((s) => s.name === 'psi')!.sql;
      const expected = await conn.query(psi(before));
      const names = [...after.bucketSql.matchAll(/\$(personal_\d+_\d+)/g)].map((m) => m[1]!);
      const binds = [...new Set(names)]
        .map((n) => `${n} := '${before.categories![Number(n.split('_')[2]) - 1]!.replaceAll("'", "''")}'`)
        .join(', ');
      await conn.query(`PREPARE q AS ${psi(after)}`);
      const bound = await conn.query(`EXECUTE q(${binds})`);
      expect(Number(bound[0]!.psi)).toBeCloseTo(Number(expected[0]!.psi), 12);
    } finally {
      await conn.close();
    }
  }, 120_000);
});

/** The kept run's document with the planted columns personal again (as if the user marked them after the analyses). */
function unmarked(doc: AuditDocument): AuditDocument {
  let out: AuditDocument = { ...doc, redaction: { mode: 'none', maskedColumns: 0, maskedValues: 0 } };
  for (const d of doc.datasets)
    for (const column of ['reach', 'customer_name', 'phone']) {
      out = markNotPersonal(out, d.id, column, false);
      if (column === 'reach') out = markPersonal(out, d.id, column, true);
    }
  return out;
}
