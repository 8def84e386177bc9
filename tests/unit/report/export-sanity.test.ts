import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engine } from '../../support/engine';
import { DEMO_CSV } from '../../support/demo';
import { sprint0Audit, sprint0DemoDocument } from '../../support/sprint0-demo';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { sprint0Package } from '../../../src/lib/core/audit/sprint0-package';
import {
  formatCount,
  formatDate,
  formatMoney,
  formatNumber,
  formatShare,
  formatTimestamp,
} from '../../../src/lib/core/format';
import { evaluatePlan } from '../../../src/lib/core/plan/evaluate';
import { MetricPlanSchema } from '../../../src/lib/core/model/plan';
import { exampleChurnPlan } from '../../../src/lib/core/plan/summary';
import { redactForExport } from '../../../src/lib/core/redact';
import * as thresholds from '../../../src/lib/core/thresholds';
import { runCli } from '../../../src/lib/cli';
import { deriveCheckSpec } from '../../../src/lib/core/interop/derive';
import { writeCard } from '../../../src/lib/core/interop/card';
import { auditHtmlReport } from '../../../src/lib/report/html-report';
import { sprint0MarkdownSummary } from '../../../src/lib/report/markdown-summary';
import { sprint0HtmlReport } from '../../../src/lib/report/sprint0-report';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/**
 * Issue 19 §5: every export a client can receive, read as prose, over the demo
 * and a second planted dataset: both HTML reports, the Markdown summary and
 * the audit's printable text (what the CLI prints). Code (SQL listings,
 * Markdown code) and charts are not prose and are left out.
 */

const GENERATED_AT = '2026-12-03T15:01:07.820Z';

/**
 * A loan book of 800 applications, planted with a leak (a recovery fee filled
 * only for defaults), a branch that labels differently, placeholder text,
 * exact duplicates, future dates and a column of 'N/A': a second story, in
 * another domain and with relative costs, so the checks are not tuned to the demo.
 */
function plantedLoans(): string {
  const lines = ['loan_id,branch,applied_on,amount,income,region,defaulted,recovery_fee,note'];
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 800; i++) {
    const branch = ['north', 'south', 'east'][i % 3]!;
    const month = 1 + (i % 24);
    const year = 2022 + Math.floor((month - 1) / 12);
    const day = 1 + (i % 28);
    const applied =
      i < 6
        ? `2026-0${1 + i}-15`
        : `${year}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const amount = Math.round(1000 + rand() * 20000);
    const income = Math.round(20000 + rand() * 60000);
    const risk = amount / income + (branch === 'east' ? 0.35 : 0);
    const defaulted = rand() < risk * 0.6 ? 'Yes' : 'No';
    const fee = defaulted === 'Yes' && rand() < 0.97 ? String(Math.round(amount * 0.05)) : '';
    const note = i % 9 === 0 ? 'N/A' : `ref ${i % 50}`;
    lines.push(
      `L${1000 + i},${branch},${applied},${amount},${income},${['alpine', 'coastal', 'valley'][i % 3]},${defaulted},${fee},${note}`,
    );
  }
  // Exact duplicates: the last 20 rows again.
  return [...lines, ...lines.slice(-20)].join('\n');
}

interface Export {
  name: string;
  /** What a reader sees as prose. */
  prose: string;
}

/** HTML as prose: no head, style, charts or code; tags dropped, entities read. */
function htmlProse(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Markdown as prose: code blocks and code spans dropped, escapes read. */
function markdownProse(md: string): string {
  return md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\\(.)/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Quoted data (“…”, "…") is the client's, not ours: it may hold any word, `null` included. */
function unquoted(text: string): string {
  return text.replace(/“[^”]*”/g, ' ').replace(/"[^"\n]*"/g, ' ');
}

/** Numbers a reader sees: `12,345`, `23.6`, `0.5`; structure (item #3, listing B.3, A4, section 2.) left out. */
function numbersIn(prose: string): string[] {
  const cleaned = prose
    .replace(/#\d+/g, ' ')
    .replace(/\b[A-B]\.(w)?\d+\b/g, ' ')
    .replace(/\bA4\b/g, ' ')
    .replace(/(^|\s)\d\.(?=\s)/g, ' ')
    .replace(/Appendix [A-B]/g, ' ')
    .replace(/\b\d{1,2}:\d{2}\b/g, ' ')
    // Elapsed times measure the run, not the data.
    .replace(/\d[\d,]* ms\b/g, ' ')
    .replace(/\bQ[1-4]\b/g, ' ');
  return [...cleaned.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0].replace(/[.,]$/, ''));
}

/**
 * Every way the report may show a number held in the document, its sprint-0
 * package, the plan's evaluation or the thresholds: counts, numbers, shares
 * (as percentages), money, to one or two decimals; and every number written
 * in the document's own text (titles, recommendations, dates).
 */
function allowedNumbers(audit: AuditDocument): Set<string> {
  const allowed = new Set<string>();
  const addToken = (token: string): void => {
    allowed.add(token);
    const n = Number(token.replace(/,/g, ''));
    if (Number.isFinite(n)) {
      allowed.add(String(n));
      allowed.add(formatCount(n));
    }
  };
  const addNumber = (n: number): void => {
    if (!Number.isFinite(n)) return;
    for (const x of [n, Math.abs(n), n * 100, Math.abs(n) * 100]) {
      for (const text of [
        formatCount(x),
        formatNumber(x),
        formatNumber(x, { digits: 1 }),
        formatNumber(x, { digits: 2 }),
        formatNumber(x, { digits: 3 }),
        formatNumber(Math.round(x * 2) / 2, { digits: 1 }),
        x.toFixed(1),
        x.toFixed(2),
        formatMoney(x).replace(/^-/, ''),
      ])
        allowed.add(text.replace(/^[<>]/, ''));
      if (x >= 0 && x <= 1) allowed.add(formatShare(x).replace(/[<>]| %.*$/g, ''));
    }
  };
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth = 0): void => {
    if (depth > 12 || value === null || value === undefined) return;
    if (typeof value === 'number') return addNumber(value);
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\d[\d,]*(?:\.\d+)?/g)) addToken(m[0].replace(/[.,]$/, ''));
      if (/^\d{4}-\d\d/.test(value))
        for (const g of ['day', 'month', 'instant'] as const)
          for (const m of formatDate(value, g).matchAll(/\d+/g)) addToken(m[0]);
      return;
    }
    if (typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    for (const v of Object.values(value as Record<string, unknown>)) walk(v, depth + 1);
  };
  const redacted = redactForExport(audit, 'personal');
  const pkg = sprint0Package(redacted);
  walk(redacted);
  walk(pkg);
  if (redacted.plan?.results) walk(evaluatePlan(redacted.plan.plan, redacted.plan.results));
  walk(thresholds);
  // The check exports' own thresholds (a row-count floor, a null-rate ceiling) are derived, not stored.
  for (const rule of deriveCheckSpec(audit).rules) walk({ expect: rule.expect, params: rule.params });
  for (const m of formatTimestamp(GENERATED_AT).matchAll(/\d+/g)) addToken(m[0]);
  // Sums the reports print: the open findings per severity, the work items, and findings in all.
  for (const n of [pkg.workPlan.items.length, pkg.findings.length]) addNumber(n);
  for (const s of ['blocker', 'major', 'minor', 'info'] as const)
    addNumber(pkg.findings.filter((f) => f.severity === s).length);
  return allowed;
}

/** Every problem the issue names, found in one export. */
function problems(exp: Export, allowed: Set<string>): string[] {
  const out: string[] = [];
  const prose = exp.prose;
  const around = (i: number): string => prose.slice(Math.max(0, i - 60), i + 60).replace(/\s+/g, ' ');
  for (const m of prose.matchAll(/([<>]?)(-?\d[\d,]*(?:\.\d+)?)\s?%/g)) {
    const n = Number(m[2]!.replace(/,/g, ''));
    if (!(n >= 0 && n <= 100)) out.push(`percentage out of 0–100: “${around(m.index)}”`);
  }
  for (const m of unquoted(prose).matchAll(/\b[a-z]+[A-Z][A-Za-z]*\b/g))
    out.push(`camelCase “${m[0]}”: “${around(prose.indexOf(m[0]))}”`);
  for (const m of prose.matchAll(/\b\d{4}-\d\d-\d\d(?:T|\s)\d\d:\d\d(?::\d\d)?(?:\.\d+)?Z?/g))
    out.push(`ISO timestamp “${m[0]}”: “${around(m.index)}”`);
  for (const m of prose.matchAll(/\b\d+(?:\.\d+)?e[+-]?\d+\b/gi))
    out.push(`e-notation “${m[0]}”: “${around(m.index)}”`);
  for (const m of unquoted(prose).matchAll(/\b(undefined|NaN|null)\b/g))
    out.push(`“${m[0]}” in prose: “${around(prose.indexOf(m[0]))}”`);
  for (const token of numbersIn(prose))
    if (!allowed.has(token))
      out.push(`number ${token} is not the document’s: “${around(prose.indexOf(token))}”`);
  return [...new Set(out)].map((p) => `${exp.name}: ${p}`);
}

async function exportsOf(audit: AuditDocument, cliLines: readonly string[]): Promise<Export[]> {
  return [
    {
      name: 'sprint-0 HTML',
      prose: htmlProse(await sprint0HtmlReport(audit, { generatedAt: GENERATED_AT })),
    },
    { name: 'readiness HTML', prose: htmlProse(auditHtmlReport(audit, GENERATED_AT)) },
    { name: 'Markdown', prose: markdownProse(sprint0MarkdownSummary(audit, GENERATED_AT)) },
    { name: 'printed text', prose: cliLines.join('\n') },
    // The check exports: the dataset card, and every rule's description (what each format carries).
    // "SHA-256" names the hash, it is no number of the data.
    {
      name: 'dataset card',
      prose: markdownProse(writeCard(deriveCheckSpec(audit)).text).replaceAll('SHA-256', 'SHA'),
    },
    {
      name: 'check descriptions',
      prose: deriveCheckSpec(audit)
        .rules.map((r) => r.description)
        .join('\n'),
    },
  ];
}

/** What the CLI prints for a file: the audit's printable text. */
async function printedText(path: string, flags: Record<string, string>, plan: unknown): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'export-sanity-'));
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const lines: string[] = [];
  await runCli([path], { ...flags, plan: planFile, 'as-of': flags['as-of'] ?? '' }, (l) => lines.push(l), {
    engine: cliEngine,
  });
  // Progress lines (`44 % Profiling …`) say how far the run is, not what the audit found.
  return lines.filter((l) => !/^\d+ % /.test(l));
}

const LOAN_PLAN = MetricPlanSchema.parse({
  decision: { action: 'Review the application by hand', actor: 'The credit desk' },
  costs: { unit: 'relative', falsePositive: 1, falseNegative: 6 },
  capacity: { cases: 40, per: 'week' },
  primaryMetric: 'recall',
  targets: { minRecall: 0.5, requiredLift: 0.1 },
  validation: { design: 'random', holdoutShare: 0.25 },
});

const cases: { name: string; exports: Export[]; allowed: Set<string> }[] = [];

beforeAll(async () => {
  const demo = await sprint0DemoDocument();
  const demoLines = await printedText(
    DEMO_CSV,
    {
      target: 'churned',
      id: 'customer_id',
      time: 'snapshot_date',
      source: 'source_system',
      'as-of': '2026-11-01',
    },
    exampleChurnPlan(),
  );
  cases.push({ name: 'demo', exports: await exportsOf(demo, demoLines), allowed: allowedNumbers(demo) });

  const dir = mkdtempSync(join(tmpdir(), 'export-sanity-loans-'));
  const loansCsv = join(dir, 'loan-book.csv');
  writeFileSync(loansCsv, plantedLoans());
  const conn = await engine();
  const loans = await sprint0Audit(conn, {
    name: 'Loan book',
    context: {
      decision: 'Which applications the credit desk reviews by hand',
      task: 'binary',
      targetDefinition: 'defaulted = Yes when a payment was 90 days late within a year',
      positiveClass: 'Yes',
      predictionPoint: 'At application (applied_on)',
      asOf: '2025-01-01',
    },
    plan: LOAN_PLAN,
    roles: {
      target: 'defaulted',
      id: 'loan_id',
      eventTime: 'applied_on',
      source: 'branch',
      segments: ['region'],
      excluded: [],
    },
    file: { path: loansCsv },
  });
  await conn.close();
  const loanLines = await printedText(
    loansCsv,
    { target: 'defaulted', id: 'loan_id', time: 'applied_on', source: 'branch', 'as-of': '2025-01-01' },
    LOAN_PLAN,
  );
  cases.push({
    name: 'planted loans',
    exports: await exportsOf(loans, loanLines),
    allowed: allowedNumbers(loans),
  });
}, 400_000);

describe('every export reads as prose a client can trust', () => {
  it('the planted dataset has the findings it was planted with (so the checks below read real texts)', () => {
    const loans = cases.find((c) => c.name === 'planted loans')!;
    const html = loans.exports[0]!.prose;
    expect(html).toMatch(/recovery_fee/);
    expect(html).toMatch(/Not ready|Ready with conditions/);
    for (const c of cases)
      for (const e of c.exports) expect(e.prose.length, `${c.name} ${e.name}`).toBeGreaterThan(150);
  });

  it('finds each kind of problem when it is planted (the checks can fail)', () => {
    const allowed = new Set(['12', '40']);
    const planted = problems(
      {
        name: 'planted',
        prose:
          'Share 330 % of rows; see minorityShare; at 2026-12-03T15:01:07.820Z; p = 4.88e-154; value undefined; 12 of 41 rows.',
      },
      allowed,
    );
    expect(planted.join('\n')).toMatch(/percentage out of 0–100/);
    expect(planted.join('\n')).toMatch(/camelCase “minorityShare”/);
    expect(planted.join('\n')).toMatch(/ISO timestamp/);
    expect(planted.join('\n')).toMatch(/e-notation/);
    expect(planted.join('\n')).toMatch(/“undefined” in prose/);
    expect(planted.join('\n')).toMatch(/number 41 is not the document’s/);
    expect(planted.join('\n')).not.toMatch(/number 12 /);
  });

  it.each(['demo', 'planted loans'])('%s: no problem in any export', (name) => {
    const c = cases.find((x) => x.name === name)!;
    const found = c.exports.flatMap((e) => problems(e, c.allowed));
    expect(found).toEqual([]);
  });

  it('the texts quoted from the time checks are clean too', () => {
    // The time checks' titles are quoted, with their dates as the client reads them.
    const all = cases.flatMap((c) => c.exports.map((e) => e.prose)).join('\n');
    expect(all).toMatch(/Newest record is 246 days old at 1 Nov 2026 \(28 Feb 2026, 21:45:06\)/);
    expect(all).toMatch(/values are after the as-of date 1 Jan 2025 \(latest 15 Jun 2026\)/);
    const found = cases.flatMap((c) => c.exports.flatMap((e) => problems(e, c.allowed)));
    expect(found).toEqual([]);
  });
});
