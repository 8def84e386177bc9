import type { DatasetRef, Finding, Severity } from '../core/model/audit';
import { EFFORT_DAYS, FIX_LABELS, OWNER_ROLE_LABELS } from '../core/deliverable/defaults';
import { SEVERITY_LABELS, findingMeaning } from '../core/deliverable/presentation';
import type { WaivedItem, WorkItem } from '../core/deliverable/work-plan';
import { formatList, formatNumber, plural, pluralWord } from '../core/format';
import { prettySql, withSourceNames } from './sql-listing';
import { isServerTable, sourceWords } from '../core/model/dataset-source';

/**
 * The one template of Sprint Zero's printable reports: the sprint-0 report
 * and the readiness-only audit report are chapters of it. It fixes the page
 * (A4, margins, running head, page numbers), the landmarks (a `header`, one
 * `main`), how a finding reads (the work item that fixes it: severity, fix,
 * owner, effort, one sentence of evidence, a chart where one helps) and the
 * appendix of SQL listings. Every value passes through `escapeHtml` here or
 * in the caller; no script, no external resource.
 *
 * Print rules: no section forces a page break except the appendix, which
 * starts on a new page; cards, figures and table rows are never split; a
 * heading is never left alone at the foot of a page.
 */

/** Escape text for HTML element content and attribute values. Everything from data goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const e = escapeHtml;

export const REPORT_STYLE = `
:root{color-scheme:light}
/* Badges, bars and rules carry meaning in colour: keep them when printed. */
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.4;font-size:11pt}
h1{font-size:1.6rem;margin:0 0 .2rem}
h2{font-size:1.25rem;border-bottom:2px solid #1b1f24;padding-bottom:.15rem;margin:1.6rem 0 .6rem}
h3{font-size:1.02rem;margin:1rem 0 .35rem}
h4{font-size:.95rem;margin:0 0 .2rem}
p{margin:.35rem 0}
table{border-collapse:collapse;margin:.4rem 0;width:100%}
td,th{border-bottom:1px solid #d5dbe3;padding:.15rem .45rem;text-align:left;vertical-align:top}
.nowrap{white-space:nowrap}
table.items td:nth-child(2){width:32%}
thead th{border-bottom:2px solid #8a94a3}
th[scope=row]{font-weight:600}
.n{text-align:right;white-space:nowrap}
.verdict{display:inline-block;padding:.15rem .75rem;border-radius:999px;color:#fff;font-weight:700}
.v-not-ready{background:#b42318}.v-conditional{background:#b54708}.v-ready{background:#067647}.v-not-assessed{background:#5b6470}
.sev{display:inline-block;min-width:3.9rem;font-size:.7rem;font-weight:700;text-transform:uppercase;padding:.05rem .3rem;border-radius:3px;color:#fff;text-align:center;margin-right:.35rem}
.s-blocker{background:#b42318}.s-major{background:#b54708}.s-minor{background:#5b6470}.s-info{background:#6b7480}
.item{border-left:4px solid #d5dbe3;padding:.35rem .7rem;margin:.6rem 0;display:grid;grid-template-columns:minmax(0,1fr);gap:0 1rem}
.item.has-chart{grid-template-columns:minmax(0,1fr) 19rem}
.item.i-blocker{border-color:#b42318}.item.i-major{border-color:#b54708}
.item .meta{display:flex;flex-wrap:wrap;gap:.1rem 1.2rem;font-size:.85rem;margin:.25rem 0}
.item .meta b{font-weight:600}
.item figure{margin:0;grid-column:2;grid-row:1 / span 4}
.why{color:#3d4650;font-size:.88rem}
.waived{opacity:.75}
.muted{color:#5b6470}.small{font-size:.85rem}
.next{background:#f0f5fb;border-left:4px solid #1f5fa8;padding:.45rem .8rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
.facts dt{font-weight:600}.facts dd{margin:0}
.flow{display:flex;gap:.5rem;align-items:stretch;flex-wrap:wrap;margin:.5rem 0}
.flow>div{border:1px solid #8a94a3;border-radius:6px;padding:.35rem .6rem;flex:1 1 9rem}
.flow>.arrow{border:none;flex:0 0 auto;align-self:center;font-size:1.4rem}
.flow ul{margin:.2rem 0;padding-left:1.1rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.4rem 1rem}
.charts.small{grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}
figure.chart{margin:.3rem 0}figure.chart svg{max-width:100%;height:auto}
.placeholder{border:1px dashed #8a94a3;padding:.5rem .8rem;color:#5b6470}
.ok{color:#067647;font-weight:600}.todo{color:#b54708;font-weight:600}
.closing{margin-top:1.5rem;border-top:1px solid #8a94a3;padding-top:.4rem}
.listing{margin:.5rem 0}
.listing h4{margin:.2rem 0}
pre{background:#f5f7fa;padding:.4rem .5rem;margin:.2rem 0 .6rem;white-space:pre-wrap;word-break:break-word;font-size:.72rem;line-height:1.25}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.appendix{margin-top:2.5rem}
@media print{
  body{max-width:none;margin:0;padding:0;font-size:9.5pt}
  h2{margin-top:1.1rem}
  h2,h3,h4{break-after:avoid}
  tr,figure,.item,.flow,.facts,.next,.closing,.listing h4{break-inside:avoid}
  table.keep{break-inside:avoid}
  thead{display:table-header-group}
  .appendix{break-before:page;margin-top:0}
  .listings{columns:2;column-gap:1.2rem;column-rule:1px solid #d5dbe3}
  .listing h4{font-size:7.5pt;break-after:avoid}
  .sql pre{font-size:6.4pt;break-inside:auto;orphans:4;widows:4;padding:.2rem .3rem}
  a{color:inherit;text-decoration:none}
}
`;

/** Text as a CSS string literal: every character but letters, digits and spaces as a CSS escape. */
export function cssString(text: string): string {
  const escaped = [...text]
    .map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `))
    .join('');
  return `"${escaped}"`;
}

/** The printed page: A4, the audit's name and date repeated at the top, `page / pages` at the foot. */
export function pageCss(runningTitle: string, runningDate: string): string {
  return `@page{size:A4;margin:16mm 14mm 15mm 14mm;
@top-left{content:${cssString(runningTitle)};font:8pt system-ui,sans-serif;color:#5b6470}
@top-right{content:${cssString(runningDate)};font:8pt system-ui,sans-serif;color:#5b6470}
@bottom-right{content:counter(page) " / " counter(pages);font:8pt system-ui,sans-serif;color:#5b6470}}`;
}

export interface ReportDocument {
  /** The `<title>` and the `h1`. */
  title: string;
  /** The line under the title: what the report is, as of when, generated when. */
  subtitle: string;
  /** Printed at the top of every page. */
  runningHead: string;
  runningDate: string;
  /** The chapters, as HTML. */
  body: string;
  /** The closing note, as HTML (ends the body). */
  closing: string;
  /** The appendix, as HTML; it starts on a new printed page. */
  appendix: string;
  /** Inline SVG charts need `img-src data:` in the CSP only when Vega emits images; off by default. */
  allowDataImages?: boolean;
}

/** The whole HTML file: one `header` (banner), one `main` holding the body, the closing note and the appendix. */
export function reportDocument(doc: ReportDocument): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'${doc.allowDataImages ? '; img-src data:' : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.title)}</title>
<style>${REPORT_STYLE}${pageCss(doc.runningHead, doc.runningDate)}</style></head><body>
<header><h1>${e(doc.title)}</h1><p class="muted">${e(doc.subtitle)}</p></header>
<main>
${doc.body}
<section class="closing" aria-label="Closing note">${doc.closing}</section>
${doc.appendix ? `<div class="appendix" id="appendix">${doc.appendix}</div>` : ''}
</main>
</body></html>
`;
}

/** A chapter: an `h2` and its content, in a `section` labelled by the heading. */
export function chapter(id: string, title: string, body: string): string {
  return `<section class="sec" id="s-${e(id)}" aria-labelledby="h-${e(id)}"><h2 id="h-${e(id)}">${e(title)}</h2>\n${body}\n</section>`;
}

export function sevBadge(severity: Severity): string {
  return `<span class="sev s-${e(severity)}">${e(SEVERITY_LABELS[severity] ?? String(severity))}</span>`;
}

export interface TableOptions {
  /** Columns aligned right (numbers). */
  numeric?: readonly number[];
  /** Keep the whole table on one page (short tables only). */
  keep?: boolean;
  caption?: string;
  /** Text shown instead of an empty table. */
  empty?: string;
  className?: string;
}

/** A table; cells are HTML the caller escaped, header cells are text. */
export function table(
  head: readonly string[],
  rows: readonly string[][],
  options: TableOptions = {},
): string {
  if (rows.length === 0) return `<p class="muted">${e(options.empty ?? 'None.')}</p>`;
  const numeric = options.numeric ?? [];
  const cls = (i: number): string => (numeric.includes(i) ? ' class="n"' : '');
  const keep = options.keep ?? rows.length <= 12;
  const classes = [...(keep ? ['keep'] : []), ...(options.className ? [options.className] : [])];
  return `<table${classes.length ? ` class="${classes.join(' ')}"` : ''}>${options.caption ? `<caption>${e(options.caption)}</caption>` : ''}<thead><tr>${head
    .map((h, i) => `<th scope="col"${cls(i)}>${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** `—` for empty text, the escaped text otherwise. */
export function orDash(text: string): string {
  return text.trim() === '' ? '<span class="muted">—</span>' : e(text);
}

/** `M · 3–5 person-days`. */
export function effortText(item: Pick<WorkItem, 'effort'>, unit = true): string {
  const days = EFFORT_DAYS[item.effort];
  const span =
    days.min === days.max ? formatNumber(days.min) : `${formatNumber(days.min)}–${formatNumber(days.max)}`;
  return `${item.effort} · ${span}${unit ? ` ${pluralWord(days.max, 'person-day')}` : ''}`;
}

export interface ItemCardOptions {
  /** The item's number in the report (`#3`), which the summary and the appendix refer to. */
  number: number;
  /** The chart that helps read the evidence, as inline SVG (or empty). */
  chart?: string;
  /** The waiver's reason when the finding is accepted instead of fixed. */
  waiver?: string;
  /** The consultant's note on the finding. */
  note?: string;
  /** Where its SQL is listed (`B.3`), or empty when it has none. */
  sqlRef?: string;
}

/**
 * One finding as the work item that fixes it: severity and the evidence
 * sentence (its title) as the heading, why it matters, the fix, owner and
 * effort together, then the chart beside it.
 */
export function itemCard(finding: Finding, item: WorkItem | undefined, options: ItemCardOptions): string {
  const f = finding;
  const columns = f.columns.length
    ? ` <span class="muted small">(${f.columns.map(e).join(', ')})</span>`
    : '';
  const fix = item
    ? `<p><b>${e(FIX_LABELS[item.fix] ?? item.fix)}:</b> ${e(item.notes || f.recommendation)}</p>
<p class="meta"><span><b>Owner:</b> ${e(OWNER_ROLE_LABELS[item.ownerRole] ?? item.ownerRole)}</span><span><b>Effort:</b> ${e(effortText(item))}${item.edited ? ' <span class="muted">(edited)</span>' : ''}</span>${options.sqlRef ? `<span class="muted">SQL: ${e(options.sqlRef)}</span>` : ''}</p>`
    : `<p><b>What to do:</b> ${e(f.recommendation)}</p>${options.sqlRef ? `<p class="meta muted">SQL: ${e(options.sqlRef)}</p>` : ''}`;
  const chart = options.chart ?? '';
  return `<article class="item i-${e(f.severity)}${chart ? ' has-chart' : ''}${options.waiver !== undefined ? ' waived' : ''}" id="item-${options.number}" aria-labelledby="item-${options.number}-h">
<div><h4 id="item-${options.number}-h">${sevBadge(f.severity)}<span class="muted">#${options.number}</span> ${e(f.title)}${columns}</h4>
<p class="why">${e(findingMeaning(f))}</p>
${options.waiver !== undefined ? `<p><b>Accepted instead of fixed:</b> ${e(options.waiver)}</p>` : fix}
${options.note ? `<p class="small"><b>Note:</b> ${e(options.note)}</p>` : ''}</div>
${chart}
</article>`;
}

export interface SqlListing {
  /** `B.3` */
  ref: string;
  title: string;
  /** Pretty-printed SQL text (escaped here). */
  sql: string;
}

/** SQL listings, shown in full (never folded): each under its reference and title. */
export function sqlListings(listings: readonly SqlListing[]): string {
  return listings
    .map(
      (l) =>
        `<div class="listing" id="sql-${e(l.ref)}"><h4>${e(l.ref)} ${e(l.title)}</h4><pre><code>${e(l.sql)}</code></pre></div>`,
    )
    .join('\n');
}

export interface WorkItemsOptions {
  /** Every finding, most severe first (info findings are listed, not planned). */
  findings: readonly Finding[];
  /** The plan's items: one per open finding (info excluded), then any added by hand. */
  items: readonly WorkItem[];
  waived: readonly WaivedItem[];
  /** The consultant's notes by finding id. */
  notes: ReadonlyMap<string, string>;
  /** Inline SVG by finding id, for the findings a chart helps to read. */
  chartOf: ReadonlyMap<string, string>;
  itemOf: ReadonlyMap<string, number>;
  sqlRefOf: ReadonlyMap<string, string>;
}

/**
 * The findings as the work that fixes them: blockers and majors as cards
 * (with their chart), minors as one table row each with the same fields,
 * items added by hand, findings accepted instead of fixed with the reason,
 * and the information-only findings on one line each.
 */
export function workItemsHtml(o: WorkItemsOptions): string {
  const byId = new Map(o.findings.map((f) => [f.id, f]));
  const open = o.items.filter((i) => i.origin === 'finding' && byId.has(i.id));
  const manual = o.items.filter((i) => i.origin === 'manual');
  const of = (s: Severity): WorkItem[] => open.filter((i) => i.severity === s);
  const cards = (items: readonly WorkItem[]): string =>
    items
      .map((item) => {
        const f = byId.get(item.id)!;
        const note = o.notes.get(f.id);
        return itemCard(f, item, {
          number: o.itemOf.get(f.id) ?? 0,
          chart: o.chartOf.get(f.id) ?? '',
          ...(note !== undefined ? { note } : {}),
          sqlRef: o.sqlRefOf.get(f.id) ?? '',
        });
      })
      .join('\n');
  const number = (id: string): string => `<span class="muted">#${o.itemOf.get(id) ?? ''}</span>`;
  const minorRows = of('minor').map((i) => {
    const f = byId.get(i.id)!;
    const ref = o.sqlRefOf.get(i.id);
    const note = o.notes.get(f.id);
    return [
      number(i.id),
      `${e(f.title)}${note ? `<br><span class="small"><b>Note:</b> ${e(note)}</span>` : ''}`,
      `<b>${e(FIX_LABELS[i.fix] ?? i.fix)}:</b> ${e(i.notes || f.recommendation)}${ref ? ` <span class="muted small">SQL: ${e(ref)}</span>` : ''}`,
      e(OWNER_ROLE_LABELS[i.ownerRole] ?? i.ownerRole),
      `<span class="nowrap">${e(effortText(i, false))}</span>`,
    ];
  });
  const manualRows = manual.map((i) => [
    number(i.id),
    `${e(i.title)}${i.notes ? `<br><span class="small">${e(i.notes)}</span>` : ''}`,
    e(FIX_LABELS[i.fix] ?? i.fix),
    e(OWNER_ROLE_LABELS[i.ownerRole] ?? i.ownerRole),
    `<span class="nowrap">${e(effortText(i, false))}</span>`,
  ]);
  const info = o.findings.filter((f) => f.severity === 'info');
  const blockers = of('blocker');
  const majors = of('major');
  return [
    blockers.length ? `<h3>Blockers</h3>${cards(blockers)}` : '',
    majors.length ? `<h3>Major findings</h3>${cards(majors)}` : '',
    minorRows.length
      ? `<h3>Minor findings</h3>${table(['#', 'Finding', 'Fix', 'Owner', 'Effort (person-days)'], minorRows, { keep: false, className: 'items' })}`
      : '',
    manualRows.length
      ? `<h3>Added by the consultant</h3>${table(['#', 'Work item', 'Fix', 'Owner', 'Effort (person-days)'], manualRows)}`
      : '',
    o.waived.length
      ? `<h3>Accepted instead of fixed</h3>${table(
          ['Severity', 'Finding', 'Accepted because'],
          o.waived.map((w) => [sevBadge(w.severity), e(w.title), e(w.reason)]),
        )}`
      : '',
    info.length
      ? `<h3>For information (no work needed)</h3><ul class="small">${info.map((f) => `<li>${e(f.title)}</li>`).join('')}</ul>`
      : '',
    o.items.length === 0 && o.waived.length === 0 ? '<p>No open finding: nothing to fix.</p>' : '',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/**
 * Where the listed statements run: DuckDB next to the client's files, or, for
 * tables read in place on ClickHouse, the server itself (the audit ran them
 * there in ClickHouse SQL, naming the tables as the server does).
 */
function whereSqlRuns(datasets: SqlAppendixOptions['datasets']): string {
  const tables = datasets.filter(isServerTable);
  const files = datasets.filter((d) => !isServerTable(d));
  const parts: string[] = [];
  if (files.length > 0)
    parts.push(
      `Each statement reproduces one finding in DuckDB. The tables are named by the client’s files (${formatList(files.map((d) => `“${d.fileName}”`))}), so a statement runs in DuckDB in the folder that holds them.`,
    );
  const named = formatList(tables.map(sourceWords));
  if (tables.length > 0)
    parts.push(
      files.length > 0
        ? `A statement on the ${named} is ClickHouse SQL, as the audit ran it there, and runs on that server as written.`
        : `Each statement reproduces one finding in ClickHouse SQL, as the audit ran it on the ${named}; it runs on that server as written.`,
    );
  return parts.join(' ');
}

export interface SqlAppendixOptions {
  title: string;
  /** The appendix letter its listings are numbered under (`B` → `B.3`). */
  prefix: string;
  findings: readonly Finding[];
  datasets: readonly Pick<DatasetRef, 'fileName' | 'format' | 'server'>[];
  /** Work-item numbers by finding id: a listing takes its finding's number. */
  itemOf: ReadonlyMap<string, number>;
  /** Filled in: the listing each finding refers to. */
  sqlRefOf: Map<string, string>;
}

/**
 * The SQL of every finding that needs work (blockers, majors, minors, waived
 * or not), pretty-printed, the internal tables named by their files, under
 * its work-item number. A statement shared by several findings is listed
 * once. Information-only findings are left to the audit file: one of them
 * alone can run to a thousand printed lines.
 */
export function sqlAppendix(o: SqlAppendixOptions): string {
  const listings: SqlListing[] = [];
  const seen = new Map<string, string>();
  let unnumbered = 0;
  for (const f of o.findings.filter((x) => x.severity !== 'info' && x.sql.trim() !== '')) {
    const n = o.itemOf.get(f.id);
    const ref = n !== undefined ? `${o.prefix}.${n}` : `${o.prefix}.w${++unnumbered}`;
    const sql = prettySql(withSourceNames(f.sql, o.datasets));
    const same = seen.get(sql);
    if (same) {
      o.sqlRefOf.set(f.id, same);
      continue;
    }
    seen.set(sql, ref);
    o.sqlRefOf.set(f.id, ref);
    listings.push({ ref, title: `${SEVERITY_LABELS[f.severity]}: ${f.title}`, sql });
  }
  const info = o.findings.filter((f) => f.severity === 'info').length;
  return `<section class="sec sql" id="s-sql" aria-labelledby="h-sql"><h2 id="h-sql">${e(o.title)}</h2>
<p class="small">${e(whereSqlRuns(o.datasets))}${info ? ` ${e(`The ${plural(info, 'information-only finding')} need no work; their SQL is in the audit file.`)}` : ''}</p>
${listings.length ? `<div class="listings">${sqlListings(listings)}</div>` : '<p class="muted">No finding has SQL to list.</p>'}
</section>`;
}
