import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadBytes, loadFile } from '../../../support/engine';
import { suggestRolesFor } from '../../../../src/lib/session/readiness';
import { generateChurnDataset } from '../../../../scripts/lib/synthetic';
import {
  inferTask,
  rolesToApply,
  suggestRoles,
  type RoleStats,
  type TargetSpelling,
} from '../../../../src/lib/core/readiness/roles';
import { labelSpellingsQuery } from '../../../../src/lib/core/sql/readiness-setup';
import type { ColumnSchema } from '../../../../src/lib/core/model/audit';
import { CORPUS } from '../../../fixtures/corpus/manifest';

/**
 * Issue 17 §5: target suggestions beyond label-like names, the task read from the
 * target's values, the minority class as the positive one, and a source system
 * that is offered, never applied.
 */

const conn = useEngine();

/** One column's suggestion from counts alone: n rows, `distinct` values. */
function targetOf(name: string, type: string, distinct: number, rows = 500): string | undefined {
  const stats: RoleStats = { rows, columns: { [name]: { nonNull: rows, distinct } } };
  return suggestRoles([{ name, type }], stats).roles.target;
}

async function spellingsOf(table: string, column: string): Promise<TargetSpelling[]> {
  return (await conn.query(labelSpellingsQuery(table, column))).map((r) => ({
    raw: r.raw === null ? null : String(r.raw),
    label: r.label === null ? null : String(r.label),
    rows: Number(r.rows),
  }));
}

/** A CSV of one column per entry, `rows` rows, values from each generator. */
function csv(columns: Record<string, (i: number) => string | number>, rows: number): string {
  const names = Object.keys(columns);
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => String(columns[n]!(i))).join(','));
  return `${lines.join('\n')}\n`;
}

describe('outcome-like names with 2–20 values are suggested as the target', () => {
  it.each(['outcome', 'diagnosis', 'species', 'vote', 'choice', 'grade', 'cultivar', 'Survived'])(
    '“%s” with 3 values fires',
    (name) => {
      expect(targetOf(name, 'VARCHAR', 3)).toBe(name);
    },
  );

  it.each(['loan_status', 'claim status', 'ApplicationStatus'])('a case status “%s” fires', (name) => {
    expect(targetOf(name, 'VARCHAR', 4)).toBe(name);
  });

  it.each([
    ['marital_status', 'a personal attribute'],
    ['employment_status', 'a personal attribute'],
    ['Incumbent_Challenger_Status', 'a candidate attribute (vega political-contributions)'],
    ['status', 'a record’s processing state (vega earthquakes: reviewed / automatic)'],
    ['children', 'a low-cardinality count'],
    ['educ', 'a low-cardinality feature'],
    ['gap_species_code', 'a code that only contains an outcome word'],
  ])('“%s” stays quiet: %s', (name) => {
    expect(targetOf(name, 'VARCHAR', 4)).toBeUndefined();
  });

  it('stays quiet outside 2–20 values: 1 value, or 21', () => {
    expect(targetOf('diagnosis', 'VARCHAR', 1)).toBeUndefined();
    expect(targetOf('diagnosis', 'VARCHAR', 21)).toBeUndefined();
    expect(targetOf('loan_status', 'VARCHAR', 21)).toBeUndefined();
  });

  it('prefers a case status to a grade (in a loan book the grade is a feature)', () => {
    const columns: ColumnSchema[] = [
      { name: 'grade', type: 'VARCHAR' },
      { name: 'loan_status', type: 'VARCHAR' },
    ];
    const stats: RoleStats = {
      rows: 100,
      columns: { grade: { nonNull: 100, distinct: 7 }, loan_status: { nonNull: 100, distinct: 2 } },
    };
    expect(suggestRoles(columns, stats).roles.target).toBe('loan_status');
  });

  it('suggests continuous numbers named like the value to predict, not a coordinate or an edge end', () => {
    expect(targetOf('target', 'DOUBLE', 300)).toBe('target');
    expect(targetOf('y', 'DOUBLE', 300)).toBe('y');
    const xy: ColumnSchema[] = [
      { name: 'x', type: 'DOUBLE' },
      { name: 'y', type: 'DOUBLE' },
    ];
    const both = { nonNull: 300, distinct: 300 };
    expect(suggestRoles(xy, { rows: 300, columns: { x: both, y: both } }).roles.target).toBeUndefined();
    const edges: ColumnSchema[] = [
      { name: 'source', type: 'INTEGER' },
      { name: 'target', type: 'INTEGER' },
    ];
    const ends = { nonNull: 300, distinct: 250 };
    expect(
      suggestRoles(edges, { rows: 300, columns: { source: ends, target: ends } }).roles.target,
    ).toBeUndefined();
  });
});

describe('the task read from the target’s values', () => {
  it('a planted loan book: loan_status is the target, binary, and the minority “Charged Off” is the positive class', async () => {
    const data = csv(
      {
        id: (i) => i + 1,
        age: (i) => 20 + ((i * 7) % 50),
        grade: (i) => 'ABCDEFG'[i % 7]!,
        marital_status: (i) => ['single', 'married', 'divorced'][i % 3]!,
        status: (i) => (i % 4 === 0 ? 'reviewed' : 'automatic'),
        loan_status: (i) => (i % 10 < 3 ? 'Charged Off' : 'Fully Paid'),
      },
      100,
    );
    const loaded = await loadBytes(conn, 'loans.csv', data);
    const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(s.roles.target).toBe('loan_status');
    expect(s.task).toMatchObject({ column: 'loan_status', task: 'binary', positiveClass: 'Charged Off' });
    expect(s.task!.positiveReason).toMatch(
      /“Charged Off” is the minority class \(30 of 100 labelled rows, 30 %\)/,
    );
    const candidates = s.suggestions.filter((x) => x.role === 'target').map((x) => x.column);
    expect(candidates).not.toContain('marital_status');
    expect(candidates).not.toContain('status');
  });

  it('text classes are multiclass; whole-number codes filling their range are multiclass; amounts are regression', async () => {
    const data = csv(
      {
        species: (i) => ['adelie', 'gentoo', 'chinstrap'][i % 3]!,
        rating: (i) => 1 + (i % 5),
        spread: (i) => [7, 8, 11, 12, 13, 14, 15, 18, 19, 20, 23, 24, 28, 37, 42][i % 15]!,
        flag: (i) => (i % 3 === 0 ? '1.0' : '0.0'),
        halves: (i) => 1 + (i % 4) / 2,
        amount: (i) => (i * 13.37) % 997,
      },
      60,
    );
    const loaded = await loadBytes(conn, 'tasks.csv', data);
    const col = (name: string): ColumnSchema => loaded.columns.find((c) => c.name === name)!;
    const task = async (name: string, distinct: number) =>
      inferTask(col(name), distinct, await spellingsOf(loaded.tableName, name));
    expect((await task('species', 3))?.task).toBe('multiclass');
    expect((await task('rating', 5))?.task).toBe('multiclass');
    const spread = await task('spread', 15);
    expect(spread?.task).toBe('regression');
    expect(spread?.reason).toMatch(/spread over 7 to 42/);
    expect(col('flag').type).toBe('DOUBLE');
    expect((await task('flag', 2))?.task).toBe('binary');
    expect((await task('halves', 4))?.task).toBe('regression');
    expect(inferTask(col('amount'), 60)?.task).toBe('regression');
    // Without their values, whole numbers and decimals with few values are not decided.
    expect(inferTask(col('rating'), 5)).toBeUndefined();
    expect(inferTask(col('halves'), 4)).toBeUndefined();
  });

  it('spellings of one class count once: “Yes”, “yes ” and “YES” against “no” is binary', async () => {
    const loaded = await loadBytes(
      conn,
      'spellings.csv',
      csv({ outcome: (i) => ['Yes', 'yes ', 'YES', 'no', 'no'][i % 5]! }, 50),
    );
    const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(s.roles.target).toBe('outcome');
    expect(s.task?.task).toBe('binary');
    expect(s.task?.positiveClass).toBe('no');
  });

  it('a true/false target is binary, with its minority value as the positive class', async () => {
    const loaded = await loadBytes(
      conn,
      'fraud.csv',
      csv({ amount: (i) => i * 3, is_fraud: (i) => (i % 8 === 0 ? 'true' : 'false') }, 80),
    );
    expect(loaded.columns.find((c) => c.name === 'is_fraud')?.type).toBe('BOOLEAN');
    const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(s.task).toMatchObject({ column: 'is_fraud', task: 'binary', positiveClass: 'true' });
    expect(s.task?.positiveReason).toContain('(10 of 80 labelled rows');
  });
});

interface Reference {
  file: string;
  target: string;
  sklearn: 'binary' | 'multiclass' | 'continuous';
  distinct: number;
  labelled: number;
  min?: number;
  max?: number;
  minority?: string;
  minorityRows?: number;
}
const REFERENCE = JSON.parse(
  readFileSync(join(FIXTURES, 'roles/task-reference.json'), 'utf8'),
) as Reference[];

describe('real data: the corpus targets a senior data scientist chose', () => {
  it.each(REFERENCE.map((r) => [r.file, r] as const))(
    '%s: the task matches scikit-learn’s type_of_target (with the 20-class and spread rules) and the manifest',
    async (file, ref) => {
      const loaded = await loadFile(conn, join(FIXTURES, 'corpus', file));
      const column = loaded.columns.find((c) => c.name === ref.target)!;
      const inferred = inferTask(column, ref.distinct, await spellingsOf(loaded.tableName, ref.target));
      const spread =
        ref.min !== undefined && ref.max !== undefined && ref.distinct * 2 < ref.max - ref.min + 1;
      const expected =
        ref.sklearn === 'continuous' || (ref.sklearn === 'multiclass' && (ref.distinct > 20 || spread))
          ? 'regression'
          : ref.sklearn;
      expect(inferred?.task).toBe(expected);
      const flags = CORPUS.find((e) => e.file === file)!.flags;
      expect(inferred?.task).toBe(flags[flags.indexOf('--task') + 1]);
      if (ref.minority !== undefined) {
        expect(inferred?.positiveClass).toBe(ref.minority);
        expect(inferred?.positiveReason).toContain(`(${ref.minorityRows} of ${ref.labelled} labelled rows`);
      }
    },
  );

  const SUGGESTED: Record<string, string> = {
    'anes96.csv': 'vote',
    'breast_cancer.csv': 'diagnosis',
    'iris.csv': 'species',
    'modechoice.csv': 'choice',
    'wine.csv': 'cultivar',
    // Held out (R's MASS biopsy): its outcome column is `class`, benign or malignant.
    'r-biopsy.csv': 'class',
  };
  it.each(CORPUS.map((e) => [e.file, e] as const))(
    '%s: the suggested target is the manifest’s, or none; never a low-cardinality feature',
    async (file, entry) => {
      const loaded = await loadFile(conn, join(FIXTURES, 'corpus', file));
      const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
      expect(s.roles.target).toBe(SUGGESTED[file]);
      if (s.roles.target) {
        expect(s.roles.target).toBe(entry.flags[entry.flags.indexOf('--target') + 1]);
        expect(s.task?.task).toBe(entry.flags[entry.flags.indexOf('--task') + 1]);
      }
    },
  );

  it('anes96: educ, PID and TVnews (7–8 values each) are not target candidates; vote is, with Dole (1) the minority', async () => {
    const loaded = await loadFile(conn, join(FIXTURES, 'corpus/anes96.csv'));
    const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(s.suggestions.filter((x) => x.role === 'target').map((x) => x.column)).toEqual(['vote']);
    expect(s.task?.positiveClass).toBe('1');
  });
});

describe('a source system is offered, never applied without asking', () => {
  it('the churn demo suggests source_system, and the roles to apply leave it out', async () => {
    const loaded = await loadBytes(conn, 'churn.csv', generateChurnDataset({ rows: 1500 }).csv);
    const s = await suggestRolesFor(conn, { tableName: loaded.tableName, columns: loaded.columns });
    expect(s.roles.source).toBe('source_system');
    const applied = rolesToApply(s);
    expect(applied.source).toBeUndefined();
    expect(applied.target).toBe('churned');
    expect(applied.id).toBe('customer_id');
    // The suggestion itself is not changed.
    expect(s.roles.source).toBe('source_system');
  });
});
