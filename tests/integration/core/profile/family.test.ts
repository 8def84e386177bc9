import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import {
  isBooleanType,
  isDateType,
  isIntegerType,
  isNumericType,
  isTemporalType,
  isTextType,
  sqlKind,
  type SqlKind,
} from '../../../../src/lib/core/sql/types';
import { describeTableQuery } from '../../../../src/lib/core/sql/table';

/**
 * Each DDL type, the kind the one classifier must give it, and the spelling
 * DuckDB reports for it. The profile and the readiness checks used to
 * disagree on TIMESTAMPTZ, TEXT and NUMERIC; both now call `sqlKind`.
 */
const TYPES: [ddl: string, kind: SqlKind][] = [
  ['TINYINT', 'integer'],
  ['SMALLINT', 'integer'],
  ['INTEGER', 'integer'],
  ['INT', 'integer'],
  ['BIGINT', 'integer'],
  ['HUGEINT', 'integer'],
  ['UTINYINT', 'integer'],
  ['UINTEGER', 'integer'],
  ['UBIGINT', 'integer'],
  ['FLOAT', 'float'],
  ['REAL', 'float'],
  ['DOUBLE', 'float'],
  ['DECIMAL(10,2)', 'decimal'],
  ['NUMERIC(18,3)', 'decimal'],
  ['NUMERIC', 'decimal'],
  ['DATE', 'date'],
  ['TIMESTAMP', 'timestamp'],
  ['DATETIME', 'timestamp'],
  ['TIMESTAMP_S', 'timestamp'],
  ['TIMESTAMP_MS', 'timestamp'],
  ['TIMESTAMP_NS', 'timestamp'],
  ['TIMESTAMPTZ', 'other'],
  ['TIMESTAMP WITH TIME ZONE', 'other'],
  ['TIME', 'other'],
  ['INTERVAL', 'other'],
  ['BOOLEAN', 'boolean'],
  ['BOOL', 'boolean'],
  ['VARCHAR', 'string'],
  ['TEXT', 'string'],
  ['STRING', 'string'],
  ['CHAR', 'string'],
  ["ENUM('a', 'b')", 'string'],
  ['BLOB', 'other'],
  ['UUID', 'other'],
  ['INTEGER[]', 'other'],
  ['STRUCT(a INTEGER)', 'other'],
];

const conn = useEngine();
let reported: Map<string, string>;

beforeAll(async () => {
  const columns = TYPES.map(([ddl], i) => `c${i} ${ddl}`).join(', ');
  await conn.exec(`CREATE TABLE type_zoo (${columns})`);
  const rows = await conn.query(describeTableQuery('type_zoo'));
  reported = new Map(rows.map((r) => [String(r.column_name), String(r.data_type)]));
});

afterAll(async () => {
  await conn.exec('DROP TABLE IF EXISTS type_zoo');
});

describe('sqlKind, the one DuckDB type classifier', () => {
  it.each(TYPES)('classifies %s as %s, as written in DDL', (ddl, kind) => {
    expect(sqlKind(ddl)).toBe(kind);
    expect(sqlKind(ddl.toLowerCase())).toBe(kind);
  });

  it.each(TYPES.map(([ddl, kind], i) => [ddl, kind, i] as const))(
    'classifies %s as %s as DuckDB reports it',
    (_ddl, kind, i) => {
      const type = reported.get(`c${i}`);
      expect(type, `column c${i} missing from ${[...reported.keys()].join(', ')}`).toBeDefined();
      expect(sqlKind(type!)).toBe(kind);
    },
  );

  it('answers the readiness predicates from the same kinds', () => {
    expect(isNumericType('NUMERIC(18,3)')).toBe(true);
    expect(isIntegerType('UBIGINT')).toBe(true);
    expect(isIntegerType('DOUBLE')).toBe(false);
    expect(isTextType('TEXT')).toBe(true);
    expect(isTextType("ENUM('a', 'b')")).toBe(true);
    expect(isTemporalType('TIMESTAMP_S')).toBe(true);
    expect(isTemporalType('TIMESTAMP WITH TIME ZONE')).toBe(false);
    expect(isTemporalType('TIMESTAMPTZ')).toBe(false);
    expect(isDateType('DATE')).toBe(true);
    expect(isDateType('TIMESTAMP')).toBe(false);
    expect(isBooleanType('BOOL')).toBe(true);
  });
});
