import { formatDate, plural } from '../format';
import { sqlKind } from '../sql/types';
import { ident } from '../sql/quote';
import {
  collectionTimeframe,
  findingSentence,
  findingsOfKind,
  missingDataText,
  personalColumnsOf,
  personalDataNote,
  personalSentence,
} from './dataset-facts';
import { isServerTable, sourceWords } from '../model/dataset-source';
import type { CheckSpec, InteropFile, LogicalType, SpecColumn, SpecObject } from './spec';

/**
 * The audited data as Croissant 1.1 JSON-LD metadata with the Responsible AI
 * 1.0 vocabulary (mlcommons/croissant, docs/croissant-spec-1.1.md and
 * docs/croissant-rai-spec.md): one `cr:FileObject` per file with its sha256,
 * one `cr:RecordSet` per dataset with a typed `cr:Field` per column read from
 * the file's column, keys and foreign-key `references`, and the RAI facts the
 * audit measured (collection timeframe, missing data, personal columns,
 * biases and limitations from the open findings).
 */

export const CROISSANT_SPEC = 'http://mlcommons.org/croissant/1.1';
export const CROISSANT_RAI_SPEC = 'http://mlcommons.org/croissant/RAI/1.0';
/** Croissant's media type: JSON-LD with the spec as profile (spec 1.1, "Namespaces"). */
export const CROISSANT_MIME = `application/ld+json; profile="${CROISSANT_SPEC}"`;

/**
 * The JSON-LD context of Croissant 1.1 as mlcroissant writes it (the
 * reference implementation's `make_context` for 1.1, as in the spec's example
 * datasets under `datasets/1.1/`), with the `rai` prefix. The spec's own
 * Appendix 1 lists the same terms minus a few mlcroissant adds.
 */
export const CROISSANT_CONTEXT = {
  '@language': 'en',
  '@vocab': 'https://schema.org/',
  arrayShape: 'cr:arrayShape',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  containedIn: 'cr:containedIn',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  dct: 'http://purl.org/dc/terms/',
  examples: { '@id': 'cr:examples', '@type': '@json' },
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isArray: 'cr:isArray',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  path: 'cr:path',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  repeated: 'cr:repeated',
  replace: 'cr:replace',
  samplingRate: 'cr:samplingRate',
  sc: 'https://schema.org/',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
} as const;

/** Each loaded format's MIME type; Parquet and JSON Lines as mlcroissant spells them. */
const ENCODING_FORMATS: Record<string, string> = {
  csv: 'text/csv',
  parquet: 'application/x-parquet',
  json: 'application/json',
  ndjson: 'application/jsonlines',
  arrow: 'application/vnd.apache.arrow.file',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The spec's atomic data types (section "DataType"). */
const DATA_TYPES: Record<Exclude<LogicalType, 'array' | 'object'>, string> = {
  string: 'sc:Text',
  integer: 'sc:Integer',
  number: 'sc:Float',
  boolean: 'sc:Boolean',
  date: 'sc:Date',
  timestamp: 'sc:DateTime',
};

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Node = { [key: string]: Json };

const ref = (id: string): Node => ({ '@id': id });

/** A field's `@id`: its record set's, a slash, and the column name made IRI-safe (the spec's recommended nesting). */
export function fieldId(objectName: string, column: string): string {
  return `${objectName}/${encodeURIComponent(column)}`;
}

/** `dataType` and `isArray` of a column: a list's element type when DuckDB names it (`BIGINT[]`). */
function typing(c: SpecColumn): Node {
  if (c.logicalType === 'array') {
    const element = c.physicalType.trim().replace(/\[\d*\]$/, '');
    return { dataType: atomicType(element), isArray: true };
  }
  // A struct or map has no atomic Croissant type without subFields; its JSON text is what a reader gets.
  if (c.logicalType === 'object') return { dataType: 'sc:Text' };
  return { dataType: DATA_TYPES[c.logicalType] };
}

function atomicType(duckdbType: string): string {
  switch (sqlKind(duckdbType)) {
    case 'integer':
      return DATA_TYPES.integer;
    case 'float':
    case 'decimal':
      return DATA_TYPES.number;
    case 'boolean':
      return DATA_TYPES.boolean;
    case 'date':
      return DATA_TYPES.date;
    case 'timestamp':
      return DATA_TYPES.timestamp;
    default:
      return DATA_TYPES.string;
  }
}

/**
 * One `cr:FileObject` per distinct file (sheets of one workbook share it), its
 * `@id` the file name, or the dataset's name when two different files share one.
 */
function fileObjects(spec: CheckSpec): { nodes: Node[]; idOf: Map<string, string> } {
  const nodes: Node[] = [];
  const idOf = new Map<string, string>();
  const byContent = new Map<string, string>();
  const usedIds = new Set<string>();
  for (const o of spec.objects) {
    const content = `${sourceWords(o)}\u0000${o.sha256 ?? o.sizeBytes}`;
    const existing = byContent.get(content);
    if (existing) {
      idOf.set(o.objectName, existing);
      continue;
    }
    const id = usedIds.has(o.fileName) ? `${o.objectName}/${o.fileName}` : o.fileName;
    usedIds.add(id);
    byContent.set(content, id);
    idOf.set(o.objectName, id);
    nodes.push(isServerTable(o) ? serverTableObject(o, id) : fileObject(o, id));
  }
  return { nodes, idOf };
}

function fileObject(o: SpecObject, id: string): Node {
  return {
    '@type': 'cr:FileObject',
    '@id': id,
    name: o.fileName,
    // Without a known checksum the spec's "may" applies; say why rather than invent one.
    ...(o.sha256
      ? {}
      : {
          description:
            'No sha256: the file was not hashed when the audit loaded it (a browser file above the hashing limit, or an audit saved before checksums).',
        }),
    contentUrl: o.fileName,
    contentSize: `${o.sizeBytes} B`,
    encodingFormat: ENCODING_FORMATS[o.format] ?? 'application/octet-stream',
    ...(o.sha256 ? { sha256: o.sha256 } : {}),
  };
}

/**
 * A table read in place on ClickHouse. Croissant 1.1 describes files only
 * (`distribution` holds FileObjects and FileSets; no class names a database
 * table), so the least surprising valid form is the file the server hands
 * out for the table: its HTTP interface answering `SELECT * … FORMAT
 * CSVWithNames` as CSV with a header row, each field's `extract.column` a
 * header. The URL carries no credential (ClickHouse takes them in the
 * `X-ClickHouse-User` and `X-ClickHouse-Key` headers); the table changes in
 * place, so there is no size or checksum, and the dataset is marked live.
 */
function serverTableObject(o: SpecObject, id: string): Node {
  const where = sourceWords(o);
  if (!o.server)
    return {
      '@type': 'cr:FileObject',
      '@id': id,
      name: o.fileName,
      description: `${where}, read in place; the audit recorded no server address.`,
      contentUrl: o.fileName,
      encodingFormat: 'text/csv',
    };
  const { protocol, host, port, database, table } = o.server;
  const select = `SELECT * FROM ${ident(table)} FORMAT CSVWithNames`;
  const query = `database=${encodeURIComponent(database)}&query=${encodeURIComponent(select)}`;
  return {
    '@type': 'cr:FileObject',
    '@id': id,
    name: `${database}.${table}`,
    description: `${where}, read in place: no file, so no size or checksum. The URL is the table as the server's HTTP interface exports it (CSV with a header row); give the user and password in the X-ClickHouse-User and X-ClickHouse-Key headers.`,
    contentUrl: `${protocol}://${host}:${port}/?${query}`,
    encodingFormat: 'text/csv',
  };
}

function recordSet(spec: CheckSpec, o: SpecObject, fileId: string): Node {
  const keys = o.columns.filter((c) => c.primaryKey).map((c) => ref(fieldId(o.objectName, c.name)));
  const sheetNote = o.format === 'xlsx' ? ' Croissant cannot name the workbook sheet it was read from.' : '';
  return {
    '@type': 'cr:RecordSet',
    '@id': o.objectName,
    name: o.objectName,
    description: `The rows of ${sourceWords(o)}: ${plural(o.rowCount, 'row')} and ${plural(o.columns.length, 'column')} at the audit.${sheetNote}`,
    ...(keys.length === 1 ? { key: keys[0]! } : keys.length > 1 ? { key: keys } : {}),
    field: o.columns.map((c) => field(spec, o, c, fileId)),
  };
}

function field(spec: CheckSpec, o: SpecObject, c: SpecColumn, fileId: string): Node {
  const parents = spec.relationships
    .filter((r) => r.child.object === o.objectName && r.child.column === c.name)
    .map((r) => ref(fieldId(r.parent.object, r.parent.column)));
  return {
    '@type': 'cr:Field',
    '@id': fieldId(o.objectName, c.name),
    name: c.name,
    description: c.description,
    ...typing(c),
    source: { fileObject: ref(fileId), extract: { column: c.name } },
    ...(parents.length === 1
      ? { references: parents[0]! }
      : parents.length > 1
        ? { references: parents }
        : {}),
  };
}

/** The dataset's RAI properties, each with the type the RAI 1.0 spec gives it. */
function raiProperties(spec: CheckSpec): Node {
  const timeframe = collectionTimeframe(spec);
  const personal = personalColumnsOf(spec);
  const biases = findingsOfKind(spec, 'bias').map(findingSentence);
  const limitations = findingsOfKind(spec, 'limitation').map(findingSentence);
  return {
    // sc:DateTime, MANY: the start and the end of the event times.
    ...(timeframe ? { 'rai:dataCollectionTimeframe': [timeframe.from, timeframe.to] } : {}),
    // sc:Text, ONE.
    'rai:dataCollectionMissingData': missingDataText(spec),
    // sc:Text, MANY: one entry per personal column, and what the export holds of them.
    'rai:personalSensitiveInformation': [
      ...personal.map(({ object, column }) => personalSentence(object, column)),
      personalDataNote(spec),
    ],
    // sc:Text, MANY.
    'rai:dataBiases': biases.length
      ? biases
      : ['The audit found no open issue of coverage, consistency across sources, drift or balance.'],
    'rai:dataLimitations': limitations.length
      ? limitations
      : ['The audit found no other open issue of volume, labels, timestamps, quality, leakage or relations.'],
  };
}

function datasetDescription(spec: CheckSpec): string {
  return [
    spec.description.trim(),
    `Readiness verdict of the Sprint Zero audit, as of ${formatDate(spec.asOf, 'day')}: ${spec.verdict.label}.`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The Croissant 1.1 + RAI 1.0 description of the spec's files, as
 * `<name>.croissant.json`. Pure: reads only the (already redacted) spec, so a
 * personal column appears by name, type and kind, never by value.
 */
export function writeCroissant(spec: CheckSpec): InteropFile {
  const { nodes, idOf } = fileObjects(spec);
  const doc: Node = {
    '@context': CROISSANT_CONTEXT as unknown as Node,
    '@type': 'sc:Dataset',
    conformsTo: [CROISSANT_SPEC, CROISSANT_RAI_SPEC],
    name: spec.title,
    ...(spec.name === spec.title ? {} : { alternateName: spec.name }),
    description: datasetDescription(spec),
    datePublished: spec.createdAt,
    // A table on a server is read where it changes, not a versioned copy.
    ...(spec.objects.some(isServerTable) ? { isLiveDataset: true } : {}),
    distribution: nodes,
    recordSet: spec.objects.map((o) => recordSet(spec, o, idOf.get(o.objectName)!)),
    ...raiProperties(spec),
  };
  return {
    path: `${spec.name}.croissant.json`,
    mimeType: CROISSANT_MIME,
    text: `${JSON.stringify(doc, null, 2)}\n`,
  };
}
