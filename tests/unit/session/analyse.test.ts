import { describe, it, expect, beforeAll } from 'vitest';
import { useEngine } from '../../support/engine';
import { analysedDemo } from '../../support/demo';
import { runAnalysis } from '../../../src/lib/session/analyse';
import { checksToRerun } from '../../../src/lib/core/readiness/registry';
import type { AuditDocument } from '../../../src/lib/core/model/audit';

const conn = useEngine();
let audit: AuditDocument;
let tables: Record<string, string>;

beforeAll(async () => {
  const demo = await analysedDemo(conn, { auditId: 'a1' });
  audit = demo.audit;
  tables = { [demo.datasetId]: demo.tableName };
});

describe('analysis (profile, readiness, verdict)', () => {
  it('profiles, runs the checks and derives the verdict in one pass', () => {
    expect(Object.keys(audit.profiles)).toHaveLength(1);
    expect(audit.verdict?.status).toBe('not-ready');
    expect(audit.findings.length).toBeGreaterThan(10);
  });

  it('re-runs only the checks that depend on a changed as-of date and keeps the others', async () => {
    const roles = Object.values(audit.roles)[0]!;
    const later = { ...audit.context, asOf: '2027-06-01' };
    const rerun = checksToRerun({ roles, context: audit.context }, { roles, context: later });
    expect(rerun).toContain('coverage-recency');
    expect(rerun).not.toContain('labels-conflicting');
    const updated = await runAnalysis(conn, { ...audit, context: later }, { tables, onlyChecks: rerun });
    const recency = (a: AuditDocument): unknown =>
      a.findings.find((f) => f.check === 'coverage-recency')?.evidence;
    expect(recency(updated)).not.toEqual(recency(audit));
    const untouched = (a: AuditDocument): string[] =>
      a.findings
        .filter((f) => !(rerun as readonly string[]).includes(f.check))
        .map((f) => f.id)
        .sort();
    expect(untouched(updated)).toEqual(untouched(audit));
    // The profile is reused, not recomputed.
    expect(Object.values(updated.profiles)[0]?.computedAt).toBe(Object.values(audit.profiles)[0]?.computedAt);
  });

  it('waiving the open blocker turns the verdict into ready with conditions', async () => {
    const blocker = audit.findings.find((f) => f.severity === 'blocker')!;
    const waived = await runAnalysis(
      conn,
      {
        ...audit,
        waivers: [{ findingId: blocker.id, reason: 'dropped from features', at: '2026-11-25T00:00:00Z' }],
      },
      { tables, onlyChecks: [] },
    );
    expect(waived.verdict?.status).toBe('conditional');
  });
});
