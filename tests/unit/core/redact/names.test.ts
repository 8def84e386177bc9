import { describe, it, expect } from 'vitest';
import type { ColumnProfile } from '../../../../src/lib/core/model/audit';
import { personalByName, personalByValues, personalColumns } from '../../../../src/lib/core/redact';
import { auditWithEmail } from './pii-audit';

describe('personal data by column name', () => {
  it('treats names of people, holders, contacts and addresses as personal', () => {
    for (const name of [
      'name',
      'Name',
      'customer_name',
      'CustomerName',
      'Customer Name',
      'holder',
      'card_holder',
      'account_holder',
      'contact',
      'emergency_contact',
      'first_name',
      'surname',
      'username',
      'billing_address',
      'Candidate_Name',
    ])
      expect({ name, personal: personalByName(name, 'text') }).toEqual({ name, personal: true });
  });

  it('leaves names of things alone: products, files, places, indicators', () => {
    for (const name of [
      'product_name',
      'file_name',
      'filename',
      'Country Name',
      'Indicator Name',
      'Airport Name',
      'scientific_name',
      'common_name',
      'renamed',
      'plan',
      'amount',
    ])
      expect({ name, personal: personalByName(name, 'categorical') }).toEqual({ name, personal: false });
  });

  it('a numeric column named like a name is not a name', () => {
    expect(personalByName('name_length', 'numeric')).toBe(false);
  });
});

function textColumn(
  shapes: { value: string; count: number }[],
  distinct: number,
  count = 100,
): ColumnProfile {
  return {
    name: 'who',
    type: 'VARCHAR',
    family: 'text',
    count,
    missing: 0,
    missingLike: { total: 0, values: [] },
    distinct: { value: distinct, approximate: false },
    topK: [],
    otherCount: 0,
    text: {
      lengthMin: 1,
      lengthMax: 20,
      lengthMean: 10,
      shapes,
      numericLike: 0,
      dateLike: 0,
      untrimmed: 0,
      variants: [],
    },
    pii: [],
  };
}

describe('personal data by value shape', () => {
  it('finds a column of two capitalised words, mostly distinct (people)', () => {
    expect(
      personalByValues(
        textColumn(
          [
            { value: 'Aa Aa', count: 80 },
            { value: 'Aa A. Aa', count: 15 },
          ],
          90,
        ),
      ),
    ).toBe('person-name');
    expect(personalByValues(textColumn([{ value: "Aa A'Aa", count: 60 }], 70))).toBe('person-name');
  });

  it('finds postal addresses', () => {
    expect(
      personalByValues(
        textColumn(
          [
            { value: '9 Aa Aa', count: 70 },
            { value: '9 Aa Aa, Aa', count: 20 },
          ],
          95,
        ),
      ),
    ).toBe('address');
  });

  it('leaves repeated two-word categories (regions) and one-word columns alone', () => {
    expect(personalByValues(textColumn([{ value: 'Aa Aa', count: 90 }], 6))).toBeUndefined();
    expect(personalByValues(textColumn([{ value: 'Aa', count: 100 }], 90))).toBeUndefined();
    expect(
      personalByValues(
        textColumn(
          [
            { value: 'Aa Aa', count: 20 },
            { value: 'a', count: 80 },
          ],
          90,
        ),
      ),
    ).toBeUndefined();
  });

  it('a column personal in one dataset is personal in every dataset that has it, unless marked not personal', () => {
    const audit = auditWithEmail('two');
    const other = structuredClone(audit.datasets[0]!);
    other.id = 'd2';
    const profile = structuredClone(audit.profiles.d1!);
    profile.datasetId = 'd2';
    profile.columns[0]!.pii = [{ kind: 'email', matches: 3, share: 0.03 }];
    profile.columns[0]!.name = 'reach';
    audit.profiles.d1!.columns[0]!.name = 'reach';
    audit.datasets[0]!.columns[0]!.name = 'reach';
    other.columns[0]!.name = 'reach';
    const doc = {
      ...audit,
      datasets: [...audit.datasets, other],
      profiles: { ...audit.profiles, d2: profile },
    };
    expect(personalColumns(doc).map((c) => `${c.datasetId}:${c.column}:${c.reason}`)).toEqual([
      'd1:reach:detected',
      'd2:reach:detected',
    ]);
    expect(personalColumns({ ...doc, notPersonalColumns: { d2: ['reach'] } })).toEqual([]);
  });
});
