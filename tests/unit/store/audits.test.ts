import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import { AuditDB } from '../../../src/lib/store/db';
import {
  saveAudit,
  getAudit,
  importAudit,
  deleteAudit,
  liveAuditSummaries,
  prepareImport,
  storeImported,
  discardImport,
  type AuditSummary,
} from '../../../src/lib/store/audits';
import { largeAudit } from '../../fixtures/large-audit';
import { newAudit } from '../../../src/lib/core/model/document';

let db: AuditDB;
let n = 0;
beforeEach(async () => {
  db = new AuditDB(`test-${++n}`);
  await db.open();
});

describe('audit store (IndexedDB via fake-indexeddb)', () => {
  it('saves and reads back an audit, stamping updatedAt', async () => {
    const saved = await saveAudit(db, newAudit('One', 'a1'), new Date('2026-11-25T12:00:00Z'));
    expect(saved.updatedAt).toBe('2026-11-25T12:00:00.000Z');
    expect(await getAudit(db, 'a1')).toEqual(saved);
  });

  it('refuses to write an invalid document and leaves the saved one intact', async () => {
    const good = await saveAudit(db, newAudit('One', 'a1'));
    const broken = { ...good, context: { ...good.context, asOf: 'yesterday' } };
    await expect(saveAudit(db, broken)).rejects.toThrow();
    expect(await getAudit(db, 'a1')).toEqual(good);
  });

  it('imports an audit with a clashing id as a copy, never overwriting', async () => {
    const original = await saveAudit(db, newAudit('Original', 'same-id'));
    const imported = await importAudit(db, { ...original, name: 'Changed elsewhere' }, () => 'fresh-id');
    expect(imported.id).toBe('fresh-id');
    expect(imported.name).toBe('Changed elsewhere (imported)');
    expect((await getAudit(db, 'same-id'))?.name).toBe('Original');
  });

  it('rejects a hostile import whole', async () => {
    await expect(
      importAudit(db, { format: 'sprint-zero-audit', version: 1, id: 'x', name: '<img src=x>' }, () => 'y'),
    ).rejects.toThrow(/damaged or incomplete/);
    expect(await db.audits.count()).toBe(0);
  });

  it('lists audits newest first through a live query that sees deletes', async () => {
    await saveAudit(db, newAudit('Old', 'a'), new Date('2026-01-01'));
    await saveAudit(db, newAudit('New', 'b'), new Date('2026-02-01'));
    const seen: AuditSummary[][] = [];
    const subscription = liveAuditSummaries(db).subscribe((v) => seen.push(v));
    await expect.poll(() => seen.at(-1)?.map((a) => a.name)).toEqual(['New', 'Old']);
    await deleteAudit(db, 'b');
    await expect.poll(() => seen.at(-1)?.map((a) => a.name)).toEqual(['Old']);
    subscription.unsubscribe();
  });
});

describe('importing an audit that asks to keep personal values', () => {
  const raw = 'person1.name@client1.example';

  it('stores it masked, and without the flag, unless the user chose to keep the values', async () => {
    const file = largeAudit({ emails: 5, id: 'asks', storePersonalValues: true, redactionMode: 'none' });
    const masked = await importAudit(db, file, () => 'unused');
    expect(masked.storePersonalValues).toBeUndefined();
    expect(masked.redaction?.mode).toBe('personal');
    expect(JSON.stringify(await db.audits.get('asks'))).not.toContain(raw);

    const kept = await importAudit(db, file, () => 'kept', { keepPersonalValues: true });
    expect(kept.id).toBe('kept');
    expect(kept.storePersonalValues).toBe(true);
    expect(JSON.stringify(await db.audits.get('kept'))).toContain(raw);
  });

  it('a cancelled import is discarded only when that import wrote the record', async () => {
    const mine = await saveAudit(db, newAudit('Mine', 'mine'));
    const prepared = prepareImport(largeAudit({ emails: 5, id: 'mine' }), () => 'copy');
    let written: string | undefined;
    await storeImported(db, prepared, () => 'copy', {
      writer: 'import-1',
      beforeWrite: (id) => (written = id),
    });
    expect(written).toBe('copy');
    expect(await discardImport(db, 'mine', 'import-1')).toBe(false);
    expect(await discardImport(db, 'copy', 'import-2')).toBe(false);
    expect(await discardImport(db, 'copy', 'import-1')).toBe(true);
    expect(await db.audits.count()).toBe(1);
    expect(await getAudit(db, 'mine')).toEqual(mine);
  });
});
