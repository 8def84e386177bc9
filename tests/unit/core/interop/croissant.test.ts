import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CROISSANT_CONTEXT,
  CROISSANT_RAI_SPEC,
  CROISSANT_SPEC,
  fieldId,
  writeCroissant,
} from '../../../../src/lib/core/interop/croissant';
import type { CheckSpec } from '../../../../src/lib/core/interop/spec';
import { formatShare } from '../../../../src/lib/core/format';
import { ROOT } from '../../../support/paths';
import { HOSTILE, handSpec } from './odcs-spec';
import { specWithFindings } from './croissant-spec';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-LD read back as plain JSON */
type Doc = Record<string, any>;

const VENDOR = join(ROOT, 'schema/vendor/croissant');

/** Terms a vendored vocabulary declares (`croissant:field a rdf:Property`). */
function declared(file: string, prefix: string): Set<string> {
  const text = readFileSync(join(VENDOR, file), 'utf8');
  return new Set([...text.matchAll(new RegExp(`^${prefix}:([A-Za-z0-9]+) a `, 'gm'))].map((m) => m[1]!));
}
const CR_TERMS = declared('croissant.ttl', 'croissant');
const RAI_TERMS = declared('croissant_rai.ttl', 'rai');

const read = (spec: CheckSpec): Doc => JSON.parse(writeCroissant(spec).text) as Doc;

/** Every object of the JSON tree. */
function nodes(value: unknown): Doc[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (value && typeof value === 'object') return [value as Doc, ...Object.values(value).flatMap(nodes)];
  return [];
}

describe('writeCroissant: the Croissant 1.1 dataset', () => {
  const spec = specWithFindings();
  const file = writeCroissant(spec);
  const doc = read(spec);

  it('is named after the spec, as JSON-LD with the Croissant profile', () => {
    expect(file.path).toBe('churn_audit.croissant.json');
    expect(file.mimeType).toBe('application/ld+json; profile="http://mlcommons.org/croissant/1.1"');
    expect(file.text.endsWith('}\n')).toBe(true);
  });

  it('has the properties the 1.1 spec requires that the audit knows, and conforms to 1.1 and RAI 1.0', () => {
    expect(doc['@type']).toBe('sc:Dataset');
    expect(doc['@context']).toEqual(CROISSANT_CONTEXT);
    expect(doc.conformsTo).toEqual([CROISSANT_SPEC, CROISSANT_RAI_SPEC]);
    expect(CROISSANT_SPEC).toBe('http://mlcommons.org/croissant/1.1');
    expect(CROISSANT_RAI_SPEC).toBe('http://mlcommons.org/croissant/RAI/1.0');
    expect(doc.name).toBe('Churn audit');
    expect(doc.description).toContain('Predict churn within 90 days');
    expect(doc.description).toContain('Ready once 2 fixes are made.');
    expect(doc.datePublished).toBe('2026-11-26T10:00:00.000Z');
    expect(doc.distribution.length).toBeGreaterThan(0);
    expect(doc.recordSet).toHaveLength(2);
  });

  it('declares every prefix and short term it uses in its context, and uses only vocabulary terms', () => {
    const context = doc['@context'] as Record<string, unknown>;
    for (const prefix of ['sc', 'cr', 'rai', 'dct']) expect(typeof context[prefix]).toBe('string');
    // Croissant's short terms (not schema.org's default vocabulary) are each a declared cr: term; isArray is 1.1's (spec, "Field").
    const { '@context': _, ...body } = doc;
    const keys = new Set(nodes(body).flatMap((n) => Object.keys(n)));
    for (const key of keys) {
      const mapped = context[key];
      const iri = typeof mapped === 'string' ? mapped : (mapped as { '@id'?: string } | undefined)?.['@id'];
      if (iri?.startsWith('cr:')) expect(CR_TERMS.has(iri.slice(3)) || iri === 'cr:isArray', key).toBe(true);
      if (key.startsWith('rai:')) expect(RAI_TERMS.has(key.slice(4)), key).toBe(true);
    }
    // The vocabulary's spelling, not mlcroissant's `dataCollectionTimeFrame`.
    expect(RAI_TERMS.has('dataCollectionTimeframe')).toBe(true);
    expect(RAI_TERMS.has('dataCollectionTimeFrame')).toBe(false);
    expect(CR_TERMS.has('md5') && CR_TERMS.has('field') && CR_TERMS.has('extract')).toBe(true);
  });

  it('describes each file as a cr:FileObject with its sha256, or says why it has none', () => {
    const [customers, subscriptions] = doc.distribution as Doc[];
    expect(customers).toMatchObject({
      '@type': 'cr:FileObject',
      '@id': 'customers.csv',
      name: 'customers.csv',
      contentUrl: 'customers.csv',
      contentSize: '2048 B',
      encodingFormat: 'text/csv',
      sha256: 'ab'.repeat(32),
    });
    expect(subscriptions!.sha256).toBeUndefined();
    expect(subscriptions!.description).toMatch(/^No sha256: /);
    expect(subscriptions!.encodingFormat).toBe('text/csv');
  });

  it('shares one FileObject between the sheets of one workbook, and separates two files of the same name', () => {
    const base = handSpec();
    const sheet = (objectName: string, sha: string) => ({
      ...base.objects[1]!,
      objectName,
      fileName: 'book.xlsx',
      format: 'xlsx',
      sha256: sha,
    });
    const out = read({
      ...base,
      relationships: [],
      objects: [
        sheet('orders', 'cd'.repeat(32)),
        sheet('returns', 'cd'.repeat(32)),
        sheet('old', 'ef'.repeat(32)),
      ],
    });
    expect(out.distribution.map((d: Doc) => d['@id'])).toEqual(['book.xlsx', 'old/book.xlsx']);
    expect(out.distribution[0].encodingFormat).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const sources = out.recordSet.map((r: Doc) => r.field[0].source.fileObject['@id']);
    expect(sources).toEqual(['book.xlsx', 'book.xlsx', 'old/book.xlsx']);
    expect(out.recordSet[0].description).toMatch(/cannot name the workbook sheet/);
  });

  it('gives each dataset a cr:RecordSet with a typed cr:Field per column read from its file column', () => {
    const [customers] = doc.recordSet as Doc[];
    expect(customers!['@type']).toBe('cr:RecordSet');
    expect(customers!['@id']).toBe('customers');
    expect(customers!.key).toEqual({ '@id': 'customers/customer_id' });
    const byName = new Map((customers!.field as Doc[]).map((f) => [f.name, f]));
    expect([...byName.keys()]).toEqual(handSpec().objects[0]!.columns.map((c) => c.name));
    expect(byName.get('customer_id')!.dataType).toBe('sc:Integer');
    expect(byName.get('email')!.dataType).toBe('sc:Text');
    expect(byName.get('signup_date')!.dataType).toBe('sc:Date');
    expect(byName.get('monthly_fee')!.dataType).toBe('sc:Float');
    expect(byName.get('churned')!.dataType).toBe('sc:Boolean');
    expect((doc.recordSet[1].field as Doc[]).find((f) => f.name === 'started')!.dataType).toBe('sc:DateTime');
    for (const f of customers!.field as Doc[]) {
      expect(f['@type']).toBe('cr:Field');
      expect(f.source).toEqual({ fileObject: { '@id': 'customers.csv' }, extract: { column: f.name } });
    }
  });

  it('keeps a hostile column name as the column it reads, with an IRI-safe id', () => {
    const hostile = (doc.recordSet[0].field as Doc[]).find((f) => f.name === HOSTILE)!;
    expect(hostile.source.extract.column).toBe(HOSTILE);
    expect(hostile['@id']).toBe(fieldId('customers', HOSTILE));
    expect(hostile['@id']).not.toMatch(/[\s"]/);
  });

  it('types list columns by their element, and structs as text', () => {
    const base = handSpec();
    const o = base.objects[1]!;
    const out = read({
      ...base,
      relationships: [],
      objects: [
        {
          ...o,
          columns: [
            { ...o.columns[0]!, name: 'tags', physicalType: 'BIGINT[]', logicalType: 'array' },
            { ...o.columns[0]!, name: 'meta', physicalType: 'STRUCT(a INTEGER)', logicalType: 'object' },
          ],
        },
      ],
    });
    const [tags, meta] = out.recordSet[0].field as Doc[];
    expect(tags).toMatchObject({ dataType: 'sc:Integer', isArray: true });
    expect(meta!.dataType).toBe('sc:Text');
  });

  it('has unique ids, and every reference names an id of the document', () => {
    const all = nodes(doc);
    const ids = all.filter((n) => Object.keys(n).length > 1 && n['@id']).map((n) => n['@id'] as string);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = all.filter((n) => Object.keys(n).length === 1 && n['@id']).map((n) => n['@id'] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(ids, r).toContain(r);
    const child = (doc.recordSet[1].field as Doc[]).find((f) => f.name === 'customer_id')!;
    expect(child.references).toEqual({ '@id': 'customers/customer_id' });
  });
});

describe('writeCroissant: the RAI 1.0 properties', () => {
  const doc = read(specWithFindings());

  it('dataCollectionTimeframe: the start and end of the event times (sc:DateTime, MANY)', () => {
    expect(doc['rai:dataCollectionTimeframe']).toEqual(['2024-01-01', '2026-10-31']);
    const without = read({
      ...handSpec(),
      objects: handSpec().objects.map(({ timeCoverage: _, ...o }) => o),
    });
    expect(without['rai:dataCollectionTimeframe']).toBeUndefined();
  });

  it('dataCollectionMissingData: one text naming the columns with nulls and their shares (sc:Text, ONE)', () => {
    const text = doc['rai:dataCollectionMissingData'];
    expect(typeof text).toBe('string');
    expect(text).toContain(`monthly_fee ${formatShare(0.02)}`);
    expect(text).toContain('customers.csv (120 rows, 7 columns): 1 column misses values');
    expect(text).toContain('subscriptions.csv (300 rows, 2 columns): no column has a missing (null) value.');
  });

  it('personalSensitiveInformation: each personal column by name and kind, and that no value is written', () => {
    const info = doc['rai:personalSensitiveInformation'] as string[];
    expect(info[0]).toBe('email (customers.csv): personal data (email), detected in its values.');
    expect(info[1]).toMatch(/None of the values of this column appears/);
    expect(info).toHaveLength(2);
  });

  it('dataBiases and dataLimitations: the open findings sorted into the two, most severe first; project findings in neither', () => {
    const biases = doc['rai:dataBiases'] as string[];
    const limitations = doc['rai:dataLimitations'] as string[];
    expect(biases).toEqual([
      'Churn rate differs by source (customers; blocker).',
      'Region North has 3 rows (customers: plan; major).',
      'monthly_fee drifted in 2026 (customers; major).',
    ]);
    expect(limitations).toEqual([
      'Identical rows carry conflicting labels (customers: a, b, c, 2 more; major).',
      'Placeholder dates in signup_date (customers: signup_date; minor).',
    ]);
    expect(JSON.stringify(doc)).not.toContain('No data engineer');
    // An info finding describes the data; personal data has its own property.
    expect(JSON.stringify([biases, limitations])).not.toMatch(/12,000 rows|email contains/);
  });

  it('says the audit found none rather than leaving a bias or limitation unstated', () => {
    const none = read(handSpec());
    expect(none['rai:dataBiases']).toEqual([expect.stringMatching(/^The audit found no open issue/)]);
    expect(none['rai:dataLimitations']).toEqual([
      expect.stringMatching(/^The audit found no other open issue/),
    ]);
  });

  it('writes no rule value: the accepted values and ranges stay in the check files', () => {
    expect(JSON.stringify(doc)).not.toMatch(/"basic"|'basic'|\bpro\b|1900-01-01/);
  });
});
