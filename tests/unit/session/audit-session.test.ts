import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { useEngine, FIXTURES, ROOT } from '../../support/engine';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { bytesSource, fileSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import { primaryDatasetId, rolesOf } from '../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { checksToRerun } from '../../../src/lib/core/readiness/registry';
import {
  AuditSession,
  memoryAuditStore,
  type AuditStorePort,
  type SessionError,
  type SessionNotice,
  type TaskState,
} from '../../../src/lib/session';

const conn = useEngine();
let session: AuditSession;
const saves: AuditDocument[] = [];
const errors: SessionError[] = [];
const notices: SessionNotice[] = [];

/** An in-memory store that records what the session saves. */
function recordingStore(): AuditStorePort {
  const inner = memoryAuditStore();
  return {
    load: (id) => inner.load(id),
    save: async (doc) => {
      saves.push(doc);
      return inner.save(doc);
    },
  };
}

/** Readiness checks a task reported running, from its progress lines. */
function checksRun(details: readonly string[]): string[] {
  const checks = details.map((d) => /^Readiness: .*, check \d+ of \d+ \(([a-z0-9-]+)\)$/.exec(d)?.[1]);
  return [...new Set(checks)].filter((c): c is string => c !== undefined && c !== 'setup' && c !== 'done');
}

async function tableExists(name: string): Promise<boolean> {
  const rows = await conn.query(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = '${name}'`,
  );
  return rows[0]?.n === 1;
}

beforeAll(async () => {
  session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: recordingStore(),
  });
  session.on('error', (e) => errors.push(e));
  session.on('notice', (n) => notices.push(n));
  const audit = newAudit('demo', 'session-demo');
  audit.context.asOf = '2026-11-01';
  session.open(audit);
});

describe('audit session', () => {
  it('loads a file into a registered table and saves the document through the port', async () => {
    const outcome = await session.addSources(
      [await fileSource(join(ROOT, 'public/demo/customer-churn.csv'))],
      {},
      {
        analyse: false,
      },
    );
    expect(outcome.failed).toEqual([]);
    expect(outcome.loaded).toHaveLength(1);
    const id = outcome.loaded[0]!;
    const table = session.tableName(id)!;
    expect(await tableExists(table)).toBe(true);
    expect(session.tables.get(id)?.rowCount).toBe(12_000);
    expect(session.audit?.datasets.map((d) => d.id)).toEqual([id]);
    expect(saves.at(-1)?.datasets).toHaveLength(1);
    expect(session.canReload(id)).toBe(true);
    const page = await session.previewPage(id, 10, 5);
    expect(page).toHaveLength(5);
    expect(Object.keys(page[0]!)).toContain('churned');
  });

  it('analyses: profiles, applies suggested roles the first time, runs the checks and derives the verdict', async () => {
    const suggested: string[] = [];
    const off = session.on('roles-suggested', (e) => suggested.push(e.suggestions.roles.target ?? ''));
    // The profile shows before readiness ends: an unsaved document with profiles and no findings yet.
    const savesBefore = saves.length;
    const early: { rows: number | undefined; findings: number; saved: number }[] = [];
    const offAudit = session.on('audit', (doc) => {
      const profile = doc && Object.values(doc.profiles)[0];
      if (profile && doc.findings.length === 0)
        early.push({ rows: profile.rows, findings: doc.findings.length, saved: saves.length });
    });
    const outcome = await session.analyse();
    off();
    offAudit();
    expect(early[0]).toEqual({ rows: 12_000, findings: 0, saved: savesBefore });
    expect(outcome).toBe('done');
    const audit = session.audit!;
    const id = primaryDatasetId(audit)!;
    expect(audit.profiles[id]?.rows).toBe(12_000);
    expect(suggested).toEqual(['churned']);
    expect(rolesOf(audit, id).target).toBe('churned');
    expect(audit.findings.length).toBeGreaterThan(10);
    expect(audit.verdict?.status).toBe('not-ready');
    expect(saves.at(-1)?.findings).toHaveLength(audit.findings.length);
    expect(errors).toEqual([]);
  });

  it('re-runs only the checks that depend on a changed role, and keeps the others', async () => {
    const before = session.audit!;
    const id = primaryDatasetId(before)!;
    const roles = rolesOf(before, id);
    const next = { ...roles, segments: roles.segments.includes('plan') ? [] : [...roles.segments, 'plan'] };
    const expected = checksToRerun(
      { roles, context: before.context },
      { roles: next, context: before.context },
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected).not.toContain('labels-conflicting');

    const details: string[] = [];
    const off = session.on('task', (t) => t && details.push(t.detail));
    await session.setRoles(id, next);
    off();
    const ran = checksRun(details);
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.every((c) => (expected as readonly string[]).includes(c))).toBe(true);
    expect(ran).not.toContain('labels-conflicting');

    const after = session.audit!;
    expect(rolesOf(after, id).segments).toEqual(next.segments);
    const untouched = (a: AuditDocument): string[] =>
      a.findings
        .filter((f) => !(expected as readonly string[]).includes(f.check))
        .map((f) => f.id)
        .sort();
    expect(untouched(after)).toEqual(untouched(before));
    // The profile is reused, not recomputed.
    expect(after.profiles[id]?.computedAt).toBe(before.profiles[id]?.computedAt);
  });

  it('cancels a running analysis, says so, and keeps the last saved results', async () => {
    const before = session.audit!;
    const savesBefore = saves.length;
    const off = session.on('task', (t) => {
      if (t && t.fraction !== undefined && t.fraction > 0 && !t.cancelled) session.cancel();
    });
    const outcome = await session.analyse({ reprofile: true });
    off();
    expect(outcome).toBe('cancelled');
    expect(notices.at(-1)).toEqual({
      kind: 'info',
      text: 'Analysis cancelled. Results so far were not saved.',
    });
    expect(session.audit).toBe(before);
    expect(saves.length).toBe(savesBefore);
    expect(session.task).toBeUndefined();
  });

  it('runs queued tasks one after another', async () => {
    const events: string[] = [];
    const off = session.on('task', (t) => {
      const mark = t ? `run ${t.id}` : 'end';
      if (events.at(-1) !== mark) events.push(mark);
    });
    const first = session.runTask('one', async (task) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      task.progress('halfway', 0.5);
      return 1;
    });
    const second = session.runTask('two', async () => 2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    off();
    const firstId = Number(events[0]?.split(' ')[1]);
    expect(events).toEqual([`run ${firstId}`, 'end', `run ${firstId + 1}`, 'end']);
  });

  it('removes a dataset: drops its table and its profile, roles and findings', async () => {
    const tiny = await session.addSources(
      [await fileSource(join(FIXTURES, 'formats/tiny.csv'))],
      {},
      {
        analyse: false,
      },
    );
    const tinyId = tiny.loaded[0]!;
    const table = session.tableName(tinyId)!;
    await session.analyse();
    expect(session.audit?.profiles[tinyId]).toBeDefined();
    const primaryBefore = primaryDatasetId(session.audit!);
    expect(primaryBefore).not.toBe(tinyId);
    const findingsBefore = session.audit!.findings.length;

    await session.removeDataset(tinyId);
    expect(await tableExists(table)).toBe(false);
    expect(session.tables.has(tinyId)).toBe(false);
    const audit = session.audit!;
    expect(audit.datasets.map((d) => d.id)).not.toContain(tinyId);
    expect(audit.profiles[tinyId]).toBeUndefined();
    expect(audit.roles[tinyId]).toBeUndefined();
    expect(primaryDatasetId(audit)).toBe(primaryBefore);
    expect(audit.findings).toHaveLength(findingsBefore);
    expect(saves.at(-1)?.datasets.map((d) => d.id)).not.toContain(tinyId);
  });

  it('reports a failed load as an error event and loads the other files', async () => {
    const count = errors.length;
    const outcome = await session.addSources(
      [bytesSource('empty.csv', ''), bytesSource('ok.csv', 'a,b\n1,2\n3,4\n')],
      {},
      { analyse: false },
    );
    expect(outcome.failed.map((f) => f.name)).toEqual(['empty.csv']);
    expect(outcome.loaded).toHaveLength(1);
    expect(errors.slice(count).map((e) => e.code)).toEqual(['load-failed']);
    await session.removeDataset(outcome.loaded[0]!);
  });
});

describe('audit session loading several files', () => {
  it('adds every file to the open audit and keeps an edit made while they load', async () => {
    const local = new AuditSession({
      engine: { connector: conn, decoders: nodeDecoders },
      store: memoryAuditStore(),
    });
    local.open(newAudit('several', 'several'));
    let renamed = false;
    local.on('task', (t) => {
      if (t?.label.startsWith('Loading') && t.detail !== '' && !renamed) {
        renamed = true;
        void local.rename('Renamed while loading');
      }
    });
    const outcome = await local.addSources(
      [
        await fileSource(join(FIXTURES, 'formats/tiny.csv')),
        await fileSource(join(FIXTURES, 'formats/tiny.json')),
      ],
      {},
      { analyse: false },
    );
    expect(renamed).toBe(true);
    expect(outcome.loaded).toHaveLength(2);
    expect(local.audit?.datasets.map((d) => d.fileName)).toEqual(['tiny.csv', 'tiny.json']);
    expect(local.audit?.name).toBe('Renamed while loading');
    expect(primaryDatasetId(local.audit!)).toBe(outcome.loaded[0]);
    for (const id of outcome.loaded) await local.removeDataset(id);
    expect(local.audit?.datasets).toEqual([]);
  });
});

describe('audit session reloading', () => {
  it('re-reads a file with other options into the same dataset and drops the old table', async () => {
    const local = new AuditSession({
      engine: { connector: conn, decoders: nodeDecoders },
      store: memoryAuditStore(),
    });
    local.open(newAudit('reload', 'reload'));
    const source = bytesSource('semi.csv', 'a;b\n1;2\n3;4\n');
    const first = await local.addSources([source], { csv: { delimiter: ',' } }, { analyse: false });
    const id = first.loaded[0]!;
    const oldTable = local.tableName(id)!;
    expect(local.tables.get(id)?.columns).toHaveLength(1);

    await local.reload(id, { csv: { delimiter: ';' } });
    expect(local.audit?.datasets.map((d) => d.id)).toEqual([id]);
    expect(local.tables.get(id)?.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(local.tableName(id)).not.toBe(oldTable);
    expect(await tableExists(oldTable)).toBe(false);
    expect(await tableExists(local.tableName(id)!)).toBe(true);
  });

  it('asks for the file again when its data is not in memory', async () => {
    const local = new AuditSession({
      engine: { connector: conn, decoders: nodeDecoders },
      store: memoryAuditStore(),
    });
    const seen: SessionNotice[] = [];
    local.on('notice', (n) => seen.push(n));
    expect(await local.reload('unknown', {})).toBeUndefined();
    expect(seen).toEqual([
      { kind: 'warning', text: 'Choose the file again first: its data is not in memory.' },
    ]);
  });
});

describe('audit session saving', () => {
  it('reports a failed save as a typed error and keeps the edit in memory', async () => {
    const failing: AuditStorePort = {
      load: async () => undefined,
      save: async () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    };
    const local = new AuditSession({ engine: { connector: conn, decoders: nodeDecoders }, store: failing });
    const seen: SessionError[] = [];
    local.on('error', (e) => seen.push(e));
    local.open(newAudit('quota', 'q1'));
    const saved = await local.rename('Renamed while the disk is full');
    expect(saved).toBe(false);
    expect(seen.map((e) => e.code)).toEqual(['save-failed']);
    expect(seen[0]?.message).toMatch(/quota has been exceeded/);
    expect(local.audit?.name).toBe('Renamed while the disk is full');
  });

  it('opens a saved audit through the port, and reports one that does not exist', async () => {
    const store = memoryAuditStore();
    await store.save(newAudit('kept', 'k1'));
    const local = new AuditSession({ engine: { connector: conn, decoders: nodeDecoders }, store });
    const seen: SessionError[] = [];
    local.on('error', (e) => seen.push(e));
    const tasks: (TaskState | undefined)[] = [];
    local.on('task', (t) => tasks.push(t));
    expect(await local.openSaved('k1')).toBe(true);
    expect(local.audit?.name).toBe('kept');
    expect(await local.openSaved('missing')).toBe(false);
    expect(seen.map((e) => e.code)).toEqual(['not-found']);
    expect(tasks).toEqual([]);
  });
});
