import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, FIXTURES, loadBytes, loadFile } from '../../support/engine';
import { LoadError } from '../../../src/lib/engine/errors';

/**
 * Issue 17 §5: a file that parses to one column while its header holds several
 * names is read with the delimiter the evidence shows, or refused with a message
 * naming it; never loaded as one column with a "duplicate column name" warning.
 */

const conn = useEngine();

const SPACE = readFileSync(join(FIXTURES, 'bad/space-separated.csv'), 'utf8');

describe('a space-separated file with quoted names (spector.csv’s layout)', () => {
  it('is read with the space delimiter, with a warning that says so', async () => {
    const loaded = await loadFile(conn, join(FIXTURES, 'bad/space-separated.csv'));
    expect(loaded.columns.map((c) => c.name)).toEqual(['OBS', 'GPA', 'TUCE', 'PSI', 'GRADE']);
    expect(loaded.columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'BIGINT', 'BIGINT', 'BIGINT']);
    expect(loaded.rowCount).toBe(32);
    expect(loaded.csvDialect?.delimiter).toBe(' ');
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(
      /is separated by spaces, not commas: it was read with that delimiter into 5 columns/,
    );
    expect(loaded.warnings.join(' ')).not.toMatch(/duplicate/);
    // The values are the file's: the first data row.
    const first = SPACE.split('\n')[1]!.split(' ').map(Number);
    const [row] = await conn.query(`SELECT * FROM "${loaded.tableName}" WHERE OBS = 1`);
    expect([row!.OBS, row!.GPA, row!.TUCE, row!.PSI, row!.GRADE].map(Number)).toEqual(first);
  });

  it('is refused, naming spaces and how to set them, when some rows split differently', async () => {
    const lines = SPACE.trimEnd().split('\n');
    lines[7] = `${lines[7]} 9`; // line 8 gets a sixth field
    const error = await loadBytes(conn, 'ragged-spaces.csv', `${lines.join('\n')}\n`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).code).toBe('malformed-csv');
    expect((error as LoadError).message).toMatch(
      /reads as a single column, but its header holds 5 names separated by spaces \(“OBS”, “GPA”, “TUCE”, “PSI”, “GRADE”\): it is most likely separated by spaces, not commas\. It was not loaded: 31 of 32 rows split into 5 fields that way, but line 8 splits into 6.*Load it again with the delimiter set to spaces/,
    );
  });

  it('an explicit delimiter is obeyed as given, with no guess', async () => {
    const loaded = await loadBytes(conn, 'spaces.csv', SPACE, { csv: { delimiter: ' ' } });
    expect(loaded.columns).toHaveLength(5);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('files that rightly stay one column, or stay as read', () => {
  it('one column of names under a two-word header stays one column', async () => {
    const names = ['Ann Smith', 'Bo Li', 'Carla de la Cruz', 'Dev Patel', 'Eve Stone'];
    const loaded = await loadBytes(conn, 'names.csv', `full name\n${names.join('\n')}\n`);
    expect(loaded.columns.map((c) => c.name)).toEqual(['full name']);
    expect(loaded.rowCount).toBe(5);
  });

  it('one column of comments, some with numbers, stays one column', async () => {
    const rows = ['late by 2 days', 'ok', 'refund 10 eur requested', 'called twice', 'box 3 of 4 damaged'];
    const loaded = await loadBytes(conn, 'comments.csv', `customer comment\n${rows.join('\n')}\n`);
    expect(loaded.columns.map((c) => c.name)).toEqual(['customer comment']);
  });

  it.each(readdirSync(join(FIXTURES, 'corpus')).filter((f) => f.endsWith('.csv')))(
    'corpus %s loads as before: no delimiter guess',
    async (file) => {
      const loaded = await loadFile(conn, join(FIXTURES, 'corpus', file));
      expect(loaded.columns.length).toBeGreaterThan(1);
      expect(loaded.warnings.filter((w) => /is separated by/.test(w))).toEqual([]);
    },
  );
});
