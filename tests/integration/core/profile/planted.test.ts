import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, loadFile, FIXTURES } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import {
  DatasetProfileSchema,
  type ColumnProfile,
  type DatasetProfile,
} from '../../../../src/lib/core/model/audit';
import { THRESHOLDS } from '../../../../src/lib/core/thresholds';

/** Ground truth computed from the raw file text by tests/fixtures/reference/make_reference.py. */
interface Planted {
  amount: { sentinels: Record<string, number> };
  region: { variants: Record<string, number>; normalizedGroups: Record<string, number> };
  note: { missingLikeTokens: Record<string, number>; missingLikeNonNullTotal: number; emptyFields: number };
  email: { nonEmpty: number; valid: number };
  phone: { nonEmpty: number; matchingLoosePattern: number };
  card: { luhnValid16: number };
  iban: { validMod97: number };
  ip: { validIPv4: number };
  event_date: { defaultDates: Record<string, number> };
  event_ts: { midnight: number };
  active: { true: number; false: number };
  source: { constantValue: string };
  duplicateRows: number;
}

const planted = (
  JSON.parse(readFileSync(join(FIXTURES, 'reference/planted.json'), 'utf8')) as { planted: Planted }
).planted;

const conn = useEngine();
let profile: DatasetProfile;
const column = (name: string): ColumnProfile => profile.columns.find((c) => c.name === name)!;
const alert = (kind: string, col?: string) =>
  profile.alerts.find((a) => a.kind === kind && (col === undefined || a.column === col));
const pii = (col: string, kind: string) => column(col).pii.find((p) => p.kind === kind);

beforeAll(async () => {
  const loaded = await loadFile(conn, join(FIXTURES, 'profile/planted.csv'));
  profile = DatasetProfileSchema.parse(await profileDataset(conn, loaded.tableName, 'planted'));
});

describe('planted problems', () => {
  it('flags numeric sentinels beyond the IQR fences with their counts', () => {
    const sentinels = column('amount').numeric!.sentinels;
    expect(Object.fromEntries(sentinels.map((s) => [String(s.value), s.count]))).toEqual(
      planted.amount.sentinels,
    );
    expect(sentinels.map((s) => s.count)).toEqual([6, 4]);
    expect(alert('sentinel-values', 'amount')).toMatchObject({
      value: 10,
      threshold: THRESHOLDS.sentinelIqrMultiplier,
    });
  });

  it('does not flag -1 among small negative numbers as a sentinel', async () => {
    await conn.exec(`CREATE TABLE small_negatives AS SELECT (range % 5) - 3 AS delta FROM range(200)`);
    const p = await profileDataset(conn, 'small_negatives', 'small');
    expect(p.columns[0]!.numeric!.sentinels).toEqual([]);
  });

  it('groups case and whitespace variants of a category', () => {
    const variants = column('region').text!.variants;
    const north = variants.find((v) => v.canonical === 'North');
    const south = variants.find((v) => v.canonical === 'South');
    expect(north?.spellings).toEqual([
      { value: 'North', count: planted.region.variants.North },
      { value: 'north ', count: planted.region.variants['north '] },
      { value: 'NORTH', count: planted.region.variants.NORTH },
    ]);
    expect(north!.spellings.reduce((s, v) => s + v.count, 0)).toBe(planted.region.normalizedGroups.north);
    expect(south!.spellings.reduce((s, v) => s + v.count, 0)).toBe(planted.region.normalizedGroups.south);
    expect(variants).toHaveLength(2);
    expect(alert('spelling-variants', 'region')).toBeDefined();
    expect(column('region').text!.untrimmed).toBe(planted.region.variants['north ']);
  });

  it('counts missing-like tokens and keeps empty fields as missing', () => {
    const note = column('note');
    expect(note.missing).toBe(planted.note.emptyFields);
    expect(note.missingLike.total).toBe(planted.note.missingLikeNonNullTotal);
    const expected = Object.entries(planted.note.missingLikeTokens).filter(([token]) => token !== '');
    expect(Object.fromEntries(note.missingLike.values.map((v) => [v.value, v.count]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(alert('missing-like', 'note')).toMatchObject({ threshold: THRESHOLDS.missingLikeShare });
  });

  it('finds e-mail addresses, phone numbers and IPv4 addresses', () => {
    expect(pii('email', 'email')).toEqual({
      kind: 'email',
      matches: planted.email.valid,
      share: planted.email.valid / planted.email.nonEmpty,
    });
    expect(pii('phone', 'phone')?.matches).toBe(planted.phone.matchingLoosePattern);
    expect(pii('ip', 'ipv4')?.matches).toBe(planted.ip.validIPv4);
  });

  it('counts only Luhn-valid card numbers and mod-97-valid IBANs', () => {
    expect(pii('card', 'payment-card')?.matches).toBe(planted.card.luhnValid16);
    expect(pii('iban', 'iban')?.matches).toBe(planted.iban.validMod97);
    expect(alert('pii', 'card')).toMatchObject({ threshold: THRESHOLDS.piiShare });
  });

  it('reports no personal data where there is none', () => {
    for (const name of ['amount', 'region', 'note', 'event_date', 'event_ts', 'active', 'source'])
      expect(column(name).pii, name).toEqual([]);
    expect(column('card').pii.map((p) => p.kind)).toEqual(['payment-card']);
    expect(column('iban').pii.map((p) => p.kind)).toEqual(['iban']);
  });

  it('detects placeholder dates and midnight timestamps', () => {
    const dates = column('event_date').temporal!.defaultDates;
    expect(Object.fromEntries(dates.map((d) => [d.value, d.count]))).toEqual(planted.event_date.defaultDates);
    expect(column('event_ts').temporal!.midnight).toBe(planted.event_ts.midnight);
    expect(alert('default-dates', 'event_date')).toMatchObject({ threshold: THRESHOLDS.defaultDateShare });
    // 92 of 300 is below the 90 % "date-only" threshold.
    expect(alert('date-only-timestamps', 'event_ts')).toBeUndefined();
  });

  it('finds duplicates, constant and empty columns', () => {
    expect(profile.duplicateRows).toBe(planted.duplicateRows);
    expect(profile.duplicateExample).not.toBeNull();
    expect(profile.constantColumns).toEqual(['source']);
    expect(profile.allMissingColumns).toEqual(['empty_col']);
    expect(column('active').boolean).toEqual({
      trueCount: planted.active.true,
      falseCount: planted.active.false,
    });
    expect(alert('duplicate-rows')).toMatchObject({
      value: planted.duplicateRows / 300,
      threshold: THRESHOLDS.duplicateRowShare,
    });
  });

  it('summarises value shapes', () => {
    expect(
      column('phone')
        .text!.shapes.map((s) => s.value)
        .sort(),
    ).toEqual(['(9) 9-9', '+9 9 9 9', '+9-9-9']);
    expect(column('card').text!.shapes).toEqual([
      { value: '9', count: 152 },
      { value: '9 9 9 9', count: 148 },
    ]);
  });

  it('states a threshold from core/thresholds in every alert', () => {
    const known = new Set<unknown>(Object.values(THRESHOLDS).filter((v) => typeof v === 'number'));
    for (const a of profile.alerts) {
      expect(known.has(a.threshold), `${a.kind}: ${a.threshold}`).toBe(true);
      expect(a.message.length).toBeGreaterThan(10);
    }
  });
});
