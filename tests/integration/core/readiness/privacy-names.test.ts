import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine, loadBytes } from '../../../support/engine';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { profileDataset } from '../../../../src/lib/session/profile';
import type { DatasetProfile, Finding } from '../../../../src/lib/core/model/audit';
import { personalByValues } from '../../../../src/lib/core/redact';

const FIRST = ['Jane', 'Omar', 'Li', 'Anna', 'Pieter', 'Sofia', 'Kwame', 'Marta', 'Yusuf', 'Elena'];
const LAST = ['Doe', "O'Brien", 'Smith-Jones', 'Nakamura', 'Dijkstra', 'Okafor', 'Rossi', 'Novak'];
const STREETS = ['Baker Street', 'Rue Lepic', 'Market Road', 'Hill Lane', 'Kings Avenue'];
const BRANDS = ['Acura', 'Audi', 'Buick', 'Chevrolet', 'Dodge'];
const MODELS = [
  'Integra',
  'Legend',
  'Century',
  'Camaro',
  'Caravan',
  'Stealth',
  'Metro',
  'Tempo',
  'Astro',
  'Sonata',
];
const ROWS = 400;

/** Customers with a name (distinct, by a middle initial), a postal address, a repeating region, a product and a car. */
function customersCsv(): string {
  const lines = ['customer_id,customer_name,street_address,region,product_name,make,churned'];
  for (let i = 0; i < ROWS; i++) {
    const initial = String.fromCharCode(65 + (i % 26));
    const name = `${FIRST[i % FIRST.length]} ${initial}. ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    const address = `${10 + i} ${STREETS[i % STREETS.length]}`;
    const region = ['New England', 'West Coast', 'Great Lakes'][i % 3];
    const product = `Product ${String.fromCharCode(65 + (i % 5))}`;
    // Shaped like names ("Acura Integrab"), all distinct, but the column's name says cars (Cars93's Make).
    const make = `${BRANDS[i % 5]} ${MODELS[Math.floor(i / 5) % 10]}${String.fromCharCode(97 + (Math.floor(i / 50) % 8))}`;
    lines.push(`${i},${name},${address},${region},${product},${make},${i % 4 === 0 ? 'Yes' : 'No'}`);
  }
  return `${lines.join('\n')}\n`;
}

const conn = useEngine();
let findings: Finding[];
let profile: DatasetProfile;

beforeAll(async () => {
  const loaded = await loadBytes(conn, 'customers.csv', customersCsv());
  profile = await profileDataset(conn, loaded.tableName, 'ds');
  findings = await runReadiness(conn, {
    tableName: loaded.tableName,
    datasetId: 'ds',
    columns: loaded.columns,
    roles: { target: 'churned', id: 'customer_id', segments: [], excluded: [] },
    context: {
      decision: 'Who will churn?',
      task: 'binary',
      targetDefinition: '',
      positiveClass: 'Yes',
      predictionPoint: '',
      asOf: '2026-11-01',
    },
    profile,
  });
}, 120_000);

const pii = (column: string): Finding | undefined =>
  findings.find((f) => f.id === `privacy-pii:ds:${column}`);

describe('privacy-pii knows names and addresses (issue 18 §7)', () => {
  it('raises a customer_name column of people’s names like an e-mail column: major, without a value', async () => {
    const finding = pii('customer_name');
    expect(finding?.severity).toBe('major');
    expect(finding?.evidence.kinds).toBe('person-name');
    expect(finding?.evidence.matches).toBe(ROWS);
    expect(finding?.title).toBe('“customer_name” contains personal data: person-name (400)');
    const text = JSON.stringify({ ...finding, sql: '' });
    for (const word of [...FIRST, 'Nakamura', 'Okafor']) expect(text).not.toContain(word);
    // The SQL recounts the same values from the table, by the same shape.
    const [row] = await conn.query(finding!.sql);
    expect(Number(row!.matches)).toBe(ROWS);
    expect(finding!.sql).not.toMatch(/Jane|Doe/);
  });

  it('raises a column of street addresses', async () => {
    const finding = pii('street_address');
    expect(finding?.severity).toBe('major');
    expect(finding?.evidence.kinds).toBe('address');
    const [row] = await conn.query(finding!.sql);
    expect(Number(row!.matches)).toBe(finding!.evidence.matches);
    expect(JSON.stringify({ ...finding, sql: '' })).not.toMatch(/Baker|Lepic/);
  });

  it('leaves a repeating region ("New England"), product names and car makes shaped like names alone', () => {
    expect(pii('region')).toBeUndefined();
    expect(pii('product_name')).toBeUndefined();
    // The makes are masked in exports as names (a shape is enough to hide a value), but not raised as a finding.
    expect(personalByValues(profile.columns.find((c) => c.name === 'make')!)).toBe('person-name');
    expect(pii('make')).toBeUndefined();
    expect(
      findings
        .filter((f) => f.check === 'privacy-pii')
        .map((f) => f.columns[0])
        .sort(),
    ).toEqual(['customer_name', 'street_address']);
  });
});
