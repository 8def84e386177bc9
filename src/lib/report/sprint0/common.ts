import type { TopLevelSpec } from 'vega-lite';
import { SECTION_TITLES, type SectionId } from '../../core/deliverable/package';
import type { Range } from '../../core/deliverable/work-plan';
import { formatNumber } from '../../core/format';
import { chartSvg } from '../svg-charts';
import { chapter, escapeHtml } from '../report-template';

/** The one escaping function of every report, short for the templates of each section. */
export const e = escapeHtml;

/** Profile columns charted per dataset at most (the rest are in the table). */
export const MAX_PROFILE_CHARTS_PER_DATASET = 12;

export interface ChartSize {
  width: number;
  height: number;
}
export const ITEM_CHART: ChartSize = { width: 300, height: 110 };
export const PLAN_CHART: ChartSize = { width: 320, height: 150 };
export const PROFILE_CHART: ChartSize = { width: 210, height: 70 };
export const WIDE_CHART: ChartSize = { width: 560, height: 120 };

/** Renders charts as inline SVG figures until the report's budget is spent (or charts are off). */
export class ChartBudget {
  #left: number;
  constructor(
    max: number,
    readonly enabled: boolean,
  ) {
    this.#left = max;
  }
  async render(spec: TopLevelSpec | null, label: string, size: ChartSize): Promise<string> {
    if (!this.enabled || !spec || this.#left <= 0) return '';
    this.#left--;
    const svg = await chartSvg(spec, label, size);
    return svg ? `<figure class="chart">${svg}</figure>` : '';
  }
}

/** One chapter of the body or appendix, under its title from the package. */
export function section(id: SectionId, body: string): string {
  return chapter(id, SECTION_TITLES[id], body);
}

/** `3–4` person-days or weeks, half units kept. */
export function range(r: Range): string {
  const f = (n: number): string => formatNumber(Math.round(n * 2) / 2, { digits: 1 });
  return f(r.min) === f(r.max) ? f(r.min) : `${f(r.min)}–${f(r.max)}`;
}

/** Where each finding sits in the report: its work-item number and its SQL listing. */
export interface Numbering {
  itemOf: Map<string, number>;
  sqlRefOf: Map<string, string>;
}

/** Label/value pairs as a definition list, every text escaped. */
export function factList(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}
