import { Document } from 'yaml';
import { formatDate, plural } from '../format';
import type { CheckSpec, InteropFile, SpecColumn, SpecObject, SpecRule } from './spec';
import { isServerTable, sourceWords } from '../model/dataset-source';
import {
  ODCS_API_VERSION,
  ODCS_PERSONAL_CLASSIFICATION,
  OPERATORS,
  SEVERITIES,
  OdcsError,
  odcsQuery,
  paramsFromLibrary,
  toPercent,
  type OdcsMetric,
  type Params,
} from './odcs-terms';

export {
  ODCS_API_VERSION,
  ODCS_OBJECT,
  ODCS_PERSONAL_CLASSIFICATION,
  ODCS_TODAY,
  OdcsError,
  odcsQuery,
  type OdcsMetric,
} from './odcs-terms';
export {
  readOdcs,
  type OdcsColumn,
  type OdcsReadBack,
  type OdcsRelationship,
  type OdcsRule,
} from './odcs-read';

/**
 * The check spec as an Open Data Contract Standard v3.1.0 data contract
 * (bitol-io/open-data-contract-standard, docs/schema.md, docs/data-quality.md,
 * docs/references.md). Rules become library metrics where ODCS defines one
 * with the same count, `type: sql` quality rules elsewhere; relations become
 * schema-level `relationships`; personal columns get a `classification` and
 * never an example. Each rule keeps its spec id, kind, measure, observed value
 * and source in `customProperties`, so `readOdcs` gives the same rules back.
 */

/** How a rule reads as an ODCS library metric: the metric, its arguments and the unit its threshold is in. */
interface LibraryForm {
  metric: OdcsMetric;
  unit: 'rows' | 'percent';
  arguments?: Record<string, unknown>;
}

/**
 * The library metric counting what the rule's SQL counts, if there is one.
 * ODCS leaves open whether `duplicateValues` counts values or extra rows; the
 * two agree only at zero, so a uniqueness rule with any slack stays SQL.
 * Sentinels (`invalid-values`) stay SQL too: `missingValues` counts nulls
 * besides the listed values in datacontract-cli, which would fail a nullable
 * column for its nulls.
 */
function libraryForm(rule: SpecRule): LibraryForm | undefined {
  const single = rule.columns.length === 1;
  const values = rule.params.values ?? [];
  const none = rule.expect.op !== '>=' && rule.expect.threshold === 0;
  switch (rule.kind) {
    case 'row-count':
      return rule.columns.length === 0 && rule.measure === 'rows'
        ? { metric: 'rowCount', unit: 'rows' }
        : undefined;
    case 'not-null':
      return single && rule.measure === 'violations' ? { metric: 'nullValues', unit: 'rows' } : undefined;
    case 'null-rate':
      return single && rule.measure === 'share' ? { metric: 'nullValues', unit: 'percent' } : undefined;
    case 'unique':
      if (!none || rule.columns.length === 0) return undefined;
      return single
        ? { metric: 'duplicateValues', unit: 'rows' }
        : { metric: 'duplicateValues', unit: 'rows', arguments: { properties: rule.columns } };
    case 'accepted-values':
      return single && values.length > 0
        ? { metric: 'invalidValues', unit: 'rows', arguments: { validValues: values } }
        : undefined;
    default:
      return undefined;
  }
}

/** ODCS stable ids allow letters, digits, `-` and `_`; unique within their list. */
function stableIds(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    const base = name.replace(/[^A-Za-z0-9_-]+/g, '_') || 'x';
    let id = base;
    for (let n = 2; seen.has(id); n++) id = `${base}_${n}`;
    seen.add(id);
    return id;
  });
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface IdMap {
  object: Map<string, string>;
  property: Map<string, Map<string, string>>;
}

function idMap(spec: CheckSpec): IdMap {
  const objectIds = stableIds(spec.objects.map((o) => o.objectName));
  const map: IdMap = { object: new Map(), property: new Map() };
  spec.objects.forEach((o, i) => {
    map.object.set(o.objectName, objectIds[i]!);
    const propertyIds = stableIds(o.columns.map((c) => c.name));
    map.property.set(o.objectName, new Map(o.columns.map((c, j) => [c.name, propertyIds[j]!])));
  });
  return map;
}

/** ODCS's shorthand `object.property` when both are plain names, its fully qualified id path otherwise. */
function reference(ids: IdMap, object: string, column: string): string {
  if (NAME.test(object) && NAME.test(column)) return `${object}.${column}`;
  const objectId = ids.object.get(object);
  const propertyId = ids.property.get(object)?.get(column);
  if (!objectId || !propertyId) throw new OdcsError(`No column ${column} in ${object} to reference`);
  return `schema/${objectId}/properties/${propertyId}`;
}

const custom = (entries: Record<string, unknown>) =>
  Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([property, value]) => ({ property, value }));

function leftoverParams(rule: SpecRule, carried: Params): Params | undefined {
  const rest = Object.fromEntries(
    Object.entries(rule.params).filter(
      ([key, value]) => JSON.stringify(carried[key as keyof Params]) !== JSON.stringify(value),
    ),
  );
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function qualityRule(rule: SpecRule, id: string, multiColumnLevel: boolean): Record<string, unknown> {
  const form = libraryForm(rule);
  const operator = OPERATORS[rule.expect.op];
  const head = {
    id,
    description: rule.description,
    dimension: rule.dimension,
    severity: SEVERITIES[rule.severity],
  };
  const body = form
    ? {
        type: 'library',
        metric: form.metric,
        ...(form.arguments && { arguments: form.arguments }),
        [operator]: form.unit === 'percent' ? toPercent(rule.expect.threshold) : rule.expect.threshold,
        unit: form.unit,
      }
    : { type: 'sql', query: odcsQuery(rule), [operator]: rule.expect.threshold };
  const carried = form ? paramsFromLibrary(rule.kind, form.arguments ?? {}, rule.expect.threshold) : {};
  const columnsCarried = !multiColumnLevel || form?.arguments?.['properties'] !== undefined;
  return {
    ...head,
    ...body,
    customProperties: custom({
      ruleId: rule.id,
      ruleKind: rule.kind,
      measure: rule.measure,
      observed: rule.observed,
      source: rule.source,
      columns: columnsCarried || rule.columns.length === 0 ? undefined : rule.columns,
      params: leftoverParams(rule, carried),
    }),
  };
}

function property(column: SpecColumn, id: string, pkPosition: number | undefined, quality: unknown[]) {
  return {
    id,
    name: column.name,
    logicalType: column.logicalType,
    physicalType: column.physicalType,
    description: column.description,
    required: column.required,
    unique: column.unique,
    primaryKey: column.primaryKey,
    ...(pkPosition !== undefined && { primaryKeyPosition: pkPosition }),
    ...(column.personal && {
      classification: ODCS_PERSONAL_CLASSIFICATION,
      tags: ['personal-data', ...column.personal.kinds.map((k) => `personal-data:${k}`)],
    }),
    ...(quality.length > 0 && { quality }),
    customProperties: custom({
      role: column.role,
      personalReason: column.personal?.reason,
      missingShare: column.missingShare,
      distinct: column.distinct,
    }),
  };
}

function schemaObject(spec: CheckSpec, object: SpecObject, ids: IdMap) {
  const rules = spec.rules.filter((r) => r.object === object.objectName);
  const propertyIds = ids.property.get(object.objectName)!;
  const onColumn = (r: SpecRule) => r.columns.length === 1 && propertyIds.has(r.columns[0]!);
  const objectRules = rules.filter((r) => !onColumn(r));
  const objectRuleIds = stableIds(objectRules.map((r) => r.id));
  const keys = object.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const relationships = spec.relationships
    .filter((rel) => rel.child.object === object.objectName)
    .map((rel) => ({
      type: 'foreignKey',
      from: reference(ids, rel.child.object, rel.child.column),
      to: reference(ids, rel.parent.object, rel.parent.column),
      customProperties: custom({ cardinality: rel.cardinality, comparedAsText: rel.comparedAsText }),
    }));
  return {
    id: ids.object.get(object.objectName)!,
    name: object.objectName,
    physicalName: object.server?.table ?? object.objectName,
    physicalType: 'table',
    logicalType: 'object',
    description: `${sourceWords(object)}: ${plural(object.rowCount, 'row')} at the audit.`,
    ...(keys.length > 0 && { dataGranularityDescription: `One row per ${keys.join(', ')}.` }),
    properties: object.columns.map((c) => {
      const columnRules = rules.filter((r) => onColumn(r) && r.columns[0] === c.name);
      const ruleIds = stableIds(columnRules.map((r) => r.id));
      const position = keys.indexOf(c.name);
      return property(
        c,
        propertyIds.get(c.name)!,
        position < 0 ? undefined : position + 1,
        columnRules.map((r, i) => qualityRule(r, ruleIds[i]!, false)),
      );
    }),
    ...(relationships.length > 0 && { relationships }),
    ...(objectRules.length > 0 && {
      quality: objectRules.map((r, i) => qualityRule(r, objectRuleIds[i]!, true)),
    }),
    customProperties: custom({
      fileName: object.fileName,
      format: object.format,
      // A table read in place has no size to state (0 would read as an empty file).
      sizeBytes: isServerTable(object) ? undefined : object.sizeBytes,
      sha256: object.sha256,
      rowCount: object.rowCount,
      primary: object.primary,
      timeCoverage: object.timeCoverage,
    }),
  };
}

/**
 * Where the audited files are, as ODCS `local` servers: they name the SQL
 * dialect (DuckDB reads local files) and the table each object is. When every
 * file is `<object>.<ext>` in one format, one server reads them all through
 * datacontract-cli's `{model}` path, so a relation's query sees both tables.
 */
function localServers(files: SpecObject[]): Record<string, unknown>[] {
  const [first] = files;
  const ext = first?.fileName.slice(first.objectName.length);
  const shared =
    first !== undefined &&
    files.length > 1 &&
    files.every((o) => o.format === first.format && o.fileName === `${o.objectName}${ext}`);
  const description =
    'The audited files; the quality queries are DuckDB SQL, reading each file as a table named after its object.';
  if (shared)
    return [{ server: 'audited', type: 'local', description, path: `./{model}${ext}`, format: first.format }];
  return files.map((o) => ({
    server: o.objectName,
    type: 'local',
    description: `The audited ${o.fileName}; the quality queries are DuckDB SQL reading it as table ${o.objectName}.`,
    path: `./${o.fileName}`,
    format: o.format,
  }));
}

/**
 * Tables read in place on ClickHouse, as ODCS `clickhouse` servers (host,
 * port and database, as the schema requires): one per database of one
 * server, the objects' `physicalName` naming their tables in it. The port is
 * the HTTP interface's the audit read through, and its scheme rides in
 * `customProperties`. No user or password: the document never holds one.
 */
function clickhouseServers(tables: SpecObject[]): Record<string, unknown>[] {
  const byDatabase = new Map<string, SpecObject[]>();
  for (const o of tables) {
    // An audit saved before servers were recorded knows the table only: no address to write.
    if (!o.server) continue;
    const key = JSON.stringify([o.server.protocol, o.server.host, o.server.port, o.server.database]);
    byDatabase.set(key, [...(byDatabase.get(key) ?? []), o]);
  }
  const groups = [...byDatabase.values()];
  const ids = stableIds(
    groups.map((g) => (groups.length === 1 ? 'clickhouse' : `clickhouse_${g[0]!.server!.database}`)),
  );
  return groups.map((objects, i) => {
    const { protocol, host, port, database } = objects[0]!.server!;
    const names = objects.map((o) => `${database}.${o.server!.table}`).join(', ');
    return {
      server: ids[i]!,
      type: 'clickhouse',
      description: `The audited ClickHouse ${objects.length === 1 ? 'table' : 'tables'} ${names} on ${host}:${port}, read in place; the quality queries are DuckDB SQL naming each table by its object.`,
      host,
      port,
      database,
      customProperties: custom({ protocol }),
    };
  });
}

function servers(spec: CheckSpec): Record<string, unknown>[] {
  const files = spec.objects.filter((o) => !isServerTable(o));
  return [
    ...(files.length > 0 ? localServers(files) : []),
    ...clickhouseServers(spec.objects.filter(isServerTable)),
  ];
}

/**
 * The ODCS v3.1.0 data contract of a check spec, as YAML: `${spec.name}.odcs.yaml`.
 * Pure: the spec is already redacted, so this writes no value the spec lacks.
 */
export function writeOdcs(spec: CheckSpec): InteropFile {
  const ids = idMap(spec);
  const known = new Set(spec.objects.map((o) => o.objectName));
  const stray = spec.rules.find((r) => !known.has(r.object));
  if (stray) throw new OdcsError(`Rule ${stray.id} reads ${stray.object}, which the spec does not describe`);
  const contract = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: spec.name,
    name: spec.title,
    version: '1.0.0',
    status: 'proposed',
    description: {
      purpose: spec.description,
      usage: `Checks derived by a Sprint Zero audit judged as of ${formatDate(spec.asOf, 'day')}: run them on each new extract before training and scoring.`,
      limitations: spec.verdict.label,
    },
    tags: ['sprint-zero'],
    servers: servers(spec),
    contractCreatedTs: spec.createdAt,
    schema: spec.objects.map((o) => schemaObject(spec, o, ids)),
    customProperties: custom({
      asOf: spec.asOf,
      redaction: spec.redaction,
      verdict: spec.verdict.status,
      target: spec.target,
    }),
  };
  // No anchors or aliases: shared arrays are written out in full, as any reader expects. Written
  // under YAML 1.1 rules, as datacontract-cli reads it with PyYAML: `No`, `on` and `2026-11-01` stay quoted strings.
  const text = new Document(contract, { version: '1.1', aliasDuplicateObjects: false }).toString({
    lineWidth: 0,
  });
  return { path: `${spec.name}.odcs.yaml`, mimeType: 'application/yaml', text };
}
