import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { readOdcs, writeOdcs } from '../../../../src/lib/core/interop/odcs';
import { writeCroissant } from '../../../../src/lib/core/interop/croissant';
import { writeDbt } from '../../../../src/lib/core/interop/dbt';
import { writeGx } from '../../../../src/lib/core/interop/gx';
import { SODA_CLICKHOUSE_DATASOURCE, writeSoda } from '../../../../src/lib/core/interop/soda';
import { writeCard } from '../../../../src/lib/core/interop/card';
import { missingDataSentence } from '../../../../src/lib/core/interop/dataset-facts';
import { sourceWords } from '../../../../src/lib/core/model/dataset-source';
import { deriveCheckSpec } from '../../../../src/lib/core/interop/derive';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { DatasetRef, Finding } from '../../../../src/lib/core/model/audit';
import { auditHtmlReport } from '../../../../src/lib/report/html-report';
import { odcsSchemaErrors, spokenRules } from '../../../support/odcs';
import { gxSuiteErrors } from '../../../support/gx';
import { sodaContractErrors } from '../../../support/soda';
import { ROOT } from '../../../support/paths';
import { handSpec } from './odcs-spec';
import { SERVER, serverSpec } from './server-table-spec';

/**
 * Every check export of an audit whose datasets are tables read in place on
 * ClickHouse (`--engine clickhouse`): each says where the table is, in the
 * form its tool expects, and none pretends there is a file.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- exports read back as plain JSON and YAML */
type Doc = Record<string, any>;

const spec = serverSpec();
const byPath = (files: { path: string; text: string }[], path: string) =>
  files.find((f) => f.path === path)?.text ?? '';

/** A ClickHouse table's dataset ref, as the server audit records it. */
const tableRef = (over: Partial<DatasetRef>): DatasetRef => ({
  id: 'd1',
  fileName: 'sales.orders',
  format: 'clickhouse',
  sizeBytes: 0,
  lastModified: 0,
  rowCount: 5,
  columns: [{ name: 'order_id', type: 'BIGINT' }],
  fingerprint: 'f',
  loadedAt: '2026-12-01T00:00:00.000Z',
  warnings: [],
  ...over,
});

describe('deriveCheckSpec on a ClickHouse table', () => {
  it("names the object after the table, not the database, and carries the server's address", () => {
    const server = { ...SERVER, table: 'orders' };
    const doc = { ...newAudit('Orders', 'a1'), datasets: [tableRef({ server })] };
    const [object] = deriveCheckSpec(doc).objects;
    expect(object).toMatchObject({ objectName: 'orders', format: 'clickhouse', server });
    // An audit saved before servers were recorded: the table from `database.table`, no address.
    const [old] = deriveCheckSpec({ ...doc, datasets: [tableRef({})] }).objects;
    expect(old!.objectName).toBe('orders');
    expect(old!.server).toBeUndefined();
  });
});

describe('the words for a ClickHouse table', () => {
  it('say which table on which server, where a file would be named', () => {
    const [customers] = spec.objects;
    expect(sourceWords(customers!)).toBe('ClickHouse table sales.customers on ch.example.com:8443');
    expect(missingDataSentence(customers!)).toMatch(
      /^ClickHouse table sales\.customers on ch\.example\.com:8443 \(120 rows/,
    );
    expect(sourceWords(handSpec().objects[0]!)).toBe('customers.csv');
  });
});

describe('ODCS: a clickhouse server', () => {
  const file = writeOdcs(spec);
  const doc = parse(file.text) as Doc;

  it('validates against the official schema, which requires host, port and database for it', () => {
    expect(odcsSchemaErrors(file.text)).toEqual([]);
    // The schema's own rule for this type, so the check above can fail on a clickhouse server.
    const broken = { ...doc, servers: [{ ...doc.servers[0], port: undefined }] };
    delete broken.servers[0].port;
    expect(odcsSchemaErrors(JSON.stringify(broken)).length).toBeGreaterThan(0);
  });

  it('names the server, its port and database, and each object the table it is', () => {
    expect(doc.servers).toEqual([
      expect.objectContaining({
        server: 'clickhouse',
        type: 'clickhouse',
        host: 'ch.example.com',
        port: 8443,
        database: 'sales',
        customProperties: [{ property: 'protocol', value: 'https' }],
      }),
    ]);
    expect(doc.servers.some((s: Doc) => s.type === 'local' || 'path' in s)).toBe(false);
    expect(doc.schema.map((o: Doc) => o.physicalName)).toEqual(['customers', 'subscriptions_v2']);
    expect(doc.schema[0].description).toMatch(
      /^ClickHouse table sales\.customers on ch\.example\.com:8443: 120 rows/,
    );
    const props = (o: Doc) => new Map(o.customProperties.map((p: Doc) => [p.property, p.value]));
    expect(props(doc.schema[0]).get('format')).toBe('clickhouse');
    expect(props(doc.schema[0]).has('sizeBytes')).toBe(false);
  });

  it('reads back the same rules and relationships, the objects keeping their names', () => {
    const back = readOdcs(file.text);
    expect(spokenRules(back.rules)).toEqual(spokenRules(spec.rules));
    expect(back.relationships).toEqual(spec.relationships);
    expect(back.objects.map((o) => o.name)).toEqual(['customers', 'subscriptions']);
  });

  it('keeps local servers for files beside a ClickHouse table', () => {
    const mixed = serverSpec();
    mixed.objects[1] = handSpec().objects[1]!;
    const out = parse(writeOdcs(mixed).text) as Doc;
    expect(out.servers.map((s: Doc) => s.type)).toEqual(['local', 'clickhouse']);
    expect(out.servers[0].path).toBe('./subscriptions.csv');
  });
});

describe('Croissant: the table as its server exports it', () => {
  const doc = JSON.parse(writeCroissant(spec).text) as Doc;
  const [customers, subscriptions] = doc.distribution as Doc[];

  it("points each FileObject at the server's CSV export of the table, without a credential", () => {
    expect(customers).toMatchObject({
      '@type': 'cr:FileObject',
      '@id': 'sales.customers',
      encodingFormat: 'text/csv',
    });
    const url = new URL(customers!.contentUrl);
    expect(`${url.protocol}//${url.host}`).toBe('https://ch.example.com:8443');
    expect(url.searchParams.get('database')).toBe('sales');
    expect(url.searchParams.get('query')).toBe('SELECT * FROM "customers" FORMAT CSVWithNames');
    expect(url.username + url.password).toBe('');
    expect(new URL(subscriptions!.contentUrl).searchParams.get('query')).toContain('"subscriptions_v2"');
  });

  it('claims no size or checksum, and marks the dataset live', () => {
    for (const d of doc.distribution as Doc[]) {
      expect(d.sha256).toBeUndefined();
      expect(d.contentSize).toBeUndefined();
      expect(d.description).toMatch(/^ClickHouse table sales\.\w+ on ch\.example\.com:8443, read in place/);
    }
    expect(doc.isLiveDataset).toBe(true);
    // A Croissant 1.1 term, declared in the vendored vocabulary and mapped by the document's context.
    expect(doc['@context'].isLiveDataset).toBe('cr:isLiveDataset');
    const vocabulary = readFileSync(join(ROOT, 'schema/vendor/croissant/croissant.ttl'), 'utf8');
    expect(vocabulary).toMatch(/^croissant:isLiveDataset a rdf:Property/m);
    expect((JSON.parse(writeCroissant(handSpec()).text) as Doc).isLiveDataset).toBeUndefined();
    expect(doc.recordSet[0].description).toMatch(/^The rows of ClickHouse table sales\.customers on /);
    expect(doc.recordSet[0].field[0].source.fileObject).toEqual({ '@id': 'sales.customers' });
  });
});

describe('dbt: a source in the ClickHouse database', () => {
  const files = writeDbt(spec);
  const models = parse(byPath(files, `dbt/models/${spec.name}.yml`)) as Doc;

  it('declares the tables as a source whose schema is the database, against both dbt schemas', () => {
    for (const file of ['dbt_yml_files-latest.json', 'dbt_yml_files-latest-fusion.json']) {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      ajv.addFormat('uint64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
      const validate = ajv.compile(
        JSON.parse(readFileSync(join(ROOT, 'schema/vendor/dbt', file), 'utf8')) as object,
      );
      expect(validate(models), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(models.models).toBeUndefined();
    expect(models.sources).toHaveLength(1);
    const [source] = models.sources as Doc[];
    expect(source).toMatchObject({ name: 'sales', schema: 'sales' });
    expect(source!.tables.map((t: Doc) => [t.name, t.identifier])).toEqual([
      ['customers', undefined],
      ['subscriptions', 'subscriptions_v2'],
    ]);
    expect(source!.tables[0].columns.map((c: Doc) => c.name)).toContain('customer_id');
    expect(source!.tables[0].config.meta.sprint_zero.table).toBe(
      'ClickHouse table sales.customers on ch.example.com:8443',
    );
  });

  it("reads the tables through source(), in singular tests and in a relationship's parent", () => {
    const singular = files.filter((f) => f.path.startsWith('dbt/tests/'));
    expect(singular.length).toBeGreaterThan(0);
    for (const f of singular) {
      expect(f.text).not.toContain('ref(');
      expect(f.text).toMatch(/\{\{ source\('sales', '(customers|subscriptions)'\) \}\}/);
    }
    const text = JSON.stringify(models);
    expect(text).toContain(`"to":"source('sales', 'customers')"`);
    expect(byPath(files, `dbt/models/${spec.name}.yml`)).toMatch(
      /sources \(dbt-clickhouse: the schema is the database\)/,
    );
  });
});

describe('Great Expectations: a SQL data source on ClickHouse', () => {
  const files = writeGx(spec);

  it('names the clickhouse-sqlalchemy connection with config variables for the user and password, and the table', () => {
    const suite = JSON.parse(files[0]!.text) as Doc;
    expect(gxSuiteErrors(files[0]!.text)).toEqual([]);
    expect(suite.meta.sprint_zero.file).toBeUndefined();
    expect(suite.meta.sprint_zero.table).toBe('ClickHouse table sales.customers on ch.example.com:8443');
    expect(suite.meta.sprint_zero.datasource).toEqual({
      type: 'sql',
      name: 'clickhouse_sales',
      connection_string:
        'clickhouse+http://${CLICKHOUSE_USER}:${CLICKHOUSE_PASSWORD}@ch.example.com:8443/sales?protocol=https',
      table_asset: { table_name: 'customers', schema_name: 'sales' },
    });
    const other = JSON.parse(files[1]!.text) as Doc;
    expect(other.meta.sprint_zero.datasource.table_asset.table_name).toBe('subscriptions_v2');
  });
});

describe('Soda: a contract on the ClickHouse table', () => {
  const files = writeSoda(spec);
  const [customers, subscriptions] = files.map((f) => parse(f.text) as Doc);

  it('identifies the dataset by database and table, and queries it by its qualified name', () => {
    for (const f of files) expect(sodaContractErrors(f.text)).toEqual([]);
    expect(customers!.dataset).toBe('${var.datasource}/sales/customers');
    expect(customers!.variables.datasource.default).toBe(SODA_CLICKHOUSE_DATASOURCE);
    expect(customers!.variables.table.default).toBe('sales.customers');
    expect(subscriptions!.dataset).toBe('${var.datasource}/sales/subscriptions_v2');
    expect(subscriptions!.variables.table.default).toBe('sales.subscriptions_v2');
    expect(files[0]!.text).toMatch(
      /It checks the ClickHouse table sales\.customers on ch\.example\.com:8443, in place/,
    );
    expect(files[0]!.text).toMatch(/type mysql, port 9004/);
  });

  it("points a reference check at the parent's table on the server", () => {
    const column = (subscriptions!.columns as Doc[]).find((c) => c.name === 'customer_id')!;
    const reference = (column.checks as Doc[]).find((c) => c.invalid?.valid_reference_data)!;
    expect(reference.invalid.valid_reference_data.dataset).toBe('${var.datasource}/sales/customers');
  });
});

describe('the dataset card: tables, not files', () => {
  const text = writeCard(spec).text;

  it('lists each table on its server, with no size or checksum to claim', () => {
    expect(text).toContain('## Tables');
    expect(text).not.toContain('## Files');
    expect(text).toContain(
      '| ClickHouse table sales.customers on ch.example.com:8443 | customers | clickhouse | 120 | read in place | none (a live table) |',
    );
    expect(text).toContain('### customers (ClickHouse table sales.customers on ch.example.com:8443)');
    expect(text).not.toMatch(/0 B|not computed/);
    expect(writeCard(handSpec()).text).toContain('## Files');
  });
});

describe('the HTML report: the data section names the table on its server', () => {
  it('says which ClickHouse table on which server, and that its SQL runs there', () => {
    const server = { ...SERVER, table: 'orders' };
    const dataset = tableRef({ server });
    const finding: Finding = {
      id: 'f1',
      check: 'quality-duplicates',
      area: 'quality',
      severity: 'major',
      title: 'Duplicate rows',
      datasetId: 'd1',
      columns: [],
      evidence: {},
      sql: 'SELECT count() FROM "orders"',
      recommendation: 'Deduplicate.',
    };
    const audit = { ...newAudit('Orders', 'a1'), datasets: [dataset], findings: [finding] };
    const html = auditHtmlReport(audit, '2026-12-01');
    expect(html).toContain('scope="col">Source</th>');
    expect(html).toContain('ClickHouse table sales.orders on ch.example.com:8443');
    expect(html).toMatch(
      /in ClickHouse SQL, as the audit ran it on the ClickHouse table sales\.orders on ch\.example\.com:8443/,
    );
    expect(html).not.toContain('in the folder that holds them');
  });
});
