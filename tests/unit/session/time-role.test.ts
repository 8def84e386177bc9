import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { useEngine, FIXTURES } from '../../support/engine';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { bytesSource, fileSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import { rolesOf } from '../../../src/lib/core/audit/edits';
import { roleStatsFromProfile, suggestRoles } from '../../../src/lib/core/readiness/roles';
import { AuditSession, memoryAuditStore, type SessionError } from '../../../src/lib/session';

const conn = useEngine();

/** 200 rows: a text column named like a time, calendar years, real dates, fractions, a label. */
function extract(): string {
  const lines = ['customer,created_at,year,signup,score,churned'];
  for (let i = 0; i < 200; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `c${i},${['alpha', 'beta', 'gamma', 'delta'][i % 4]},${1960 + (i % 50)},2024-03-${day},0.${(i % 9) + 1},${i % 3 === 0 ? 'Yes' : 'No'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function newSession(store = memoryAuditStore()): { session: AuditSession; errors: SessionError[] } {
  const session = new AuditSession({ engine: { connector: conn, decoders: nodeDecoders }, store });
  const errors: SessionError[] = [];
  session.on('error', (e) => errors.push(e));
  return { session, errors };
}

describe('time roles set through the session', () => {
  it('refuses a time role on a column that cannot be read as time, with a message and no blocker', async () => {
    const { session, errors } = newSession();
    session.open({
      ...newAudit('time roles', 'time-roles'),
      context: { ...newAudit('x', 'x').context, asOf: '2026-11-01' },
    });
    const outcome = await session.addSources([bytesSource('extract.csv', extract())]);
    const id = outcome.loaded[0]!;
    expect(session.audit?.verdict).toBeDefined();
    const before = rolesOf(session.audit!, id);
    const findingsBefore = session.audit!.findings.map((f) => f.id);

    expect((await session.setRoles(id, { ...before, eventTime: 'customer' })).set).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['role-refused']);
    expect(errors[0]!.message).toMatch(/“customer”.*parses as dates/);
    expect(rolesOf(session.audit!, id).eventTime).toBe(before.eventTime);
    expect(session.audit!.findings.map((f) => f.id)).toEqual(findingsBefore);

    expect((await session.setRoles(id, { ...before, outcomeTime: 'score' })).set).toBe(false);
    expect(errors[1]?.message).toMatch(/“score”/);
    expect(rolesOf(session.audit!, id).outcomeTime).toBe(before.outcomeTime);
    expect(session.audit!.findings.some((f) => f.severity === 'blocker' && /score/.test(f.title))).toBe(
      false,
    );
  });

  it('accepts integer years and dates as time roles and re-runs the time checks', async () => {
    const { session, errors } = newSession();
    session.open(newAudit('years', 'years'));
    const outcome = await session.addSources([bytesSource('extract.csv', extract())]);
    const id = outcome.loaded[0]!;
    const roles = rolesOf(session.audit!, id);
    expect((await session.setRoles(id, { ...roles, eventTime: 'year', outcomeTime: 'signup' })).set).toBe(
      true,
    );
    expect(errors).toEqual([]);
    expect(rolesOf(session.audit!, id)).toMatchObject({ eventTime: 'year', outcomeTime: 'signup' });
    // A role already set is not judged again (no engine work for an unrelated change).
    expect(
      await session.timeRoleProblem(id, { ...rolesOf(session.audit!, id), segments: ['created_at'] }),
    ).toBeUndefined();
  });

  it('never suggests a time role for a column named like a time whose values are not time', async () => {
    const { session } = newSession();
    session.open(newAudit('suggest', 'suggest'));
    const rows = Array.from({ length: 120 }, (_, i) => `film ${i},${80 + (i % 90)},${i % 4 === 0}`);
    const csv = `title,Running Time,award\n${rows.join('\n')}\n`;
    const outcome = await session.addSources([bytesSource('films.csv', csv)]);
    const id = outcome.loaded[0]!;
    const audit = session.audit!;
    // The name alone would make the minutes the event time…
    const byName = suggestRoles(audit.datasets[0]!.columns, roleStatsFromProfile(audit.profiles[id]!));
    expect(byName.roles.eventTime).toBe('Running Time');
    // …but its values are not dates, so the session does not apply that suggestion.
    const roles = rolesOf(audit, id);
    expect(roles.eventTime).toBeUndefined();
    expect(roles.outcomeTime).not.toBe('Running Time');
  });

  it('refuses a new time role while the data is not in memory, unless the column is a date type', async () => {
    const store = memoryAuditStore();
    const first = newSession(store);
    first.session.open(newAudit('saved', 'saved-time'));
    const id = (
      await first.session.addSources([bytesSource('extract.csv', extract())], {}, { analyse: false })
    ).loaded[0]!;
    const { session, errors } = newSession(store);
    expect(await session.openSaved('saved-time')).toBe(true);
    const roles = rolesOf(session.audit!, id);
    expect((await session.setRoles(id, { ...roles, eventTime: 'year' })).set).toBe(false);
    expect(errors[0]?.message).toMatch(/choose “extract\.csv” again/);
    expect((await session.setRoles(id, { ...roles, eventTime: 'signup' })).set).toBe(true);
  });
});

describe('re-attaching a workbook', () => {
  it('reloads the sheet the saved audit was made on, not the largest one', async () => {
    const workbook = join(FIXTURES, 'formats/notes-first.xlsx');
    const store = memoryAuditStore();
    const first = newSession(store);
    first.session.open(newAudit('workbook', 'workbook-audit'));
    const loaded = await first.session.addSources(
      [await fileSource(workbook)],
      { sheet: 'Regions' },
      {
        analyse: false,
      },
    );
    const id = loaded.loaded[0]!;
    expect(first.session.audit?.datasets[0]?.sheet).toBe('Regions');

    // A new tab: the saved audit reopens without data, and the user chooses the same file again.
    const { session, errors } = newSession(store);
    expect(await session.openSaved('workbook-audit')).toBe(true);
    const again = await session.addSources([await fileSource(workbook)], {}, { analyse: false });
    expect(errors).toEqual([]);
    expect(again.loaded).toEqual([id]);
    expect(session.tables.get(id)?.sheet).toBe('Regions');
    expect(session.tables.get(id)?.rowCount).toBe(4);
    expect(session.audit?.datasets.map((d) => d.sheet)).toEqual(['Regions']);

    // A sheet the caller names still wins.
    await session.reload(id, { sheet: 'Customers' });
    expect(session.audit?.datasets.find((d) => d.id === id)?.sheet ?? session.audit?.datasets[0]?.sheet).toBe(
      'Customers',
    );
  });
});
