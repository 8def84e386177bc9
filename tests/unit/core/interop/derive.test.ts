import { describe, expect, it } from 'vitest';
import type {
  AuditDocument,
  ColumnProfile,
  DatasetProfile,
  DatasetRef,
  Finding,
} from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import { deriveCheckSpec, identifierName, logicalType } from '../../../../src/lib/core/interop/derive';
import { SPEC_DIMENSIONS, type CheckSpec } from '../../../../src/lib/core/interop/spec';
import { formatCount, formatShare } from '../../../../src/lib/core/format';
import { INTEROP_THRESHOLDS, INTEROP_THRESHOLD_SOURCES } from '../../../../src/lib/core/thresholds';

/**
 * deriveCheckSpec on a small hand-made audit: two files whose names clash,
 * an ID, a personal e-mail column (by name) with values in its top values and
 * in a finding, a category with a missing-value token, a fee with a sentinel,
 * a target with nulls, and a waived finding.
 */

const EMAILS = ['ann.lee@example.org', 'bo.chan@example.org'];

function column(
  name: string,
  type: string,
  family: ColumnProfile['family'],
  extra: Partial<ColumnProfile> = {},
): ColumnProfile {
  return {
    name,
    type,
    family,
    count: 10 - (extra.missing ?? 0),
    missing: 0,
    missingLike: { total: 0, values: [] },
    distinct: { value: 10, approximate: false },
    topK: [],
    otherCount: 0,
    pii: [],
    ...extra,
  };
}

const customerColumns: ColumnProfile[] = [
  column('customer_id', 'INTEGER', 'numeric', {
    numeric: {
      min: 1,
      max: 10,
      mean: 5.5,
      std: 3,
      skewness: 0,
      kurtosis: 0,
      quantiles: {},
      zeros: 0,
      negatives: 0,
      nonFinite: 0,
      iqrOutliers: 0,
      sentinels: [],
    },
  }),
  column('email', 'VARCHAR', 'categorical', {
    distinct: { value: 2, approximate: false },
    topK: [
      { value: EMAILS[0]!, count: 6 },
      { value: EMAILS[1]!, count: 4 },
    ],
  }),
  column('plan', 'VARCHAR', 'categorical', {
    distinct: { value: 3, approximate: false },
    topK: [
      { value: 'basic', count: 5 },
      { value: 'pro', count: 3 },
      { value: 'N/A', count: 2 },
    ],
    missingLike: { total: 2, values: [{ value: 'N/A', count: 2 }] },
  }),
  column('monthly_fee', 'DOUBLE', 'numeric', {
    numeric: {
      min: 1.5,
      max: 99999,
      mean: 10,
      std: 3,
      skewness: 0,
      kurtosis: 0,
      quantiles: {},
      zeros: 0,
      negatives: 0,
      nonFinite: 0,
      iqrOutliers: 0,
      sentinels: [{ value: 99999, count: 3 }],
    },
  }),
  column('churned', 'VARCHAR', 'categorical', {
    missing: 2,
    distinct: { value: 2, approximate: false },
    topK: [
      { value: 'yes', count: 3 },
      { value: 'no', count: 5 },
    ],
  }),
  column('signup', 'DATE', 'temporal', {
    temporal: {
      min: '2023-01-05',
      max: '2024-06-01',
      byMonth: [],
      byDayOfWeek: [],
      byHour: [],
      midnight: 10,
      defaultDates: [],
    },
  }),
];

function dataset(id: string, fileName: string, columns: ColumnProfile[]): DatasetRef {
  return {
    id,
    fileName,
    format: 'csv',
    sizeBytes: 1000,
    lastModified: 0,
    rowCount: 10,
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    fingerprint: id,
    loadedAt: '2024-07-01T00:00:00Z',
    warnings: [],
  };
}

function profile(datasetId: string, columns: ColumnProfile[]): DatasetProfile {
  return {
    datasetId,
    rows: 10,
    columnCount: columns.length,
    columns,
    duplicateRows: 1,
    duplicateExample: null,
    constantColumns: [],
    allMissingColumns: [],
    missingCooccurrence: [],
    correlations: [],
    cramersV: [],
    sample: { sampled: false, rows: 10 },
    alerts: [],
    computedAt: '2024-07-01T00:00:00Z',
    durationMs: 1,
  };
}

function finding(check: string, datasetId: string, columns: string[], extra: Partial<Finding>): Finding {
  return {
    id: `${check}:${datasetId}:${columns[0] ?? 'x'}`,
    check,
    area: 'quality',
    severity: 'minor',
    title: `${check} on ${columns.join(', ')}`,
    datasetId,
    columns,
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'Look.',
    ...extra,
  };
}

function audit(): AuditDocument {
  const doc = newAudit('Churn Q3 / pilot', 'unit', new Date('2024-07-01T00:00:00Z'));
  doc.context = {
    ...doc.context,
    asOf: '2024-06-30',
    decision: 'Who the retention team calls first',
    targetDefinition: 'Cancelled within 90 days.',
  };
  const other = [column('customer_id', 'BIGINT', 'numeric'), column('region', 'VARCHAR', 'categorical')];
  doc.datasets = [
    dataset('d1', 'customers.csv', customerColumns),
    dataset('d2', 'Customers!.parquet', other),
  ];
  doc.profiles = { d1: profile('d1', customerColumns), d2: profile('d2', other) };
  doc.roles = {
    d1: { id: 'customer_id', target: 'churned', eventTime: 'signup', segments: [], excluded: [] },
  };
  doc.findings = [
    finding('quality-sentinels', 'd1', ['monthly_fee'], {
      evidence: { rows: 3, share: 0.3, values: '99999: 3' },
      details: [{ value: 99999, rows: 3 }],
    }),
    finding('quality-missing-like', 'd1', ['plan'], {
      evidence: { rows: 2, share: 0.2 },
      details: [{ value: 'N/A', rows: 2 }],
    }),
    finding('quality-missing-like', 'd1', ['email'], {
      evidence: { rows: 6, share: 0.6 },
      details: [{ value: EMAILS[0]!, rows: 6 }],
    }),
    finding('time-future', 'd1', ['signup'], {
      area: 'time',
      evidence: { future: 0, nonNull: 10 },
    }),
    finding('quality-duplicates', 'd2', [], { severity: 'major', evidence: { duplicateRows: 1 } }),
  ];
  doc.waivers = [{ findingId: 'quality-duplicates:d2:x', reason: 'Known re-export.', at: '2024-07-01' }];
  return doc;
}

const rulesText = (spec: CheckSpec): string =>
  JSON.stringify(spec.rules.map((r) => ({ sql: r.sql, f: r.failingRowsSql, p: r.params, d: r.description })));

describe('deriveCheckSpec', () => {
  const spec = deriveCheckSpec(audit());

  it('names objects and the spec with unique identifier-safe names', () => {
    expect(spec.name).toBe('churn_q3_pilot');
    expect(spec.title).toBe('Churn Q3 / pilot');
    expect(spec.objects.map((o) => o.objectName)).toEqual(['customers', 'customers_2']);
    expect(spec.objects.map((o) => o.primary)).toEqual([true, false]);
    expect(identifierName('2024 données-brutes.csv')).toBe('_2024_donnees_brutes_csv');
    expect(identifierName('***')).toBe('dataset');
  });

  it('maps DuckDB types to logical types', () => {
    expect(
      ['INTEGER', 'UBIGINT', 'DOUBLE', 'DECIMAL(10,2)', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR'].map(
        logicalType,
      ),
    ).toEqual(['integer', 'integer', 'number', 'number', 'date', 'timestamp', 'boolean', 'string']);
    expect(logicalType('VARCHAR[]')).toBe('array');
    expect(logicalType('STRUCT(a INTEGER)')).toBe('object');
    const columns = spec.objects[0]!.columns;
    expect(columns.map((c) => c.logicalType)).toEqual([
      'integer',
      'string',
      'string',
      'number',
      'string',
      'date',
    ]);
    expect(columns.map((c) => c.physicalType)).toEqual(customerColumns.map((c) => c.type));
  });

  it('marks keys, roles, nullability and personal data on columns', () => {
    const [id, email, , , churned, signup] = spec.objects[0]!.columns;
    expect(id).toMatchObject({ role: 'id', unique: true, primaryKey: true, required: true });
    expect(email!.personal?.reason).toBe('name');
    expect(email!.description).toContain('Personal data');
    expect(churned).toMatchObject({ role: 'target', required: false, missingShare: 0.2 });
    expect(churned!.description).toContain(formatShare(0.2));
    expect(signup!.role).toBe('eventTime');
    expect(spec.objects[0]!.timeCoverage).toEqual({ column: 'signup', from: '2023-01-05', to: '2024-06-01' });
    expect(spec.target).toEqual({ object: 'customers', column: 'churned', task: 'binary' });
  });

  it('gives every rule a unique id, an ODCS dimension, one value and its source', () => {
    const ids = spec.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of spec.rules) {
      expect(SPEC_DIMENSIONS, r.id).toContain(r.dimension);
      expect(r.sql, r.id).toMatch(/AS value FROM/);
      expect(r.id.startsWith(`${r.kind}:${r.object}`), r.id).toBe(true);
    }
  });

  it('never writes a personal column’s values, whatever the redaction', () => {
    for (const mode of ['none', 'personal', 'strict'] as const) {
      const s = deriveCheckSpec(audit(), { redaction: mode });
      const emailRules = s.rules.filter((r) => r.columns.includes('email'));
      expect(emailRules.map((r) => r.kind).sort(), mode).toEqual(['not-null']);
      for (const email of EMAILS) expect(rulesText(s), mode).not.toContain(email);
    }
    // The default (personal) masks them in the findings' texts too.
    for (const email of EMAILS) expect(JSON.stringify(spec)).not.toContain(email);
  });

  it('lists accepted values without missing-value tokens, and names sentinels and tokens as invalid', () => {
    const accepted = spec.rules.find((r) => r.id === 'accepted-values:customers:plan')!;
    expect(accepted.params.values).toEqual(['basic', 'pro']);
    expect(accepted.observed).toBe(2);
    expect(accepted.sql).toContain(`"plan" NOT IN ('basic', 'pro')`);
    const invalid = spec.rules.filter((r) => r.kind === 'invalid-values');
    expect(invalid.map((r) => [r.columns[0], r.params.values, r.observed])).toEqual([
      ['plan', ['N/A'], 2],
      ['monthly_fee', [99999], 3],
    ]);
    const range = spec.rules.find((r) => r.id === 'range:customers:monthly_fee')!;
    expect(range.params).toEqual({ min: 1.5, max: 99999 });
    // No range on the ID.
    expect(spec.rules.some((r) => r.kind === 'range' && r.columns[0] === 'customer_id')).toBe(false);
  });

  it('quotes hostile column names and values as identifiers and literals', () => {
    const hostile = 'fee"; DROP TABLE t; --';
    const doc = audit();
    const columns = doc.profiles.d1!.columns.map((c) =>
      c.name === 'plan'
        ? {
            ...c,
            name: hostile,
            topK: [{ value: "O'Brien", count: 8 }, ...c.topK.slice(2)],
            distinct: { value: 2, approximate: false },
          }
        : c,
    );
    doc.profiles.d1 = { ...doc.profiles.d1!, columns };
    doc.datasets[0] = { ...doc.datasets[0]!, columns: columns.map((c) => ({ name: c.name, type: c.type })) };
    doc.findings = [];
    const rules = deriveCheckSpec(doc).rules.filter((r) => r.columns.includes(hostile));
    expect(rules.map((r) => r.kind)).toContain('accepted-values');
    for (const r of rules) {
      expect(r.sql, r.id).toContain('"fee""; DROP TABLE t; --"');
      expect(r.sql.replaceAll('"fee""; DROP TABLE t; --"', ''), r.id).not.toContain('DROP');
    }
    expect(rules.find((r) => r.kind === 'accepted-values')!.sql).toContain("'O''Brien'");
  });

  it('in strict mode lists no value at all', () => {
    const strict = deriveCheckSpec(audit(), { redaction: 'strict' });
    expect(strict.redaction).toBe('strict');
    expect(strict.rules.filter((r) => r.params.values !== undefined)).toEqual([]);
    expect(strict.rules.some((r) => r.kind === 'accepted-values' || r.kind === 'invalid-values')).toBe(false);
    for (const v of ['basic', 'N/A', '99999']) expect(rulesText(strict)).not.toContain(`'${v}'`);
    // Profile aggregates stay: row counts, nulls, the numeric range.
    expect(strict.rules.some((r) => r.id === 'range:customers:monthly_fee')).toBe(true);
  });

  it('checks the target for nulls and allows a column’s null share its margin, capped at 1', () => {
    const target = spec.rules.find((r) => r.id === 'not-null:customers:churned')!;
    expect(target).toMatchObject({ observed: 2, severity: 'error', source: { check: 'labels-missing' } });
    const rate = spec.rules.find((r) => r.id === 'null-rate:customers:churned')!;
    expect(rate.observed).toBe(0.2);
    expect(rate.params.maxShare).toBeCloseTo(0.2 + INTEROP_THRESHOLDS.nullRateMargin, 12);
    const full = audit();
    full.profiles.d1!.columns[4] = { ...full.profiles.d1!.columns[4]!, missing: 10, count: 0 };
    const capped = deriveCheckSpec(full).rules.find((r) => r.id === 'null-rate:customers:churned')!;
    expect(capped.params.maxShare).toBe(1);
  });

  it('writes numbers in descriptions through core/format', () => {
    const rows = spec.rules.find((r) => r.id === 'row-count:customers')!;
    expect(rows.params.minRows).toBe(Math.floor(10 * INTEROP_THRESHOLDS.minRowsShare));
    expect(rows.description).toContain(formatCount(10));
    expect(rows.description).toContain(formatShare(INTEROP_THRESHOLDS.minRowsShare));
    const big = audit();
    big.profiles.d1 = { ...big.profiles.d1!, rows: 12_345 };
    expect(deriveCheckSpec(big).rules.find((r) => r.id === 'row-count:customers')!.description).toContain(
      '12,345',
    );
  });

  it('keeps open findings only, the verdict from its one home, and the context as description', () => {
    expect(spec.findings.map((f) => f.check)).not.toContain('quality-duplicates');
    expect(spec.findings.find((f) => f.check === 'quality-sentinels')!.object).toBe('customers');
    expect(spec.verdict).toEqual({ status: 'ready', label: 'Ready' });
    expect(spec.description).toBe(
      'Decision: Who the retention team calls first. Target: Cancelled within 90 days.',
    );
    expect(spec.asOf).toBe('2024-06-30');
  });

  it('turns a future-date finding into a SQL rule on the run date', () => {
    const future = spec.rules.find((r) => r.id === 'sql:customers:signup:time-future')!;
    expect(future.sql).toContain('{{today}}');
    expect(future.failingRowsSql).toContain('{{today}}');
    expect(future.observed).toBe(0);
  });

  it('names a source for every interop threshold', () => {
    for (const key of Object.keys(INTEROP_THRESHOLDS))
      expect(INTEROP_THRESHOLD_SOURCES[key as keyof typeof INTEROP_THRESHOLDS], key).toMatch(/\S/);
  });
});
