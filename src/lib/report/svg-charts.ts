import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs rendered to inline SVG with Vega's own SVG renderer, so the
 * report's charts look like the app's and need no script. `renderer: 'none'`
 * with `toSVG()` works headless in Node as in the browser.
 *
 * What comes out is made safe for a report that promises no script, no
 * external URL and no event handler: the SVG namespace URLs are dropped
 * (inline SVG in HTML needs none), and any output carrying `<script`, a
 * `javascript:` link, an `on…=` attribute or another URL is refused rather
 * than embedded.
 */

export interface SvgChartOptions {
  /** Width in px; the app's specs ask for the container's width, which a string renderer does not have. */
  width?: number;
  /** Height in px for a view with a fixed height (bars sized per item keep theirs): smaller charts for print. */
  height?: number;
}

/** The spec with a fixed width and no `$schema` URL, which is metadata only. */
function forStaticRender(spec: TopLevelSpec, width: number, height?: number): TopLevelSpec {
  const { $schema: _schema, ...rest } = spec as TopLevelSpec & { $schema?: string };
  const fixed = { ...rest } as Record<string, unknown>;
  if (fixed.width === 'container' || fixed.width === undefined) fixed.width = width;
  if (height !== undefined && typeof fixed.height === 'number') fixed.height = Math.min(fixed.height, height);
  // One accessible name per chart (the caller's label); per-mark ARIA text would read raw values (`48.540000%`).
  fixed.config = { ...(fixed.config as object | undefined), aria: false };
  // Tooltips mean nothing on paper and would only add title elements.
  return fixed as unknown as TopLevelSpec;
}

const UNSAFE = /<script|javascript:|\son[a-z]+\s*=|<foreignObject|https?:\/\/|xlink:href\s*=\s*"(?!#)/i;

/** Strip namespace declarations; inline `<svg>` in HTML is in the SVG namespace without them. */
function stripNamespaces(svg: string): string {
  return svg.replace(/\s+xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
}

/**
 * One chart as an SVG string, or null when rendering fails or the output is
 * not safe to inline. The accessible title goes in as `aria-label`.
 */
export async function chartSvg(
  spec: TopLevelSpec,
  label: string,
  options: SvgChartOptions = {},
): Promise<string | null> {
  try {
    const vgSpec = compile(forStaticRender(spec, options.width ?? 560, options.height)).spec;
    // Expressions run through Vega's interpreter, not `new Function`: the app's CSP forbids eval, as it does for its own charts.
    const view = new View(parse(vgSpec, undefined, { ast: true }), {
      renderer: 'none',
      expr: expressionInterpreter,
    });
    const raw = await view.toSVG();
    view.finalize();
    const svg = stripNamespaces(raw);
    if (UNSAFE.test(svg)) return null;
    // The chart is one image with one name: inner roles and ARIA text (mark containers, raw values) are dropped.
    const inner = svg.replace(/\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
    return inner.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeAttr(label)}"`);
  } catch {
    return null;
  }
}

function escapeAttr(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
