import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';
import { newAudit } from '../../../../src/lib/core/model/document';
import { auditDiff, auditDiffLines, findingKey } from '../../../../src/lib/core/audit/diff';
import {
  AuditDocumentSchema,
  type AuditDocument,
  type DatasetRef,
  type Finding,
} from '../../../../src/lib/core/model/audit';

const conn = useEngine();
let oldDoc: AuditDocument;
let newDoc: AuditDocument;

function finding(datasetId: string, check: string, key: string, severity: Finding['severity']): Finding {
  return {
    id: `${check}:${datasetId}:${key}`,
    check,
    area: 'quality',
    severity,
    title: `${check} on ${key}`,
    datasetId,
    columns: [key],
    evidence: {},
    sql: 'SELECT 1',
    recommendation: 'Fix it.',
  };
}

async function audit(
  id: string,
  datasetId: string,
  fileName: string,
  table: string,
  findings: Finding[],
): Promise<AuditDocument> {
  const doc = newAudit(`Churn ${id}`, id, new Date('2026-11-01T00:00:00Z'));
  const columns = (await conn.query(`DESCRIBE ${table}`)).map((r) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
  const [count] = await conn.query(`SELECT count(*) AS n FROM ${table}`);
  const dataset: DatasetRef = {
    id: datasetId,
    fileName,
    format: 'csv',
    sizeBytes: 1000,
    lastModified: 0,
    rowCount: Number(count!.n),
    columns,
    fingerprint: fileName,
    loadedAt: '2026-11-01T00:00:00Z',
    warnings: [],
  };
  return AuditDocumentSchema.parse({
    ...doc,
    datasets: [dataset],
    primaryDatasetId: datasetId,
    profiles: { [datasetId]: await profileDataset(conn, table, datasetId) },
    findings,
  });
}

beforeAll(async () => {
  // The refreshed extract: fee moves by one std, region changes its mix, email is new, legacy_code is gone,
  // tenure and plan are untouched, and discount goes half missing.
  await conn.exec(`CREATE TABLE old_extract AS SELECT i AS id,
      40 + (i % 20) AS fee, 10 + (i % 7) AS tenure,
      CASE WHEN i % 10 < 6 THEN 'north' ELSE 'south' END AS region,
      CASE WHEN i % 2 = 0 THEN 'Basic' ELSE 'Pro' END AS plan,
      (i % 5)::DOUBLE AS discount, 'L' || (i % 3) AS legacy_code
    FROM range(2000) r(i)`);
  await conn.exec(`CREATE TABLE new_extract AS SELECT i AS id,
      46 + (i % 20) AS fee, 10 + (i % 7) AS tenure,
      CASE WHEN i % 10 < 2 THEN 'north' ELSE 'south' END AS region,
      CASE WHEN i % 2 = 0 THEN 'Basic' ELSE 'Pro' END AS plan,
      CASE WHEN i % 2 = 0 THEN NULL ELSE (i % 5)::DOUBLE END AS discount, 'u' || i || '@example.com' AS email
    FROM range(2400) r(i)`);
  oldDoc = await audit('a1', 'ds-old', 'churn-2026-09.csv', 'old_extract', [
    finding('ds-old', 'duplicate-rows', 'table', 'minor'),
    finding('ds-old', 'label-conflicts', 'churned', 'major'),
    finding('ds-old', 'sentinel-values', 'fee', 'minor'),
  ]);
  newDoc = await audit('a2', 'ds-new', 'churn-2026-11.csv', 'new_extract', [
    finding('ds-new', 'label-conflicts', 'churned', 'blocker'),
    finding('ds-new', 'sentinel-values', 'fee', 'minor'),
    finding('ds-new', 'pii-email', 'email', 'major'),
  ]);
}, 60_000);

describe('re-audit diff', () => {
  it('matches findings across audits by check and key, not by dataset id', () => {
    expect(findingKey(oldDoc.findings[1]!)).toBe(findingKey(newDoc.findings[0]!));
    const diff = auditDiff(oldDoc, newDoc);
    expect(diff.findings.new.map((f) => f.check)).toEqual(['pii-email']);
    expect(diff.findings.resolved.map((f) => f.check)).toEqual(['duplicate-rows']);
    expect(diff.findings.severityChanged).toEqual([
      expect.objectContaining({ old: 'major', new: 'blocker', title: 'label-conflicts on churned' }),
    ]);
    expect(diff.findings.unchanged).toBe(1);
  });

  it('pairs the datasets and lists columns added and removed', () => {
    const [d] = auditDiff(oldDoc, newDoc).datasets;
    expect(d).toMatchObject({
      oldFile: 'churn-2026-09.csv',
      newFile: 'churn-2026-11.csv',
      rows: { old: 2000, new: 2400 },
    });
    expect(d!.columnsAdded).toEqual(['email']);
    expect(d!.columnsRemoved).toEqual(['legacy_code']);
  });

  it('reports profile statistics that moved beyond their thresholds, and not the stable ones', () => {
    const moved = auditDiff(oldDoc, newDoc).datasets[0]!.moved;
    const keys = moved.map((m) => `${m.column}:${m.statistic}`);
    expect(keys).toContain('fee:mean');
    expect(keys).toContain('region:top values');
    expect(keys).toContain('discount:missing share');
    expect(keys.filter((k) => k.startsWith('tenure') || k.startsWith('plan'))).toEqual([]);
    const fee = moved.find((m) => m.column === 'fee' && m.statistic === 'mean')!;
    expect(fee.change).toBeGreaterThan(0.9);
    expect(fee.new).toBeCloseTo(55.5, 6);
    const discount = moved.find((m) => m.statistic === 'missing share')!;
    expect(discount.new).toBeCloseTo(0.5, 6);
  });

  it('says what changed in plain text, and nothing for an audit compared with itself', () => {
    const lines = auditDiffLines(auditDiff(oldDoc, newDoc));
    expect(lines.some((l) => l.startsWith('  + [major] pii-email'))).toBe(true);
    expect(lines.some((l) => l.includes('columns removed: legacy_code'))).toBe(true);
    const same = auditDiff(oldDoc, oldDoc);
    expect(same.findings.new).toEqual([]);
    expect(same.findings.resolved).toEqual([]);
    expect(same.datasets[0]!.moved).toEqual([]);
    expect(same.verdictChanged).toBe(false);
  });
});
