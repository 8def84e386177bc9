import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { useEngine } from '../../../support/engine';
import { DEMO_CSV } from '../../../support/demo';
import { demoInteropCase, plantedInteropCase, type InteropCase } from '../../../support/interop-cases';
import { PLANTED_FILES, plantedRelations } from '../../../fixtures/relations/planted';
import { personalColumns } from '../../../../src/lib/core/redact';
import { ident } from '../../../../src/lib/core/sql/quote';
import { formatCount, formatShare } from '../../../../src/lib/core/format';
import { findingKind } from '../../../../src/lib/core/interop/dataset-facts';
import {
  CROISSANT_CONTEXT,
  CROISSANT_RAI_SPEC,
  CROISSANT_SPEC,
  writeCroissant,
} from '../../../../src/lib/core/interop/croissant';
import { escapeMarkdownText, writeCard } from '../../../../src/lib/core/interop/card';

/**
 * The Croissant file and the dataset card of the analysed demo and of the
 * planted related extracts: structurally valid against the spec's required
 * properties, each file's sha256 that of its bytes, the time frame and missing
 * shares those DuckDB measures on the loaded table, every open data finding a
 * bias or a limitation, and no personal value of the unmasked demo anywhere.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-LD read back as plain JSON */
type Doc = Record<string, any>;

const ATOMIC = new Set(['sc:Text', 'sc:Integer', 'sc:Float', 'sc:Boolean', 'sc:Date', 'sc:DateTime']);
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const conn = useEngine();
let demo: InteropCase;
let croissant: Doc;
let croissantText: string;
let cardText: string;
beforeAll(async () => {
  demo = await demoInteropCase(conn);
  croissantText = writeCroissant(demo.spec).text;
  croissant = JSON.parse(croissantText) as Doc;
  cardText = writeCard(demo.spec).text;
}, 240_000);

describe('the demo as Croissant 1.1 with RAI 1.0', () => {
  it('has the dataset properties the spec requires that an audit knows', () => {
    expect(croissant['@context']).toEqual(CROISSANT_CONTEXT);
    expect(croissant['@type']).toBe('sc:Dataset');
    expect(croissant.conformsTo).toEqual([CROISSANT_SPEC, CROISSANT_RAI_SPEC]);
    for (const key of ['name', 'description', 'datePublished'])
      expect(typeof croissant[key], key).toBe('string');
    expect(croissant.description).toContain(demo.spec.verdict.label);
  });

  it('carries the demo CSV with the sha256 of its bytes', () => {
    const [file] = croissant.distribution as Doc[];
    expect(croissant.distribution).toHaveLength(1);
    expect(file).toMatchObject({
      '@type': 'cr:FileObject',
      '@id': 'customer-churn.csv',
      contentUrl: 'customer-churn.csv',
      encodingFormat: 'text/csv',
      sha256: sha256(readFileSync(DEMO_CSV)),
    });
    expect(file!.contentSize).toBe(`${readFileSync(DEMO_CSV).byteLength} B`);
  });

  it('has one typed field per loaded column, each read from its CSV column', () => {
    const dataset = demo.audit.datasets[0]!;
    const [records] = croissant.recordSet as Doc[];
    expect(records!.field.map((f: Doc) => f.name)).toEqual(dataset.columns.map((c) => c.name));
    for (const f of records!.field as Doc[]) {
      expect(ATOMIC.has(f.dataType), `${f.name}: ${f.dataType}`).toBe(true);
      expect(f.source).toEqual({ fileObject: { '@id': 'customer-churn.csv' }, extract: { column: f.name } });
    }
    expect(records!.field.find((f: Doc) => f.name === 'snapshot_date').dataType).toMatch(/^sc:Date(Time)?$/);
    // The demo repeats some customer IDs (a planted defect), so no column is its key.
    const keys = demo.spec.objects[0]!.columns.filter((c) => c.primaryKey);
    expect(keys).toEqual([]);
    expect(records!.key).toBeUndefined();
  });

  it('dates the collection by the event times DuckDB measures', async () => {
    const table = ident(demo.tables.values().next().value!);
    const [row] = await conn.query(
      `SELECT CAST(CAST(min(snapshot_date) AS DATE) AS VARCHAR) AS lo, CAST(CAST(max(snapshot_date) AS DATE) AS VARCHAR) AS hi FROM ${table}`,
    );
    expect(croissant['rai:dataCollectionTimeframe']).toEqual([row!['lo'], row!['hi']]);
  });

  it('names each column with nulls and its share as DuckDB counts it', async () => {
    const table = ident(demo.tables.values().next().value!);
    const text = croissant['rai:dataCollectionMissingData'] as string;
    const withNulls = demo.spec.objects[0]!.columns.filter((c) => c.missingShare > 0);
    expect(withNulls.length).toBeGreaterThan(0);
    for (const c of withNulls) {
      const [row] = await conn.query(
        `SELECT count(*) FILTER (WHERE ${ident(c.name)} IS NULL) / count(*) AS share FROM ${table}`,
      );
      expect(c.missingShare).toBeCloseTo(Number(row!['share']), 12);
      expect(text).toContain(`${c.name} ${formatShare(Number(row!['share']))}`);
    }
  });

  it('names every personal column of the audit, and sorts every open data finding into biases or limitations', () => {
    const personal = personalColumns(demo.audit);
    const info = (croissant['rai:personalSensitiveInformation'] as string[]).join('\n');
    for (const p of personal) expect(info).toContain(`${p.column} (customer-churn.csv): personal data`);
    const texts = [
      ...(croissant['rai:dataBiases'] as string[]),
      ...(croissant['rai:dataLimitations'] as string[]),
    ];
    const data = demo.spec.findings.filter((f) => findingKind(f));
    expect(data.length).toBeGreaterThan(0);
    for (const f of data)
      expect(
        texts.filter((t) => t.startsWith(f.title.trim().replace(/\.$/, ''))),
        f.id,
      ).not.toHaveLength(0);
    expect(croissant['rai:dataBiases'].length + croissant['rai:dataLimitations'].length).toBe(data.length);
  });
});

describe('the demo card', () => {
  it('gives the file with its rows and sha256, and a row per column', () => {
    const spec = demo.spec.objects[0]!;
    expect(cardText).toContain(
      `| customer-churn.csv | customer\\_churn | csv | ${formatCount(spec.rowCount)} |`,
    );
    expect(cardText).toContain(`\`${sha256(readFileSync(DEMO_CSV))}\``);
    for (const c of spec.columns) {
      const row = cardText.split('\n').find((l) => l.startsWith(`| ${escapeMarkdownText(c.name)} | `));
      expect(row, c.name).toContain(`| ${formatShare(c.missingShare)} | ${c.personal ? 'yes' : 'no'}`);
    }
  });
});

describe('no personal value of the unmasked demo', () => {
  it('appears in the Croissant file or the card', async () => {
    const personal = personalColumns(demo.audit);
    expect(personal.length).toBeGreaterThan(0);
    const table = ident(demo.tables.values().next().value!);
    const values: string[] = [];
    for (const p of personal) {
      const rows = await conn.query(
        `SELECT DISTINCT CAST(${ident(p.column)} AS VARCHAR) AS v FROM ${table} WHERE ${ident(p.column)} IS NOT NULL`,
      );
      // Values this short also spell ordinary words and numbers of the file.
      values.push(...rows.map((r) => String(r['v'])).filter((v) => v.length >= 5));
    }
    expect(values.length).toBeGreaterThan(100);
    const leaked = values.filter((v) => croissantText.includes(v) || cardText.includes(v));
    expect(leaked).toEqual([]);
  });
});

describe('related extracts', () => {
  it('give one FileObject per file with its sha256, and each child key references its parent key', async () => {
    const planted = await plantedInteropCase(conn, { id: 'croissant-relations' });
    const doc = JSON.parse(writeCroissant(planted.spec).text) as Doc;
    const bytes = plantedRelations();
    const expected = Object.entries(PLANTED_FILES).map(([key, file]) => ({
      id: file,
      sha: sha256(new TextEncoder().encode(bytes[key as keyof typeof PLANTED_FILES] as string)),
    }));
    expect(doc.distribution.map((d: Doc) => ({ id: d['@id'], sha: d.sha256 }))).toEqual(expected);
    const references = (doc.recordSet as Doc[]).flatMap((r) =>
      (r.field as Doc[]).filter((f) => f.references),
    );
    expect(references).toHaveLength(planted.spec.relationships.length);
    const ids = new Set((doc.recordSet as Doc[]).flatMap((r) => (r.field as Doc[]).map((f) => f['@id'])));
    for (const f of references) expect(ids.has(f.references['@id'])).toBe(true);
  }, 240_000);
});
