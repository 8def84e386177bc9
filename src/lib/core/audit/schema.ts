import { z } from 'zod';

/**
 * The audit document: one versioned shape shared by the browser's saved and
 * exported audits and the CLI's output. Types, the import validator and the
 * published JSON Schema (`schema/audit.schema.json`) all derive from here.
 */

export const AUDIT_FORMAT = 'sprint-zero-audit';
export const AUDIT_VERSION = 1;

const num = z.number().nullable();

export const ColumnSchemaSchema = z.object({ name: z.string(), type: z.string() });

export const DatasetRefSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'parquet', 'json', 'ndjson', 'arrow', 'xlsx']),
  sizeBytes: z.number(),
  lastModified: z.number(),
  rowCount: z.number(),
  columns: z.array(ColumnSchemaSchema),
  /** file name + size + last-modified + row count + schema hash: recognises the same file on reload. */
  fingerprint: z.string(),
  loadedAt: z.string(),
  warnings: z.array(z.string()).default([]),
  sheet: z.string().optional(),
  csvDialect: z
    .object({ delimiter: z.string(), quote: z.string(), header: z.boolean(), encoding: z.string() })
    .optional(),
});

export const ValueCountSchema = z.object({
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  count: z.number(),
});

export const AlertSchema = z.object({
  /** Stable kebab-case id of the rule, e.g. `high-missing`. */
  kind: z.string(),
  column: z.string().optional(),
  message: z.string(),
  /** The measured value that triggered the alert. */
  value: z.number(),
  /** The threshold it crossed, from `core/thresholds`. */
  threshold: z.number(),
});

export const ColumnProfileSchema = z.object({
  name: z.string(),
  type: z.string(),
  family: z.enum(['numeric', 'temporal', 'categorical', 'text', 'boolean', 'other']),
  count: z.number(),
  missing: z.number(),
  missingLike: z.object({ total: z.number(), values: z.array(ValueCountSchema) }),
  distinct: z.object({ value: z.number(), approximate: z.boolean() }),
  topK: z.array(ValueCountSchema),
  otherCount: z.number(),
  histogram: z
    .array(
      z.object({
        start: z.union([z.number(), z.string()]),
        end: z.union([z.number(), z.string()]),
        count: z.number(),
      }),
    )
    .optional(),
  numeric: z
    .object({
      min: num,
      max: num,
      mean: num,
      std: num,
      skewness: num,
      kurtosis: num,
      quantiles: z.record(z.string(), num),
      zeros: z.number(),
      negatives: z.number(),
      nonFinite: z.number(),
      iqrOutliers: z.number(),
      sentinels: z.array(ValueCountSchema),
    })
    .optional(),
  temporal: z
    .object({
      min: z.string().nullable(),
      max: z.string().nullable(),
      byMonth: z.array(z.object({ month: z.string(), count: z.number() })),
      byDayOfWeek: z.array(z.number()),
      byHour: z.array(z.number()),
      midnight: z.number(),
      defaultDates: z.array(ValueCountSchema),
    })
    .optional(),
  text: z
    .object({
      lengthMin: num,
      lengthMax: num,
      lengthMean: num,
      shapes: z.array(ValueCountSchema),
      numericLike: z.number(),
      dateLike: z.number(),
      untrimmed: z.number(),
      variants: z.array(z.object({ canonical: z.string(), spellings: z.array(ValueCountSchema) })),
    })
    .optional(),
  boolean: z.object({ trueCount: z.number(), falseCount: z.number() }).optional(),
  pii: z.array(z.object({ kind: z.string(), matches: z.number(), share: z.number() })),
});

export const DatasetProfileSchema = z.object({
  datasetId: z.string(),
  rows: z.number(),
  columnCount: z.number(),
  columns: z.array(ColumnProfileSchema),
  duplicateRows: z.number(),
  duplicateExample: z.record(z.string(), z.unknown()).nullable(),
  constantColumns: z.array(z.string()),
  allMissingColumns: z.array(z.string()),
  missingCooccurrence: z.array(
    z.object({ a: z.string(), b: z.string(), both: z.number(), jaccard: z.number() }),
  ),
  correlations: z.array(
    z.object({ a: z.string(), b: z.string(), pearson: num, spearman: num, n: z.number() }),
  ),
  cramersV: z.array(z.object({ a: z.string(), b: z.string(), v: num, n: z.number() })),
  sample: z.object({ sampled: z.boolean(), rows: z.number(), reason: z.string().optional() }),
  alerts: z.array(AlertSchema),
  computedAt: z.string(),
  durationMs: z.number(),
});

export const TaskTypeSchema = z.enum(['binary', 'multiclass', 'regression']);

export const ProjectContextSchema = z.object({
  decision: z.string().default(''),
  task: TaskTypeSchema.default('binary'),
  targetDefinition: z.string().default(''),
  positiveClass: z.string().default(''),
  predictionPoint: z.string().default(''),
  /** ISO date; "today" is passed from TypeScript because DuckDB-WASM's current_date needs ICU. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const ColumnRolesSchema = z.object({
  target: z.string().optional(),
  id: z.string().optional(),
  eventTime: z.string().optional(),
  outcomeTime: z.string().optional(),
  source: z.string().optional(),
  segments: z.array(z.string()).default([]),
  excluded: z.array(z.string()).default([]),
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
] as const;
export const SEVERITIES = ['blocker', 'major', 'minor', 'info'] as const;
export const AreaSchema = z.enum(AREAS);
export const SeveritySchema = z.enum(SEVERITIES);

export const FindingSchema = z.object({
  /** Stable across re-runs: `${check}:${dataset}:${key}`, so waivers stay attached. */
  id: z.string(),
  check: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  area: AreaSchema,
  severity: SeveritySchema,
  title: z.string(),
  datasetId: z.string(),
  columns: z.array(z.string()),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  /** Rows behind a chart or an example, small and already aggregated. */
  details: z.array(z.record(z.string(), z.unknown())).optional(),
  sql: z.string(),
  recommendation: z.string(),
});

export const WaiverSchema = z.object({ findingId: z.string(), reason: z.string().min(1), at: z.string() });
export const NoteSchema = z.object({ findingId: z.string(), text: z.string(), at: z.string() });

export const VerdictSchema = z.object({
  status: z.enum(['not-ready', 'conditional', 'ready']),
  rule: z.string(),
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
  openBlockers: z.array(z.string()),
  openMajors: z.array(z.string()),
});

export const AuditDocumentSchema = z.object({
  format: z.literal(AUDIT_FORMAT),
  version: z.literal(AUDIT_VERSION),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  context: ProjectContextSchema,
  datasets: z.array(DatasetRefSchema),
  /** The dataset the readiness checks run on. */
  primaryDatasetId: z.string().optional(),
  profiles: z.record(z.string(), DatasetProfileSchema).default({}),
  roles: z.record(z.string(), ColumnRolesSchema).default({}),
  findings: z.array(FindingSchema).default([]),
  waivers: z.array(WaiverSchema).default([]),
  notes: z.array(NoteSchema).default([]),
  verdict: VerdictSchema.optional(),
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
