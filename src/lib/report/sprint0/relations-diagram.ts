import {
  DIAGRAM_LINE_HEIGHT,
  relationsDiagram,
  type DiagramRelation,
  type DiagramTable,
} from '../../core/charts/relations-diagram';
import { escapeHtml as e } from '../report-template';

/**
 * The related tables as one static SVG for the printed report, drawn from the
 * layout the app's Relations view uses (`core/charts/relations-diagram`):
 * one box per table, one arrow per accepted relation annotated with its
 * cardinality, orphans and fan-out. No script, no link, no external
 * resource; every text escaped.
 */

/** Smaller boxes than the app's: the figure sits in a printed page's width. */
const PRINT = { boxWidth: 170, boxHeight: 52, columnGap: 190, rowGap: 36, margin: 12 };

const STROKE: Record<NonNullable<DiagramRelation['severity']>, string> = {
  blocker: '#b42318',
  major: '#b54708',
  minor: '#5b6470',
  info: '#5b6470',
};

/** Characters of a name shown in a box; the full name is the box's title and in the tables below. */
const MAX_LABEL = 26;
const short = (text: string): string => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

/** The diagram as inline SVG with an accessible name, or '' with fewer than two tables. */
export function relationsDiagramSvg(
  tables: readonly DiagramTable[],
  relations: readonly DiagramRelation[],
  label: string,
): string {
  if (tables.length < 2) return '';
  const d = relationsDiagram(tables, relations, PRINT);
  const boxes = d.tables.map((t) => {
    const lines = [t.label, t.rowsText, ...(t.note ? [t.note] : [])];
    const top = t.y + t.height / 2 - ((lines.length - 1) * DIAGRAM_LINE_HEIGHT) / 2 + 4;
    const text = lines
      .map(
        (line, i) =>
          `<text x="${t.x + t.width / 2}" y="${top + i * DIAGRAM_LINE_HEIGHT}" text-anchor="middle" font-size="${i === 0 ? 12 : 10}"${i === 0 ? ' font-weight="600"' : ''} fill="#1b1f24">${e(short(line))}</text>`,
      )
      .join('');
    const frame = t.labelTable
      ? 'fill="#f0f5fb" stroke="#1f5fa8" stroke-width="2"'
      : `fill="#fff" stroke="#8a94a3" stroke-width="1"${t.joined ? '' : ' stroke-dasharray="4 3"'}`;
    return `<g><title>${e(t.label)}</title><rect x="${t.x}" y="${t.y}" width="${t.width}" height="${t.height}" rx="5" ${frame}/>${text}</g>`;
  });
  const arrows = d.relations.map(
    (r) =>
      `<path d="${e(r.path)}" fill="none" stroke="${STROKE[r.severity ?? 'info']}" stroke-width="1.4" marker-end="url(#rel-arrow)"/>`,
  );
  const notes = d.relations.map((r) => {
    const h = r.lines.length * DIAGRAM_LINE_HEIGHT + 4;
    const top = r.labelY - h / 2;
    return (
      `<rect x="${r.labelX - r.labelWidth / 2}" y="${top}" width="${r.labelWidth}" height="${h}" fill="#fff" opacity="0.9"/>` +
      r.lines
        .map(
          (line, i) =>
            `<text x="${r.labelX}" y="${top + 12 + i * DIAGRAM_LINE_HEIGHT}" text-anchor="middle" font-size="11" fill="#1b1f24">${e(line)}</text>`,
        )
        .join('')
    );
  });
  return `<svg role="img" aria-label="${e(label)}" viewBox="0 0 ${d.width} ${d.height}" width="${d.width}" height="${d.height}" font-family="system-ui, sans-serif"><defs><marker id="rel-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#5b6470"/></marker></defs>${arrows.join('')}${boxes.join('')}${notes.join('')}</svg>`;
}
