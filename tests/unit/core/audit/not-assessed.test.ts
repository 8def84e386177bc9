import { describe, expect, it } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import { auditVerdict, withDerivedVerdict, waive } from '../../../../src/lib/core/audit/edits';
import type { Finding } from '../../../../src/lib/core/model/audit';
import { readAuditText } from '../../../../src/lib/report/import-audit';
import { sprint0MarkdownSummary } from '../../../../src/lib/report/markdown-summary';

/** Old saved audits stay importable, and their verdict is recomputed: never trusted from the file. */

const at = '2026-11-25T10:00:00Z';

/** The no-target finding as audits saved before the `not-assessed` status wrote it: a major. */
const oldNoTarget: Finding = {
  id: 'labels-no-target:d1:target',
  check: 'labels-no-target',
  area: 'labels',
  severity: 'major',
  title: 'No target column is set, so 11 checks could not run',
  datasetId: 'd1',
  columns: [],
  evidence: { task: 'binary', notAssessed: 'labels-missing, leakage-single-feature', checks: 11 },
  sql: '',
  recommendation: 'Set the target role.',
};

describe('audits saved before "not assessed" existed', () => {
  it('import, and their stored "Ready with conditions" is recomputed as Not assessed', () => {
    const saved = {
      ...newAudit('Old', 'o1', new Date(at)),
      findings: [oldNoTarget],
      verdict: {
        status: 'conditional',
        rule: 'Not ready if any open (unwaived) finding is a blocker; …',
        byArea: [],
        openBlockers: [],
        openMajors: [oldNoTarget.id],
      },
    };
    const read = readAuditText(JSON.stringify(saved), 'old.audit.json');
    expect(read.verdict?.status).toBe('not-assessed');
    expect(read.findings).toHaveLength(1);
    const summary = sprint0MarkdownSummary(read, at, 'none');
    expect(summary).toContain('**Verdict: Not assessed**');
    expect(summary).toContain('Set the target column the model will learn, then re-run the audit');
  });

  it('cannot claim a verdict they do not have: a file saying Not assessed with a target and no findings is Ready', () => {
    const forged = {
      ...newAudit('Forged', 'f1', new Date(at)),
      findings: [],
      verdict: { status: 'not-assessed', rule: '', byArea: [], openBlockers: [], openMajors: [] },
    };
    expect(readAuditText(JSON.stringify(forged), 'forged.audit.json').verdict?.status).toBe('ready');
  });

  it('stay Not assessed when the no-target finding is waived', () => {
    const audit = withDerivedVerdict({ ...newAudit('Old', 'o2', new Date(at)), findings: [oldNoTarget] });
    expect(auditVerdict(waive(audit, oldNoTarget.id, 'we will pick one later', at))?.status).toBe(
      'not-assessed',
    );
  });
});
