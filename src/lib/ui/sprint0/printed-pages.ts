/**
 * How many A4 pages a report prints on, body and appendix apart, measured in
 * the browser before the file is saved, so its closing note can state them.
 *
 * A page cannot be printed from script, but CSS fragments multi-column
 * layout the way it fragments pages: the report is laid out, with its print
 * rules applied, in columns exactly as wide and as tall as the A4 page's
 * content box (the `@page` margins of `report-template`), in a hidden,
 * script-less frame. Each column is a page; the appendix's forced page break
 * becomes a column break, and the column it starts in is the first page of
 * the appendix.
 */

/** A4 less the report's `@page` margins (16 mm top, 15 mm bottom, 14 mm each side), in mm. */
export const CONTENT_WIDTH_MM = 182;
const CONTENT_HEIGHT_MM = 266;
export const GAP_MM = 10;

/** The report as it prints, laid out in page-sized columns (one column per printed page). */
export function inPageColumns(html: string): string {
  const columns = `<style>html{margin:0;padding:0}
body{margin:0 !important;padding:0 !important;max-width:none !important;width:${CONTENT_WIDTH_MM}mm;height:${CONTENT_HEIGHT_MM}mm;
column-width:${CONTENT_WIDTH_MM}mm;column-gap:${GAP_MM}mm;column-fill:auto}</style>`;
  return html
    .replace(/@media print\s*\{/g, '@media all{')
    .replace(/break-before:\s*page/g, 'break-before:column')
    .replace('</head>', `${columns}</head>`);
}

export interface PrintedPages {
  body: number;
  appendix: number;
}

/**
 * The printed pages of a report (A4), or undefined when it cannot be laid
 * out here (no DOM). The report's own CSP still applies inside the frame; the
 * frame runs no script.
 */
export async function printedPages(
  html: string,
  doc: Document = document,
): Promise<PrintedPages | undefined> {
  if (!doc.body) return undefined;
  const frame = doc.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-same-origin');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.style.cssText =
    'position:fixed;left:-10000px;top:0;width:2000px;height:1200px;border:0;visibility:hidden';
  try {
    const loaded = new Promise<void>((resolve) =>
      frame.addEventListener('load', () => resolve(), { once: true }),
    );
    frame.srcdoc = inPageColumns(html);
    doc.body.append(frame);
    await loaded;
    const inner = frame.contentDocument;
    if (!inner?.body) return undefined;
    const mm = inner.body.getBoundingClientRect().width / CONTENT_WIDTH_MM;
    const step = (CONTENT_WIDTH_MM + GAP_MM) * mm;
    const total = Math.max(1, Math.round((inner.body.scrollWidth + GAP_MM * mm) / step));
    const appendix = inner.getElementById('appendix');
    if (!appendix) return { body: total, appendix: 0 };
    const first = Math.round(
      (appendix.getBoundingClientRect().left - inner.body.getBoundingClientRect().left) / step,
    );
    return { body: first, appendix: total - first };
  } finally {
    frame.remove();
  }
}
