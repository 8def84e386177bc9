import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/lib/core/model/audit';
import { evidenceLabelOf, evidenceRows } from '../../../../src/lib/core/deliverable/presentation';
import { READINESS_CHECKS } from '../../../../src/lib/core/readiness/registry';
import { profileDataset } from '../../../../src/lib/session/profile';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { generateChurnDataset } from '../../../../scripts/lib/synthetic';
import { plantedAuditInput } from '../../../fixtures/planted-defects';
import { auditCorpusEntry, CORPUS } from '../../../../scripts/lib/corpus';
import { analysedDemo } from '../../../support/demo';
import { useEngine, loadBytes } from '../../../support/engine';

/**
 * Every evidence key a finding carries has a human label and a kind, defined
 * next to its check. The findings come from real runs: the demo with all its
 * roles and again without a target, the synthetic churn extract with every
 * defect planted, and real datasets with years, quarters, classes, groups.
 */

const CORPUS_FILES = ['danish_data.csv', 'nile.csv', 'iris.csv', 'r-chickweight.csv', 'r-airquality.csv'];

const conn = useEngine();
const findings: Finding[] = [];

beforeAll(async () => {
  findings.push(...(await analysedDemo(conn)).audit.findings);
  const { csv, planted } = generateChurnDataset();
  const loaded = await loadBytes(conn, 'planted.csv', csv);
  const profile = await profileDataset(conn, loaded.tableName, 'planted');
  const { roles, context } = plantedAuditInput(planted, { segments: ['region'] });
  const input = {
    tableName: loaded.tableName,
    datasetId: 'planted',
    columns: loaded.columns,
    profile,
    context,
  };
  findings.push(...(await runReadiness(conn, { ...input, roles })));
  findings.push(...(await runReadiness(conn, { ...input, roles: { ...roles, target: undefined } })));
  for (const file of CORPUS_FILES) {
    const entry = CORPUS.find((e) => e.file === file);
    if (!entry) throw new Error(`${file} is not in the corpus manifest`);
    findings.push(...(await auditCorpusEntry(entry)).findings);
  }
}, 600_000);

describe('evidence labels', () => {
  it('label every evidence key the checks produce', () => {
    const unlabelled = new Set<string>();
    for (const f of findings)
      for (const key of Object.keys(f.evidence))
        if (!evidenceLabelOf(f.check, key)) unlabelled.add(`${f.check}: ${key}`);
    expect([...unlabelled].sort()).toEqual([]);
  });

  it('cover most checks in these runs, so the test above has something to hold', () => {
    const checks = new Set(findings.map((f) => f.check));
    const unseen = READINESS_CHECKS.map((c) => c.id).filter((id) => !checks.has(id));
    expect(unseen.length, `not run: ${unseen.join(', ')}`).toBeLessThanOrEqual(12);
    expect(findings.filter((f) => Object.keys(f.evidence).length > 0).length).toBeGreaterThan(100);
  });

  it('are words, never the camelCase key', () => {
    for (const check of READINESS_CHECKS)
      for (const [key, label] of Object.entries(check.evidence)) {
        expect(label.label, `${check.id}: ${key}`).not.toMatch(/[a-z][A-Z]/);
        expect(label.label.trim(), `${check.id}: ${key}`).not.toBe('');
      }
  });

  it('show values in their unit, never as raw fractions or e-notation', () => {
    for (const f of findings)
      for (const row of evidenceRows(f)) {
        expect(row.value, `${f.check}: ${row.label}`).not.toMatch(/\de[-+]\d/);
        expect(row.value, `${f.check}: ${row.label}`).not.toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(row.label, `${f.check}: ${row.label}`).not.toMatch(/[a-z][A-Z]/);
      }
  });

  it('read a share as a percentage and a count with separators', () => {
    const recency = findings.find((f) => f.check === 'coverage-recency' && f.datasetId !== 'planted')!;
    const rows = new Map(evidenceRows(recency).map((r) => [r.label, r.value]));
    expect(rows.get('Rows in the last 90 days')).toMatch(/^(\d+(\.\d)? %|<0\.1 %|>99\.9 %)$/);
    expect(rows.get('As-of date')).toBe('1 Nov 2026');
  });
});
