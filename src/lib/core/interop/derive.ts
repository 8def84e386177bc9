import type { AuditDocument, ColumnRoles, DatasetRef, RedactionMode } from '../model/audit';
import { sameLink } from '../model/relations';
import { primaryDatasetId } from '../audit/edits';
import { formatCount, formatDate, formatShare } from '../format';
import { personalColumns, redactForExport } from '../redact';
import { VERDICT_LABELS, verdictFor } from '../readiness/verdict';
import { keysComparedAsText } from '../sql/relations';
import { sqlKind } from '../sql/types';
import { columnRules, tableRules } from './derive-rules';
import { allDistinct, keyLikeName, type DeriveContext } from './derive-values';
import { driftRules, findingRules, relationRules } from './derive-links';
import type {
  CheckSpec,
  LogicalType,
  SpecColumn,
  SpecFinding,
  SpecObject,
  SpecRelationship,
  SpecRule,
} from './spec';

/** Options of `deriveCheckSpec`. */
export interface DeriveCheckSpecOptions {
  /** How personal values are masked before anything is read (default `personal`). */
  redaction?: RedactionMode;
}

/** `customer-churn.csv` → `customer_churn`: lower-case letters, digits and underscores, never empty or leading with a digit. */
export function identifierName(text: string, fallback = 'dataset'): string {
  const base = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = base || fallback;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A file name without its extension(s): `orders.csv.gz` → `orders`. */
function stem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * What an object is named after: a file's stem, or a server table's own name
 * (`db.orders` → `orders`, not the database).
 */
function objectStem(dataset: DatasetRef): string {
  if (dataset.format !== 'clickhouse') return stem(dataset.fileName);
  return dataset.server?.table ?? dataset.fileName.slice(dataset.fileName.indexOf('.') + 1);
}

/** The logical type of a DuckDB type: the common ground of the export formats. */
export function logicalType(duckdbType: string): LogicalType {
  const kind = sqlKind(duckdbType);
  if (kind === 'integer') return 'integer';
  if (kind === 'float' || kind === 'decimal') return 'number';
  if (kind === 'date') return 'date';
  if (kind === 'timestamp') return 'timestamp';
  if (kind === 'boolean') return 'boolean';
  if (kind === 'string') return 'string';
  const type = duckdbType.trim().toUpperCase();
  if (type.endsWith('[]') || type.startsWith('LIST') || /\[\d+\]$/.test(type)) return 'array';
  if (type.startsWith('STRUCT') || type.startsWith('MAP') || type === 'JSON') return 'object';
  if (type.startsWith('TIMESTAMP')) return 'timestamp';
  return 'string';
}

const ROLE_WORDS: Record<NonNullable<SpecColumn['role']>, string> = {
  target: 'The target (label)',
  id: 'The record ID',
  eventTime: 'The event time (prediction point)',
  outcomeTime: 'The outcome time',
  source: 'The source system',
  segment: 'A segment',
  excluded: 'Excluded from features',
};

function roleOf(roles: ColumnRoles | undefined, column: string): SpecColumn['role'] {
  if (!roles) return undefined;
  if (roles.target === column) return 'target';
  if (roles.id === column) return 'id';
  if (roles.eventTime === column) return 'eventTime';
  if (roles.outcomeTime === column) return 'outcomeTime';
  if (roles.source === column) return 'source';
  if (roles.segments.includes(column)) return 'segment';
  if (roles.excluded.includes(column)) return 'excluded';
  return undefined;
}

function columnDescription(c: Omit<SpecColumn, 'description'>, profiled: boolean): string {
  const parts = [c.role ? `${ROLE_WORDS[c.role]}, ${c.logicalType}` : `A ${c.logicalType} column`];
  if (c.primaryKey) parts.push('primary key');
  else if (c.unique) parts.push('unique');
  if (profiled)
    parts.push(
      c.missingShare > 0 ? `${formatShare(c.missingShare)} missing` : 'never missing',
      `${formatCount(c.distinct)} distinct values`,
    );
  const sentence = parts.join('; ') + '.';
  if (!c.personal) return sentence;
  const kinds = c.personal.kinds.length ? ` (${c.personal.kinds.join(', ')})` : '';
  return `${sentence} Personal data${kinds}: its values are never exported.`;
}

function specColumns(
  dataset: DatasetRef,
  ctx: Pick<DeriveContext, 'doc' | 'personal' | 'rolesOf' | 'relations'>,
  personalInfo: Map<string, SpecColumn['personal']>,
): SpecColumn[] {
  const profile = ctx.doc.profiles[dataset.id];
  const roles = ctx.rolesOf(dataset.id);
  const parentKeys = new Set(
    ctx.relations.filter((r) => r.link.parent.dataset === dataset.id).map((r) => r.link.parent.column),
  );
  const profiled = (name: string) => profile?.columns.find((c) => c.name === name);
  const isKey = (name: string) => roleOf(roles, name) === 'id' || parentKeys.has(name) || keyLikeName(name);
  const isUnique = (name: string) => {
    const p = profiled(name);
    return Boolean(p && isKey(name) && allDistinct(p));
  };
  // One primary key: the ID role, else a relation's parent key, else the first key-like name, if unique.
  const candidates = [
    ...(roles?.id ? [roles.id] : []),
    ...parentKeys,
    ...dataset.columns.map((c) => c.name).filter(keyLikeName),
  ];
  const primary = candidates.find(isUnique);
  return dataset.columns.map((col) => {
    const p = profiled(col.name);
    const role = roleOf(roles, col.name);
    const unique = isUnique(col.name);
    const primaryKey = col.name === primary;
    const rows = profile?.rows ?? 0;
    const base: Omit<SpecColumn, 'description'> = {
      name: col.name,
      physicalType: col.type,
      logicalType: logicalType(col.type),
      required: Boolean(p && p.missing === 0),
      unique,
      primaryKey,
      ...(personalInfo.has(col.name) ? { personal: personalInfo.get(col.name)! } : {}),
      ...(role ? { role } : {}),
      missingShare: p && rows > 0 ? p.missing / rows : 0,
      distinct: p?.distinct.value ?? 0,
    };
    return { ...base, description: columnDescription(base, p !== undefined) };
  });
}

/** Unique identifier-safe names, in order: a clash gets `_2`, `_3`… */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let out = name;
    for (let i = 2; used.has(out); i++) out = `${name}_${i}`;
    used.add(out);
    return out;
  });
}

function isoDay(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return m?.[1];
}

function specObjects(
  ctx: Omit<DeriveContext, 'objects' | 'objectOf'>,
  personalInfo: (id: string) => Map<string, SpecColumn['personal']>,
): SpecObject[] {
  const { doc } = ctx;
  const primary = primaryDatasetId(doc);
  const names = uniqueNames(doc.datasets.map((d) => identifierName(objectStem(d))));
  return doc.datasets.map((dataset, i) => {
    const columns = specColumns(dataset, ctx, personalInfo(dataset.id));
    const roles = ctx.rolesOf(dataset.id);
    const time = roles?.eventTime ? ctx.profileOf(dataset.id, roles.eventTime)?.temporal : undefined;
    const from = isoDay(time?.min);
    const to = isoDay(time?.max);
    return {
      datasetId: dataset.id,
      objectName: names[i]!,
      fileName: dataset.fileName,
      format: dataset.format,
      ...(dataset.server ? { server: dataset.server } : {}),
      sizeBytes: dataset.sizeBytes,
      ...(dataset.sha256 ? { sha256: dataset.sha256 } : {}),
      rowCount: doc.profiles[dataset.id]?.rows ?? dataset.rowCount,
      primary: dataset.id === primary,
      columns,
      ...(roles?.eventTime && from && to ? { timeCoverage: { column: roles.eventTime, from, to } } : {}),
    };
  });
}

function specRelationships(ctx: DeriveContext): SpecRelationship[] {
  const out: SpecRelationship[] = [];
  for (const { link, result } of ctx.relations) {
    const child = ctx.objectOf(link.child.dataset);
    const parent = ctx.objectOf(link.parent.dataset);
    if (!child || !parent) continue;
    const typeOf = (o: SpecObject, column: string) => o.columns.find((c) => c.name === column)?.physicalType;
    const ct = typeOf(child, link.child.column);
    const pt = typeOf(parent, link.parent.column);
    out.push({
      child: { object: child.objectName, column: link.child.column },
      parent: { object: parent.objectName, column: link.parent.column },
      cardinality: result?.cardinality ?? 'n:1',
      comparedAsText: result?.comparedAsText ?? (ct && pt ? keysComparedAsText(ct, pt) : false),
    });
  }
  return out;
}

function specFindings(ctx: DeriveContext): SpecFinding[] {
  const waived = new Set(ctx.doc.waivers.map((w) => w.findingId));
  return ctx.doc.findings
    .filter((f) => !waived.has(f.id))
    .map((f) => ({
      id: f.id,
      check: f.check,
      area: f.area,
      severity: f.severity,
      title: f.title,
      object: ctx.objectOf(f.datasetId)?.objectName ?? f.datasetId,
      columns: [...f.columns],
      recommendation: f.recommendation,
    }));
}

function specDescription(doc: AuditDocument): string {
  const { decision, targetDefinition } = doc.context;
  const parts = [
    decision.trim() && `Decision: ${decision.trim().replace(/\.$/, '')}.`,
    targetDefinition.trim() && `Target: ${targetDefinition.trim().replace(/\.$/, '')}.`,
  ].filter(Boolean);
  return parts.length
    ? parts.join(' ')
    : `Checks derived from the Sprint Zero audit “${doc.name}”, judged as of ${formatDate(doc.context.asOf, 'day')}.`;
}

/** Rule ids made unique in order (a second `unique:x:y` becomes `unique:x:y:2`). */
function withUniqueIds(rules: SpecRule[]): SpecRule[] {
  const used = new Set<string>();
  return rules.map((r) => {
    let id = r.id;
    for (let i = 2; used.has(id); i++) id = `${r.id}:${i}`;
    used.add(id);
    return id === r.id ? r : { ...r, id };
  });
}

/**
 * The check spec of an audit (issue 23): its datasets as objects and
 * columns, its relations, its open findings, and the rules a client's
 * pipeline can run, each with the DuckDB SQL that measures it and the value
 * that SQL returns on the audited data. The audit is redacted first
 * (`redaction`, default `personal`) and every text and value is read from the
 * redacted copy; a personal column's values never appear (no accepted values,
 * range or invalid values for it), and `strict` lists no value at all.
 */
export function deriveCheckSpec(doc: AuditDocument, options: DeriveCheckSpecOptions = {}): CheckSpec {
  const mode = options.redaction ?? 'personal';
  const redacted = redactForExport(doc, mode);
  const personal = new Map<string, Set<string>>();
  const personalInfo = new Map<string, Map<string, SpecColumn['personal']>>();
  for (const p of personalColumns(doc)) {
    if (!personal.has(p.datasetId)) personal.set(p.datasetId, new Set());
    personal.get(p.datasetId)!.add(p.column);
    if (!personalInfo.has(p.datasetId)) personalInfo.set(p.datasetId, new Map());
    personalInfo.get(p.datasetId)!.set(p.column, { reason: p.reason, kinds: [...p.kinds] });
  }
  const accepted = redacted.relationState?.accepted ?? [];
  const original = doc.drift?.contract;
  const base = {
    doc: redacted,
    contractSql: (column: string, statistic: string) =>
      [...(original?.columns ?? []), ...(original?.label ? [original.label] : [])]
        .find((c) => c.column === column)
        ?.statistics.find((s) => s.name === statistic)?.sql,
    strict: mode === 'strict',
    personal,
    profileOf: (id: string, column: string) => redacted.profiles[id]?.columns.find((c) => c.name === column),
    rolesOf: (id: string) => redacted.roles[id],
    relations: accepted.map((a) => {
      const result = redacted.relations?.find((r) => sameLink(r, a));
      const link = { child: a.child, parent: a.parent };
      return result ? { link, result } : { link };
    }),
  };
  const objects = specObjects(base, (id) => personalInfo.get(id) ?? new Map());
  const byId = new Map(objects.map((o) => [o.datasetId, o]));
  const ctx: DeriveContext = { ...base, objects, objectOf: (id) => byId.get(id) };

  const rules = withUniqueIds([
    ...objects.flatMap((o) => [...tableRules(ctx, o), ...columnRules(ctx, o)]),
    ...relationRules(ctx),
    ...findingRules(ctx),
    ...driftRules(ctx),
  ]);

  const verdict = verdictFor(redacted.findings, redacted.waivers);
  const targetObject = objects.find((o) => o.columns.some((c) => c.role === 'target'));
  const targetColumn = targetObject?.columns.find((c) => c.role === 'target');
  return {
    name: identifierName(redacted.name, 'audit'),
    title: redacted.name,
    description: specDescription(redacted),
    createdAt: redacted.updatedAt,
    asOf: redacted.context.asOf,
    verdict: { status: verdict.status, label: VERDICT_LABELS[verdict.status] },
    redaction: mode,
    objects,
    relationships: specRelationships(ctx),
    rules,
    findings: specFindings(ctx),
    ...(targetObject && targetColumn
      ? {
          target: { object: targetObject.objectName, column: targetColumn.name, task: redacted.context.task },
        }
      : {}),
  };
}
