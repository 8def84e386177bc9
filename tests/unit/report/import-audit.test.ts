import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import {
  MAX_AUDIT_FILE_BYTES,
  importPrivacyQuestion,
  importProgressText,
  readAuditFileReply,
  readAuditText,
  tooDeepAt,
} from '../../../src/lib/report/import-audit';
import { AuditImportError, newAudit } from '../../../src/lib/core/model/document';
import { AUDIT_LIMITS, type Finding } from '../../../src/lib/core/model/audit';
import { auditHtmlReport } from '../../../src/lib/report/html-report';
import { AuditDB } from '../../../src/lib/store/db';
import { importAudit, saveAudit, getAudit } from '../../../src/lib/store/audits';
import { XSS, hostileAuditText } from '../../fixtures/hostile/hostile-audit';
import { largeAudit } from '../../fixtures/large-audit';

const blocker: Finding = {
  id: 'leakage-single-feature:d:x',
  check: 'leakage-single-feature',
  area: 'leakage',
  severity: 'blocker',
  title: 'x leaks the label',
  datasetId: 'd',
  columns: ['x'],
  evidence: { auc: 1 },
  sql: 'SELECT 1',
  recommendation: 'Drop it.',
};

const refusal = (text: string): AuditImportError => {
  try {
    readAuditText(text, 'hostile.audit.json');
  } catch (error) {
    expect(error).toBeInstanceOf(AuditImportError);
    return error as AuditImportError;
  }
  throw new Error('the file was accepted');
};

describe('reading a shared audit file', () => {
  it('refuses a file over 50 MB before reading a byte', async () => {
    let read = false;
    const huge = {
      name: 'huge.audit.json',
      size: MAX_AUDIT_FILE_BYTES + 1,
      text: async () => {
        read = true;
        return '{}';
      },
    } as unknown as Blob & { name: string };
    const reply = await readAuditFileReply(huge);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.message).toMatch(/at most 50 MB/);
    expect(read).toBe(false);
  });

  it('refuses deep nesting and says where, without overflowing the stack', () => {
    const deep = `{"format":"sprint-zero-audit","version":1,"findings":[{"details":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}]}`;
    const error = refusal(deep);
    expect(error.message).toMatch(/deeper than 32 levels \(at findings\.0\.details\.0\.a\.a/);
    expect(tooDeepAt({ a: [{ b: 1 }] }, 3)).toBeUndefined();
    expect(tooDeepAt({ a: [{ b: {} }] }, 3)).toBe('a.0.b');
  });

  it('refuses an over-long string and names the field', () => {
    const audit = { ...newAudit('x', 'a'), name: 'n'.repeat(AUDIT_LIMITS.shortText + 1) };
    const error = refusal(JSON.stringify(audit));
    expect(error.message).toMatch(/damaged or incomplete/);
    expect(error.message).toMatch(/name:/);
  });

  it('refuses more findings than the limit', () => {
    const audit = {
      ...newAudit('x', 'a'),
      findings: Array.from({ length: AUDIT_LIMITS.findings + 1 }, () => blocker),
    };
    expect(refusal(JSON.stringify(audit)).message).toMatch(/findings/);
  });

  it('drops __proto__ keys instead of letting them reach a prototype', () => {
    const text = `{"__proto__":{"polluted":true},${JSON.stringify({
      ...newAudit('p', 'p'),
      findings: [{ ...blocker, details: [{ a: 1 }] }],
    })
      .slice(1)
      .replace('"details":[{', '"details":[{"__proto__":{"polluted":true},')}`;
    const audit = readAuditText(text, 'proto.audit.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(audit)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(audit.findings[0]!.details![0]!)).toBe(Object.prototype);
    expect((audit as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a file that claims Ready beside an open blocker is shown Not ready', () => {
    const audit = {
      ...newAudit('Forged', 'f'),
      findings: [blocker],
      verdict: { status: 'ready', rule: 'trust me', byArea: [], openBlockers: [], openMajors: [] },
    };
    const read = readAuditText(JSON.stringify(audit), 'forged.audit.json');
    expect(read.verdict?.status).toBe('not-ready');
    expect(read.verdict?.openBlockers).toEqual([blocker.id]);
    const html = auditHtmlReport(audit as never, '2026-11-26');
    expect(html).toContain('class="verdict v-not-ready"');
    expect(html).not.toContain('class="verdict v-ready"');
  });

  it('a refused import leaves saved audits unchanged', async () => {
    const db = new AuditDB('import-refused');
    const saved = await saveAudit(db, newAudit('Mine', 'mine'));
    const hostile = JSON.stringify({ ...saved, name: 'x'.repeat(AUDIT_LIMITS.shortText + 1) });
    await expect(async () => importAudit(db, readAuditText(hostile, 'h.json'), () => 'new')).rejects.toThrow(
      AuditImportError,
    );
    expect(await db.audits.count()).toBe(1);
    expect(await getAudit(db, 'mine')).toEqual(saved);
    db.close();
  });
});

describe('a hostile audit file', () => {
  it('imports with every field inert in the HTML report, its forged verdict recomputed', () => {
    const audit = readAuditText(hostileAuditText(), 'hostile.audit.json');
    expect(audit.name).toContain(XSS);
    expect(audit.verdict?.status).toBe('not-ready');
    const html = auditHtmlReport(audit, '2026-11-26', { redaction: 'none' });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<svg');
    expect(html).toContain('&lt;img src=x onerror=');
  });

  it('gets an id the route can open when imported', async () => {
    const db = new AuditDB('hostile-id');
    const imported = await importAudit(db, readAuditText(hostileAuditText(), 'h.json'), () => 'routable-1');
    expect(imported.id).toBe('routable-1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    db.close();
  });
});

describe('an imported file that asks to keep personal values', () => {
  it('raises a question when it carries storePersonalValues, naming the columns by file', () => {
    const question = importPrivacyQuestion(largeAudit({ emails: 3, storePersonalValues: true }));
    expect(question).toEqual({
      reasons: ['keeps-values'],
      columns: [{ fileName: 'clients.csv', columns: ['email'] }],
    });
  });

  it('raises a question when it was exported with values, and only if it has personal columns', () => {
    expect(importPrivacyQuestion(largeAudit({ emails: 3, redactionMode: 'none' }))?.reasons).toEqual([
      'exported-with-values',
    ]);
    const noPersonal = {
      ...newAudit('x', 'x'),
      redaction: { mode: 'none' as const, maskedColumns: 0, maskedValues: 0 },
    };
    expect(importPrivacyQuestion(noPersonal)).toBeUndefined();
    expect(
      importPrivacyQuestion(largeAudit({ emails: 3, storePersonalValues: true, redactionMode: 'none' }))
        ?.reasons,
    ).toEqual(['keeps-values', 'exported-with-values']);
  });

  it('asks nothing of a file that is masked and does not ask to keep values', () => {
    expect(importPrivacyQuestion(largeAudit({ emails: 3 }))).toBeUndefined();
    expect(
      importPrivacyQuestion(largeAudit({ emails: 3, storePersonalValues: false, redactionMode: 'personal' })),
    ).toBeUndefined();
  });

  it('describes each step of the import with its counts', () => {
    expect(importProgressText({ stage: 'reading', fileName: 'a.json', sizeBytes: 10 * 1024 * 1024 })).toBe(
      'Reading “a.json” (10.0 MB)…',
    );
    expect(importProgressText({ stage: 'checking', fileName: 'a.json' })).toBe('Checking the file “a.json”…');
    expect(importProgressText({ stage: 'masking', columns: 1 })).toBe(
      'Masking the values of 1 personal-data column…',
    );
    expect(importProgressText({ stage: 'saving', maskedValues: 12_345 })).toBe(
      'Saving the audit in this browser (12,345 personal values masked)…',
    );
    expect(importProgressText({ stage: 'saving', maskedValues: 0 })).toBe(
      'Saving the audit in this browser…',
    );
  });
});
