import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTests } from '../../../src/lib/cli/export-contract';

const OWN =
  '-- No row of t is a copy.\n-- Rule duplicate-rows:t, from the Sprint Zero audit "x" as of 1 Nov 2026.\nselect 1\n';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an export into a folder an earlier export filled', () => {
  it("removes only this tool's singular tests the new export did not write; the client's own tests and other files stay", async () => {
    dir = mkdtempSync(join(tmpdir(), 'sz-stale-'));
    const tests = join(dir, 'dbt/tests');
    mkdirSync(tests, { recursive: true });
    const kept = join(tests, 'duplicate_rows_t.sql');
    const stale = join(tests, 'freshness_t_snapshot_date.sql');
    const clients = join(tests, 'client_rule.sql');
    const notes = join(tests, 'README.md');
    writeFileSync(kept, OWN);
    writeFileSync(stale, OWN.replace('duplicate-rows', 'freshness'));
    writeFileSync(clients, '-- our own check\nselect * from orders where amount < 0\n');
    writeFileSync(notes, OWN);

    const removed = await removeStaleTests(dir, [kept, join(dir, 'x.odcs.yaml')]);

    expect(removed).toEqual([stale]);
    expect([kept, clients, notes].map(existsSync)).toEqual([true, true, true]);
    expect(existsSync(stale)).toBe(false);
  });

  it('does nothing when DIR has no dbt tests folder yet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sz-stale-'));
    expect(await removeStaleTests(dir, [])).toEqual([]);
  });
});
