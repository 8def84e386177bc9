import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../support/engine';
import { main, type CliIO } from '../../../src/lib/cli';
import type { AuditDocument, Finding } from '../../../src/lib/core/model/audit';

const CSV = join(FIXTURES, 'formats/tiny.csv');
/** A fixed as-of date, so the date checks read the same on both runs. */
const AS_OF = '2026-11-01';

interface Run {
  code: number;
  err: string[];
  document?: AuditDocument;
}

async function audit(args: string[]): Promise<Run> {
  const err: string[] = [];
  let out = '';
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => err.push(...text.split('\n').filter((line) => line !== '')),
    writeFile: async () => {},
  };
  const code = await main([CSV, '--as-of', AS_OF, ...args], io);
  return { code, err, ...(out ? { document: JSON.parse(out) as AuditDocument } : {}) };
}

// DuckDB first: chdb switches the process to the ClickHouse dialect for good (one engine per process).
let duckdb: Run;
let chdb: Run;
beforeAll(async () => {
  duckdb = await audit([]);
  chdb = await audit(['--engine', 'chdb', '--query-timeout', '60']);
});

/** Relative closeness for sums the engines add in different orders. */
const close = (a: number | null | undefined, b: number | null | undefined): boolean =>
  a === b ||
  (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

const isCouldNotRun = (f: Finding): boolean => f.severity === 'major' && / could not run: /.test(f.title);

describe('npm run audit -- --engine chdb', () => {
  it('writes an audit document, as DuckDB does', () => {
    expect(duckdb.document).toBeDefined();
    expect(chdb.err.filter((line) => line.startsWith('error:'))).toEqual([]);
    expect(chdb.document).toBeDefined();
    expect(chdb.code).not.toBe(1);
    expect(chdb.code).toBe(duckdb.code);
  });

  it('profiles the file with the numbers DuckDB gives', () => {
    const a = Object.values(duckdb.document!.profiles)[0]!;
    const b = Object.values(chdb.document!.profiles)[0]!;
    expect(b.rows).toBe(a.rows);
    const summary = (p: typeof a) =>
      p.columns.map((c) => ({
        name: c.name,
        type: c.type,
        family: c.family,
        count: c.count,
        missing: c.missing,
        distinct: c.distinct.value,
      }));
    expect(summary(b)).toEqual(summary(a));
    for (const [i, col] of a.columns.entries()) {
      const other = b.columns[i]!;
      if (!col.numeric) continue;
      for (const key of ['min', 'max', 'mean', 'std'] as const)
        expect(close(other.numeric?.[key], col.numeric[key]), `${col.name}.${key}`).toBe(true);
    }
  });

  it('every finding is DuckDB’s, or a check that could not run on ClickHouse (major), or the one ClickHouse-only info', () => {
    // Finding ids carry each run's random dataset id: compared by check and title.
    const key = (f: Finding): string => `${f.check}: ${f.title}`;
    const duck = new Set(duckdb.document!.findings.map(key));
    const extra = chdb.document!.findings.filter((f) => !duck.has(key(f)));
    // ClickHouse keeps no row order (SqlDialect.rowOrder), so time-order says so instead of judging it.
    const noRowOrder = (f: Finding): boolean => f.check === 'time-order' && f.id.endsWith(':no-row-order');
    expect(extra.filter(noRowOrder).map((f) => f.severity)).toEqual(['info']);
    expect(extra.filter((f) => !isCouldNotRun(f) && !noRowOrder(f)).map((f) => f.title)).toEqual([]);
  });
});
