import { z } from 'zod';
import { PlanStateSchema } from './plan';
import { DeliverableSchema } from './deliverable';
import { DriftStateSchema } from './drift';
import { FeasibilitySchema } from './feasibility';
import { RelationResultSchema, RelationsStateSchema } from './relations';

/**
 * The audit document: one versioned shape shared by the browser's saved and
 * exported audits and the CLI's output. Types, the import validator and the
 * published JSON Schema (`schema/audit.schema.json`) all derive from here.
 */

export const AUDIT_FORMAT = 'sprint-zero-audit';
export const AUDIT_VERSION = 1;

const num = z.number().nullable();

/**
 * Upper bounds that keep a hostile or corrupted audit file from exhausting
 * memory or the page when it is imported. Real audits stay far below them.
 */
export const AUDIT_LIMITS = {
  /** Ids, names, column names, types, labels. */
  shortText: 10_000,
  /** Titles, recommendations, notes, values, evidence. */
  text: 200_000,
  /** The SQL that reproduces a finding. */
  sql: 1_000_000,
  datasets: 200,
  columns: 20_000,
  /** Top values, histogram bins, pairs, months and other lists. */
  listItems: 200_000,
  findings: 5_000,
  /** Rows in one finding's details. */
  details: 10_000,
  /** Keys in one record (evidence, a detail row, an example row). */
  recordKeys: 20_000,
  /** Waivers and notes. */
  annotations: 10_000,
} as const;

const shortText = z.string().max(AUDIT_LIMITS.shortText);
const text = z.string().max(AUDIT_LIMITS.text);
const list = <T extends z.ZodType>(item: T, max: number = AUDIT_LIMITS.listItems) => z.array(item).max(max);
/** A record keyed by dataset id, or a free record, with a bounded number of keys. */
const boundedRecord = <T extends z.ZodType>(value: T, max: number = AUDIT_LIMITS.recordKeys) =>
  z
    .record(shortText, value)
    .refine((r) => Object.keys(r).length <= max, { message: `Too many entries (at most ${max}).` });

export const ColumnSchemaSchema = z.object({ name: shortText, type: shortText });

/**
 * What a dataset was read from: a file's format, or `clickhouse`, a table read
 * in place on a ClickHouse server (no file: size, date and checksum unknown).
 */
export const DatasetFormatSchema = z.enum([
  'csv',
  'parquet',
  'json',
  'ndjson',
  'arrow',
  'xlsx',
  'clickhouse',
]);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

/**
 * Where a `clickhouse` dataset lives: the server's address and the table read
 * in place, what the exports need to point a client's tools at it (ODCS
 * `clickhouse` server, dbt source, GX and Soda data sources). Strict: it holds
 * no user name, password or URL, and a document carrying one is refused.
 */
export const ServerTableSchema = z
  .object({
    protocol: z.enum(['http', 'https']),
    /** A host name or IP address (IPv6 in brackets): never a user name, password or path. */
    host: shortText.regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/),
    port: z.number().int().min(1).max(65_535),
    database: shortText,
    table: shortText,
  })
  .strict();
export type ServerTable = z.infer<typeof ServerTableSchema>;

export const DatasetRefSchema = z
  .object({
    id: shortText,
    fileName: shortText,
    format: DatasetFormatSchema,
    sizeBytes: z.number(),
    lastModified: z.number(),
    rowCount: z.number(),
    columns: list(ColumnSchemaSchema, AUDIT_LIMITS.columns),
    /** file name + size + last-modified + row count + schema hash: recognises the same file on reload. */
    fingerprint: shortText,
    /** Hex SHA-256 of the file's bytes, when the loader could compute it (Croissant's `sha256`, the card). */
    sha256: shortText.regex(/^[0-9a-f]{64}$/).optional(),
    loadedAt: shortText,
    warnings: list(text, 1_000).default([]),
    sheet: shortText.optional(),
    /** A `clickhouse` dataset's server and table; absent for a file. */
    server: ServerTableSchema.optional(),
    csvDialect: z
      .object({ delimiter: shortText, quote: shortText, header: z.boolean(), encoding: shortText })
      .optional(),
  })
  .refine((d) => d.server === undefined || d.format === 'clickhouse', {
    message: 'Only a ClickHouse dataset names a server.',
    path: ['server'],
  });

export const ValueCountSchema = z.object({
  value: z.union([text, z.number(), z.boolean(), z.null()]),
  count: z.number(),
});

export const AlertSchema = z.object({
  /** Stable kebab-case id of the rule, e.g. `high-missing`. */
  kind: shortText,
  column: shortText.optional(),
  message: text,
  /** The measured value that triggered the alert. */
  value: z.number(),
  /** The threshold it crossed, from `core/thresholds`. */
  threshold: z.number(),
});

export const ColumnProfileSchema = z.object({
  name: shortText,
  type: shortText,
  family: z.enum(['numeric', 'temporal', 'categorical', 'text', 'boolean', 'other']),
  count: z.number(),
  missing: z.number(),
  missingLike: z.object({ total: z.number(), values: list(ValueCountSchema) }),
  distinct: z.object({ value: z.number(), approximate: z.boolean() }),
  topK: list(ValueCountSchema),
  otherCount: z.number(),
  /**
   * Ordered pairs of rows sharing a non-missing value, Σ c(c − 1) over the
   * column's values; absent when the values were counted on a sample, and in
   * profiles saved before it was counted.
   */
  matchingPairs: z.number().optional(),
  histogram: list(
    z.object({
      start: z.union([z.number(), text]),
      end: z.union([z.number(), text]),
      count: z.number(),
    }),
  ).optional(),
  numeric: z
    .object({
      min: num,
      max: num,
      mean: num,
      std: num,
      skewness: num,
      kurtosis: num,
      quantiles: boundedRecord(num, 1_000),
      zeros: z.number(),
      negatives: z.number(),
      nonFinite: z.number(),
      iqrOutliers: z.number(),
      sentinels: list(ValueCountSchema),
    })
    .optional(),
  temporal: z
    .object({
      min: text.nullable(),
      max: text.nullable(),
      byMonth: list(z.object({ month: shortText, count: z.number() })),
      byDayOfWeek: list(z.number(), 7),
      byHour: list(z.number(), 24),
      midnight: z.number(),
      defaultDates: list(ValueCountSchema),
    })
    .optional(),
  text: z
    .object({
      lengthMin: num,
      lengthMax: num,
      lengthMean: num,
      shapes: list(ValueCountSchema),
      numericLike: z.number(),
      dateLike: z.number(),
      untrimmed: z.number(),
      variants: list(z.object({ canonical: text, spellings: list(ValueCountSchema) })),
    })
    .optional(),
  boolean: z.object({ trueCount: z.number(), falseCount: z.number() }).optional(),
  pii: list(z.object({ kind: shortText, matches: z.number(), share: z.number() }), 100),
});

export const DatasetProfileSchema = z.object({
  datasetId: shortText,
  rows: z.number(),
  columnCount: z.number(),
  columns: list(ColumnProfileSchema, AUDIT_LIMITS.columns),
  duplicateRows: z.number(),
  /** Pairs of identical rows, Σ C(copies, 2) over every repeated row (absent in profiles saved before it was counted). */
  identicalPairs: z.number().optional(),
  duplicateExample: boundedRecord(z.unknown()).nullable(),
  constantColumns: list(shortText, AUDIT_LIMITS.columns),
  allMissingColumns: list(shortText, AUDIT_LIMITS.columns),
  missingCooccurrence: list(z.object({ a: shortText, b: shortText, both: z.number(), jaccard: z.number() })),
  correlations: list(z.object({ a: shortText, b: shortText, pearson: num, spearman: num, n: z.number() })),
  cramersV: list(z.object({ a: shortText, b: shortText, v: num, n: z.number() })),
  sample: z.object({ sampled: z.boolean(), rows: z.number(), reason: text.optional() }),
  alerts: list(AlertSchema),
  computedAt: shortText,
  durationMs: z.number(),
});

export const TaskTypeSchema = z.enum(['binary', 'multiclass', 'regression']);

export const ProjectContextSchema = z.object({
  decision: text.default(''),
  task: TaskTypeSchema.default('binary'),
  targetDefinition: text.default(''),
  positiveClass: text.default(''),
  predictionPoint: text.default(''),
  /** ISO date; "today" is passed from TypeScript because DuckDB-WASM's current_date needs ICU. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** ISO date: when the history is expected to start; earlier event times are flagged. Absent: judged from the data. */
  historyFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

export const ColumnRolesSchema = z.object({
  target: shortText.optional(),
  id: shortText.optional(),
  eventTime: shortText.optional(),
  outcomeTime: shortText.optional(),
  source: shortText.optional(),
  segments: list(shortText, AUDIT_LIMITS.columns).default([]),
  excluded: list(shortText, AUDIT_LIMITS.columns).default([]),
});

export const AREAS = [
  'volume',
  'labels',
  'time',
  'coverage',
  'consistency',
  'leakage',
  'quality',
  'privacy',
  'metrics',
  // Derived from the sprint-0 deliverable's system and team maps, not from the data.
  'integration',
  'team',
  // Drift inside the history and between extracts (issue 11).
  'drift',
  // Learnability from honest baselines: signal, label noise (issue 21).
  'feasibility',
  // Keys, orphans, fan-out and point-in-time leakage across related tables (issue 22).
  'relations',
] as const;
export const SEVERITIES = ['blocker', 'major', 'minor', 'info'] as const;
export const AreaSchema = z.enum(AREAS);
export const SeveritySchema = z.enum(SEVERITIES);

export const FindingSchema = z.object({
  /** Stable across re-runs: `${check}:${dataset}:${key}`, so waivers stay attached. */
  id: shortText,
  check: shortText.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  area: AreaSchema,
  severity: SeveritySchema,
  title: text,
  datasetId: shortText,
  columns: list(shortText, AUDIT_LIMITS.columns),
  evidence: boundedRecord(z.union([z.number(), text, z.boolean(), z.null()]), 1_000),
  /** Rows behind a chart or an example, small and already aggregated. */
  details: list(boundedRecord(z.unknown()), AUDIT_LIMITS.details).optional(),
  sql: z.string().max(AUDIT_LIMITS.sql),
  recommendation: text,
});

export const WaiverSchema = z.object({ findingId: shortText, reason: text.min(1), at: shortText });
export const NoteSchema = z.object({ findingId: shortText, text, at: shortText });

export const VerdictSchema = z.object({
  /** `not-assessed`: no target, so no verdict (older files never carry it; the verdict is recomputed anyway). */
  status: z.enum(['not-assessed', 'not-ready', 'conditional', 'ready']),
  rule: text,
  byArea: z.array(
    z.object({
      area: AreaSchema,
      blocker: z.number(),
      major: z.number(),
      minor: z.number(),
      info: z.number(),
      waived: z.number(),
    }),
  ),
  openBlockers: list(shortText, AUDIT_LIMITS.findings),
  openMajors: list(shortText, AUDIT_LIMITS.findings),
});

export const REDACTION_MODES = ['none', 'personal', 'strict'] as const;
export const RedactionModeSchema = z.enum(REDACTION_MODES);
export const RedactionSchema = z.object({
  /** `personal`: values of personal-data columns masked; `strict`: every example and top value masked; `none`: values kept by choice. */
  mode: RedactionModeSchema,
  maskedColumns: z.number().int().nonnegative(),
  maskedValues: z.number().int().nonnegative(),
});

export const AuditDocumentSchema = z.object({
  format: z.literal(AUDIT_FORMAT),
  version: z.literal(AUDIT_VERSION),
  id: shortText,
  name: shortText,
  createdAt: shortText,
  updatedAt: shortText,
  context: ProjectContextSchema,
  datasets: list(DatasetRefSchema, AUDIT_LIMITS.datasets),
  /** The dataset the readiness checks run on. */
  primaryDatasetId: shortText.optional(),
  profiles: boundedRecord(DatasetProfileSchema, AUDIT_LIMITS.datasets).default({}),
  roles: boundedRecord(ColumnRolesSchema, AUDIT_LIMITS.datasets).default({}),
  findings: list(FindingSchema, AUDIT_LIMITS.findings).default([]),
  waivers: list(WaiverSchema, AUDIT_LIMITS.annotations).default([]),
  notes: list(NoteSchema, AUDIT_LIMITS.annotations).default([]),
  verdict: VerdictSchema.optional(),
  /** Columns the user marked as personal data, by dataset id, beside those the profile detects. */
  personalColumns: boundedRecord(list(shortText, AUDIT_LIMITS.columns), AUDIT_LIMITS.datasets).optional(),
  /** Columns the user said are not personal data, by dataset id: detection and naming no longer mask them. */
  notPersonalColumns: boundedRecord(list(shortText, AUDIT_LIMITS.columns), AUDIT_LIMITS.datasets).optional(),
  /** How personal values were masked in this copy (export or saved audit); see `core/redact`. */
  redaction: RedactionSchema.optional(),
  /** The user chose to keep personal values in the saved audit (they are masked by default). */
  storePersonalValues: z.boolean().optional(),
  /** Save counter: a write based on an older revision is refused instead of overwriting a newer one. */
  revision: z.number().int().nonnegative().optional(),
  /** The success-metric plan and what was computed for it from the data (issue 10). */
  plan: PlanStateSchema.optional(),
  /** The sprint-0 deliverable's non-data sections (core/deliverable); absent until someone fills them in. */
  deliverable: DeliverableSchema.optional(),
  /** Drift: reference against current, drift inside the history, the monitoring contract (issue 11). */
  drift: DriftStateSchema.optional(),
  /** Baselines, learning curve, label noise and the Data Readiness Level band (issue 21). */
  feasibility: FeasibilitySchema.optional(),
  /** Related tables: accepted and suggested relations between the datasets (issue 22). */
  relationState: RelationsStateSchema.optional(),
  /** What each accepted relation's checks measured (issue 22). */
  relations: list(RelationResultSchema, 1_000).optional(),
});

export type ColumnSchema = z.infer<typeof ColumnSchemaSchema>;
export type DatasetRef = z.infer<typeof DatasetRefSchema>;
export type ValueCount = z.infer<typeof ValueCountSchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type ColumnProfile = z.infer<typeof ColumnProfileSchema>;
export type ColumnFamily = ColumnProfile['family'];
export type DatasetProfile = z.infer<typeof DatasetProfileSchema>;
export type TaskType = z.infer<typeof TaskTypeSchema>;
export type ProjectContext = z.infer<typeof ProjectContextSchema>;
export type ColumnRoles = z.infer<typeof ColumnRolesSchema>;
export type Area = z.infer<typeof AreaSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type Waiver = z.infer<typeof WaiverSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type AuditDocument = z.infer<typeof AuditDocumentSchema>;
export type RedactionMode = z.infer<typeof RedactionModeSchema>;
export type Redaction = z.infer<typeof RedactionSchema>;
