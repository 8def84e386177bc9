import 'fake-indexeddb/auto';
import { describe, it, expect, beforeAll } from 'vitest';
import { engine } from '../../../support/engine';
import { analysedDemo } from '../../../support/demo';
import type { AuditDocument } from '../../../../src/lib/core/model/audit';
import { personalColumns, redactAudit, redactForExport } from '../../../../src/lib/core/redact';
import { auditHtmlReport } from '../../../../src/lib/report/html-report';
import { exportAuditFile } from '../../../../src/lib/report/audit-file';
import { sprint0MarkdownSummary } from '../../../../src/lib/report/markdown-summary';
import { sprint0HtmlReport } from '../../../../src/lib/report/sprint0-report';
import { AuditDB } from '../../../../src/lib/store/db';
import { saveAudit } from '../../../../src/lib/store/audits';
import { demoPlantedValues, plantedLeaks } from '../../../support/demo-leaks';

/** The demo's planted personal values, read from the CSV itself. */
const planted = demoPlantedValues();
const leaks = (text: string): string[] => plantedLeaks(text, planted);

let audit: AuditDocument;

beforeAll(async () => {
  audit = (await analysedDemo(await engine(), { auditId: 'demo1' })).audit;
}, 180_000);

describe('no planted personal value leaves in an export of the demo', () => {
  it('the unredacted audit does hold planted values (so the checks below can fail)', () => {
    expect(planted.emails.size).toBeGreaterThan(1000);
    expect(planted.cards.size).toBe(12);
    const raw = leaks(JSON.stringify(audit));
    expect(raw.some((v) => v.includes('@'))).toBe(true);
    expect(raw.some((v) => planted.cards.has(v))).toBe(true);
  });

  it('finds e-mail, phone and card number as personal-data columns', () => {
    const names = personalColumns(audit).map((c) => c.column);
    expect(names).toEqual(expect.arrayContaining(['email', 'phone', 'card_number']));
    expect(names).not.toContain('churned');
  });

  it('the audit file keeps counts and shapes but no e-mail, phone or card value', () => {
    const { document, summary } = redactAudit(audit, 'personal');
    const json = JSON.stringify(document, null, 2);
    expect(leaks(json)).toEqual([]);
    expect(summary.maskedValues).toBeGreaterThan(20);
    expect(document.redaction).toEqual({
      mode: 'personal',
      maskedColumns: summary.columns.length,
      maskedValues: summary.maskedValues,
    });
    const profile = Object.values(document.profiles)[0]!;
    const email = profile.columns.find((c) => c.name === 'email')!;
    const original = Object.values(audit.profiles)[0]!.columns.find((c) => c.name === 'email')!;
    expect(email.count).toBe(original.count);
    expect(email.pii).toEqual(original.pii);
    expect(email.topK.every((v) => typeof v.value === 'string' && /^[a9.@_+-]+$/.test(v.value))).toBe(true);
    // Non-personal columns keep their values.
    const region = profile.columns.find((c) => c.name === 'region')!;
    expect(region.topK.map((v) => v.value)).toContain('North');
  });

  it('the HTML report holds no e-mail, phone or card value', () => {
    const html = auditHtmlReport(audit, '2026-11-26');
    expect(leaks(html)).toEqual([]);
    expect(html).toContain('personal-data column');
  });

  it('the audit file written by the app and the CLI holds no e-mail, phone or card value', () => {
    const file = exportAuditFile(audit);
    expect(leaks(file.text)).toEqual([]);
    expect(leaks(exportAuditFile(audit, { redaction: 'none' }).text).length).toBeGreaterThan(0);
  });

  it('the sprint-0 HTML report and the Markdown summary hold no e-mail, phone or card value', async () => {
    expect(leaks(sprint0MarkdownSummary(audit, '2026-11-26'))).toEqual([]);
    expect(leaks(await sprint0HtmlReport(audit, { generatedAt: '2026-11-26', charts: true }))).toEqual([]);
  });

  it('strict mode removes example rows and masks every top value', () => {
    const document = redactForExport(audit, 'strict');
    expect(leaks(JSON.stringify(document))).toEqual([]);
    const profile = Object.values(document.profiles)[0]!;
    expect(profile.duplicateExample).toBeNull();
    expect(profile.columns.find((c) => c.name === 'region')!.topK.map((v) => v.value)).not.toContain('North');
    const conflict = document.findings.find((f) => f.check === 'labels-conflicting');
    expect(conflict?.evidence.example).toEqual(expect.any(String));
    expect(conflict?.evidence.example).not.toMatch(/crm_|North|Standard|[0-8]/);
    expect(JSON.stringify(conflict?.details)).not.toMatch(/crm_|North|Standard/);
    expect(document.redaction?.mode).toBe('strict');
  });

  it('values stay only when the user opts in, and the choice is recorded', () => {
    const document = redactForExport(audit, 'none');
    expect(leaks(JSON.stringify(document)).length).toBeGreaterThan(0);
    expect(document.redaction?.mode).toBe('none');
  });

  it('a copy redacted once cannot claim to hold values', () => {
    const once = redactForExport(audit, 'personal');
    expect(redactForExport(once, 'none').redaction?.mode).toBe('personal');
  });

  it('the saved audit holds no e-mail, phone or card value', async () => {
    const db = new AuditDB('redact-demo');
    await saveAudit(db, audit);
    const record = await db.audits.get(audit.id);
    expect(record).toBeDefined();
    expect(leaks(JSON.stringify(record))).toEqual([]);
    db.close();
  });
});
