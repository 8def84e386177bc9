import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import Dexie from 'dexie';
import { AuditDB } from '../../../src/lib/store/db';
import {
  saveAudit,
  getAudit,
  importAudit,
  liveAudit,
  liveAuditFromOtherTabs,
  AuditSaveError,
  StaleAuditError,
  deleteAudit,
} from '../../../src/lib/store/audits';
import { newAudit } from '../../../src/lib/core/model/document';
import { auditWithEmail } from '../core/redact/pii-audit';

let n = 0;
const fresh = (): string => `storage-test-${++n}`;

describe('schema upgrade (Dexie version 1 → 2)', () => {
  it('opens a database written by version 1, adds revisions and masks the personal values it held', async () => {
    const name = fresh();
    const v1 = new Dexie(name);
    v1.version(1).stores({ audits: 'id, updatedAt, name' });
    const doc = auditWithEmail('old');
    await v1.table('audits').put({ id: 'old', name: doc.name, updatedAt: doc.updatedAt, document: doc });
    v1.close();

    const db = new AuditDB(name);
    await db.open();
    expect(db.verno).toBe(3);
    const record = await db.audits.get('old');
    expect(record?.revision).toBe(1);
    expect(JSON.stringify(record)).not.toContain('jane.doe@client.example');
    const audit = await getAudit(db, 'old');
    expect(audit?.revision).toBe(1);
    expect(audit?.redaction?.mode).toBe('personal');
    expect(audit?.profiles.d1?.columns[0]?.topK).toEqual([{ value: 'aaaa.aaa@aaaaaa.aaaaaaa', count: 2 }]);
    db.close();
  });
});

describe('schema upgrade (Dexie version 2 → 3)', () => {
  it('lists audits saved before version 3 from a summary table, their verdicts recomputed', async () => {
    const name = fresh();
    const v2 = new Dexie(name);
    v2.version(1).stores({ audits: 'id, updatedAt, name' });
    v2.version(2).stores({ audits: 'id, updatedAt, name' });
    // A forged "ready" beside an open blocker: the list must say Not ready.
    const doc = {
      ...auditWithEmail('old'),
      revision: 4,
      findings: [
        {
          id: 'leakage-single-feature:d1:email',
          check: 'leakage-single-feature',
          area: 'leakage' as const,
          severity: 'blocker' as const,
          title: 'email leaks the label',
          datasetId: 'd1',
          columns: ['email'],
          evidence: { auc: 1 },
          sql: 'SELECT 1',
          recommendation: 'Drop it.',
        },
      ],
      verdict: { status: 'ready', rule: 'trust me', byArea: [], openBlockers: [], openMajors: [] },
    };
    await v2
      .table('audits')
      .put({ id: 'old', name: doc.name, updatedAt: doc.updatedAt, revision: 4, document: doc });
    await v2
      .table('audits')
      .put({ id: 'broken', name: 'Broken', updatedAt: '2026-01-01', revision: 1, document: 7 });
    v2.close();

    const db = new AuditDB(name);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.summaries.get('old')).toEqual({
      id: 'old',
      name: doc.name,
      updatedAt: doc.updatedAt,
      datasetCount: 1,
      verdict: 'not-ready',
    });
    expect((await db.summaries.get('broken'))?.name).toBe('Broken');
    await deleteAudit(db, 'old');
    expect(await db.summaries.get('old')).toBeUndefined();
    db.close();
  });
});

describe('saving', () => {
  let db: AuditDB;
  beforeEach(async () => {
    db = new AuditDB(fresh());
    await db.open();
  });

  it('masks personal values in the saved audit unless the user opts in', async () => {
    const masked = await saveAudit(db, auditWithEmail('a'));
    expect(JSON.stringify(await db.audits.get('a'))).not.toContain('@client.example');
    expect(masked.redaction?.mode).toBe('personal');
    const kept = await saveAudit(db, { ...auditWithEmail('b'), storePersonalValues: true });
    expect(JSON.stringify(await db.audits.get('b'))).toContain('jane.doe@client.example');
    expect(kept.redaction?.mode).toBe('none');
  });

  it('turns a full disk (QuotaExceededError) into a clear error and keeps the saved version', async () => {
    const first = await saveAudit(db, newAudit('First', 'q'));
    db.audits.put = (() =>
      Promise.reject(
        new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      )) as unknown as typeof db.audits.put;
    const error = await saveAudit(db, { ...first, name: 'Second' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditSaveError);
    expect((error as AuditSaveError).reason).toBe('quota');
    expect((error as AuditSaveError).message).toMatch(/storage for this site is full/);
    expect((await new AuditDB(db.name).audits.get('q'))?.name).toBe('First');
  });

  it('turns a closed database into a clear error', async () => {
    const first = await saveAudit(db, newAudit('First', 'c'));
    db.close({ disableAutoOpen: true });
    const error = await saveAudit(db, first).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditSaveError);
    expect((error as AuditSaveError).reason).toBe('closed');
  });

  it('refuses an invalid document with a typed error', async () => {
    const audit = newAudit('Bad', 'i');
    const error = await saveAudit(db, { ...audit, context: { ...audit.context, asOf: 'soon' } }).catch(
      (e: unknown) => e,
    );
    expect((error as AuditSaveError).reason).toBe('invalid');
    expect(await db.audits.count()).toBe(0);
  });

  it('counts revisions and refuses a stale write from another tab instead of overwriting it', async () => {
    const base = await saveAudit(db, newAudit('Base', 's'), undefined, { writer: 'tab-1' });
    expect(base.revision).toBe(1);
    const fromTab2 = await saveAudit(db, { ...base, name: 'Tab 2' }, undefined, { writer: 'tab-2' });
    expect(fromTab2.revision).toBe(2);
    const stale = await saveAudit(db, { ...base, name: 'Tab 1' }, undefined, { writer: 'tab-1' }).catch(
      (e: unknown) => e,
    );
    expect(stale).toBeInstanceOf(StaleAuditError);
    expect((await getAudit(db, 's'))?.name).toBe('Tab 2');
    // Once tab 1 has the newer revision, its edit goes through.
    const rebased = await saveAudit(db, { ...fromTab2, name: 'Tab 1' }, undefined, { writer: 'tab-1' });
    expect(rebased.revision).toBe(3);
  });

  it("lets one tab's successive saves supersede each other", async () => {
    const base = await saveAudit(db, newAudit('Base', 't'), undefined, { writer: 'tab-1' });
    await saveAudit(db, { ...base, name: 'Edit 1' }, undefined, { writer: 'tab-1' });
    const second = await saveAudit(db, { ...base, name: 'Edit 2' }, undefined, { writer: 'tab-1' });
    expect(second.revision).toBe(3);
    expect((await getAudit(db, 't'))?.name).toBe('Edit 2');
  });

  it('shows an edit made in another tab through the live query', async () => {
    const saved = await saveAudit(db, newAudit('Shared', 'l'));
    const otherTab = new AuditDB(db.name);
    const seen: (string | undefined)[] = [];
    const subscription = liveAudit(db, 'l').subscribe((a) => seen.push(a?.name));
    await expect.poll(() => seen.at(-1)).toBe('Shared');
    await saveAudit(otherTab, { ...saved, name: 'Renamed elsewhere' }, undefined, { writer: 'tab-2' });
    await expect.poll(() => seen.at(-1)).toBe('Renamed elsewhere');
    subscription.unsubscribe();
    otherTab.close();
  });
});

describe('edits from other tabs', () => {
  it("emits another tab's saves, never this tab's own", async () => {
    const db = new AuditDB(fresh());
    const seen: (string | undefined)[] = [];
    const subscription = liveAuditFromOtherTabs(db, 'o').subscribe((a) => seen.push(a?.name ?? 'none'));
    const mine = await saveAudit(db, newAudit('Mine', 'o'));
    await expect.poll(() => seen.at(-1)).toBe('none');
    await saveAudit(db, { ...mine, name: 'Theirs' }, undefined, { writer: 'another-tab' });
    await expect.poll(() => seen.at(-1)).toBe('Theirs');
    expect(seen).not.toContain('Mine');
    subscription.unsubscribe();
    db.close();
  });
});

describe('importing', () => {
  let db: AuditDB;
  beforeEach(async () => {
    db = new AuditDB(fresh());
    await db.open();
  });

  it('replaces an id the route cannot open', async () => {
    const file = { ...newAudit('Odd id', 'x'), id: '../../<script>' };
    const imported = await importAudit(db, file, () => 'fresh-1');
    expect(imported.id).toBe('fresh-1');
    expect(await db.audits.count()).toBe(1);
  });

  it('starts the copy at revision 1, whatever the file says', async () => {
    const imported = await importAudit(db, { ...newAudit('Copy', 'r'), revision: 41 }, () => 'unused');
    expect(imported.revision).toBe(1);
  });

  it('two imports of the same file at once never share an id', async () => {
    const file = newAudit('Twice', 'same');
    let k = 0;
    const [a, b] = await Promise.all([
      importAudit(db, file, () => `copy-${++k}`),
      importAudit(db, file, () => `copy-${++k}`),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(await db.audits.count()).toBe(2);
  });
});
