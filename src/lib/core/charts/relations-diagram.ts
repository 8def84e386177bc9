/**
 * The layout of the Relations diagram (issue 22): one box per table, one
 * arrow per accepted relation from the child to its parent. Plain geometry
 * and text for an SVG the UI draws as it is: no Vega, no external assets.
 *
 * Columns are join distances (the join paths of core/relations): the label's
 * table on the left, the tables that join it next, and so on; tables no
 * accepted relation connects to it sit in a last column, marked as not joined.
 */

/** A table of the diagram, its text already formatted. */
export interface DiagramTable {
  id: string;
  label: string;
  /** e.g. `12,345 rows`. */
  rowsText: string;
  /** Holds the target and the prediction time. */
  labelTable: boolean;
  /** A third line, e.g. `Label’s table · target churned`. */
  note?: string;
  /** Joins from here to the label's table (0 for it); undefined when no accepted relation leads there. */
  depth: number | undefined;
}

/** An accepted relation, child → parent, with its annotation lines already formatted. */
export interface DiagramRelation {
  key: string;
  child: string;
  parent: string;
  /** One or two short lines written on the arrow (cardinality, orphans, fan-out). */
  lines: string[];
  /** The worst open finding on this relation, to colour the arrow. */
  severity?: 'blocker' | 'major' | 'minor' | 'info';
}

export interface PlacedTable extends DiagramTable {
  x: number;
  y: number;
  width: number;
  height: number;
  joined: boolean;
}

export interface PlacedRelation extends DiagramRelation {
  /** SVG path data, from the child box's edge to the parent box's edge (the arrowhead's end). */
  path: string;
  /** Centre of the annotation. */
  labelX: number;
  labelY: number;
  /** Width of the annotation's backdrop, from its longest line. */
  labelWidth: number;
}

export interface RelationsDiagram {
  width: number;
  height: number;
  tables: PlacedTable[];
  relations: PlacedRelation[];
}

export interface RelationsDiagramOptions {
  boxWidth?: number;
  boxHeight?: number;
  /** Room between columns: the arrows' annotations are written there. */
  columnGap?: number;
  rowGap?: number;
  margin?: number;
}

/** Average width of a character of the annotation font (12 px sans-serif), for the backdrop. */
const CHAR_WIDTH = 6.6;
export const DIAGRAM_LINE_HEIGHT = 14;

/** Places the tables in columns by join distance and routes the arrows. */
export function relationsDiagram(
  tables: readonly DiagramTable[],
  relations: readonly DiagramRelation[],
  options: RelationsDiagramOptions = {},
): RelationsDiagram {
  const boxWidth = options.boxWidth ?? 220;
  const boxHeight = options.boxHeight ?? 66;
  const columnGap = options.columnGap ?? 200;
  const rowGap = options.rowGap ?? 56;
  const margin = options.margin ?? 16;
  if (tables.length === 0) return { width: 0, height: 0, tables: [], relations: [] };

  const known = new Set(tables.map((t) => t.id));
  const drawn = relations.filter((r) => known.has(r.child) && known.has(r.parent));
  const lastDepth = Math.max(-1, ...tables.map((t) => t.depth ?? -1));
  const columnOf = (t: DiagramTable): number => t.depth ?? lastDepth + 1;
  const columnCount = Math.max(...tables.map(columnOf)) + 1;
  // A gap in the depths leaves no blank column.
  const columns = Array.from({ length: columnCount }, (_, c) =>
    tables.filter((t) => columnOf(t) === c),
  ).filter((c) => c.length > 0);
  const tallest = Math.max(...columns.map((c) => c.length));
  const innerHeight = tallest * boxHeight + (tallest - 1) * rowGap;
  // Room above the boxes for a self-relation's loop and its annotation.
  const top = margin + (drawn.some((r) => r.child === r.parent) ? 3 * DIAGRAM_LINE_HEIGHT + 12 : 0);

  const placed = new Map<string, PlacedTable>();
  columns.forEach((column, c) => {
    const height = column.length * boxHeight + (column.length - 1) * rowGap;
    column.forEach((t, i) => {
      placed.set(t.id, {
        ...t,
        x: margin + c * (boxWidth + columnGap),
        y: top + (innerHeight - height) / 2 + i * (boxHeight + rowGap),
        width: boxWidth,
        height: boxHeight,
        joined: t.depth !== undefined,
      });
    });
  });

  // Several relations between the same two tables fan out around the straight line.
  const pairCount = new Map<string, number>();
  const ends = arrowEnds(drawn, placed);
  const routed = drawn.map((r, i) => {
    const pair = [r.child, r.parent].sort().join('\u0000');
    const index = pairCount.get(pair) ?? 0;
    pairCount.set(pair, index + 1);
    return route(r, placed.get(r.child)!, placed.get(r.parent)!, index, ends.get(i));
  });

  // The drawing holds every box and every annotation (a same-column curve writes right of the boxes).
  const right = Math.max(
    ...[...placed.values()].map((t) => t.x + t.width),
    ...routed.map((r) => r.labelX + r.labelWidth / 2),
  );
  const bottom = Math.max(
    ...[...placed.values()].map((t) => t.y + t.height),
    ...routed.map((r) => r.labelY + ((r.lines.length + 1) * DIAGRAM_LINE_HEIGHT) / 2),
  );
  return {
    width: Math.ceil(right + margin),
    height: Math.ceil(bottom + margin),
    tables: tables.map((t) => placed.get(t.id)!),
    relations: routed,
  };
}

interface ArrowEnd {
  index: number;
  end: 'child' | 'parent';
  box: PlacedTable;
  /** Centre height of the box at the arrow's other end: ends are ordered by it so arrows don't cross. */
  towards: number;
}

/**
 * The heights at which arrows between columns leave their child and reach
 * their parent: the ends on one side of a box are spread evenly down it, so
 * two arrows into the label's table never meet in one point.
 */
function arrowEnds(
  drawn: readonly DiagramRelation[],
  placed: ReadonlyMap<string, PlacedTable>,
): Map<number, { child: number; parent: number }> {
  const sides = new Map<string, ArrowEnd[]>();
  const add = (key: string, end: ArrowEnd): void => {
    sides.set(key, [...(sides.get(key) ?? []), end]);
  };
  drawn.forEach((r, index) => {
    const child = placed.get(r.child)!;
    const parent = placed.get(r.parent)!;
    if (child.x === parent.x) return;
    const childLeft = child.x > parent.x;
    add(`${child.id}\u0000${childLeft}`, {
      index,
      end: 'child',
      box: child,
      towards: parent.y + parent.height / 2,
    });
    add(`${parent.id}\u0000${!childLeft}`, {
      index,
      end: 'parent',
      box: parent,
      towards: child.y + child.height / 2,
    });
  });
  const ys = new Map<number, { child: number; parent: number }>();
  for (const side of sides.values()) {
    side.sort((a, b) => a.towards - b.towards || a.index - b.index);
    side.forEach((e, k) => {
      const y = e.box.y + (e.box.height * (k + 1)) / (side.length + 1);
      const at = ys.get(e.index) ?? { child: 0, parent: 0 };
      at[e.end] = y;
      ys.set(e.index, at);
    });
  }
  return ys;
}

function labelWidth(lines: readonly string[]): number {
  return Math.ceil(Math.max(0, ...lines.map((l) => l.length)) * CHAR_WIDTH) + 12;
}

function route(
  r: DiagramRelation,
  child: PlacedTable,
  parent: PlacedTable,
  index: number,
  ends: { child: number; parent: number } | undefined,
): PlacedRelation {
  const width = labelWidth(r.lines);
  // 0, +1, -1, +2…: the n-th relation between one pair of tables, offset from the first.
  const offset =
    (index % 2 === 0 ? index / 2 : -(index + 1) / 2) * (r.lines.length + 1) * DIAGRAM_LINE_HEIGHT;
  const cy = (t: PlacedTable) => t.y + t.height / 2;

  if (child.id === parent.id) {
    // A table pointing at itself (manager_id → id): a loop over the box.
    const x1 = child.x + child.width * 0.3;
    const x2 = child.x + child.width * 0.7;
    const y = child.y;
    const lift = 2 * DIAGRAM_LINE_HEIGHT + 8 - offset;
    return {
      ...r,
      path: `M ${x1} ${y} C ${x1} ${y - lift}, ${x2} ${y - lift}, ${x2} ${y}`,
      labelX: child.x + child.width / 2,
      labelY: y - lift * 0.75 - (r.lines.length * DIAGRAM_LINE_HEIGHT) / 2,
      labelWidth: width,
    };
  }

  if (child.x === parent.x) {
    // Same column: a curve out to the right of both boxes.
    const x = child.x + child.width;
    const y1 = cy(child);
    const y2 = cy(parent);
    const bulge = x + 90 + Math.abs(offset);
    return {
      ...r,
      path: `M ${x} ${y1} C ${bulge} ${y1}, ${bulge} ${y2}, ${x} ${y2}`,
      labelX: x + 0.75 * (bulge - x) + width / 2,
      labelY: (y1 + y2) / 2,
      labelWidth: width,
    };
  }

  const childLeft = child.x > parent.x;
  const x1 = childLeft ? child.x : child.x + child.width;
  const x2 = childLeft ? parent.x + parent.width : parent.x;
  const y1 = ends?.child ?? cy(child);
  const y2 = ends?.parent ?? cy(parent);
  const mx = (x1 + x2) / 2;
  // Symmetric control points put the curve's midpoint halfway between the ends. The ends of parallel
  // relations are already spread down the boxes, in order; a bend adds room for their annotations.
  const drop = (index * (r.lines.length + 1) * DIAGRAM_LINE_HEIGHT) / 2;
  const bend = drop / 0.75;
  return {
    ...r,
    path: `M ${x1} ${y1} C ${mx} ${y1 + bend}, ${mx} ${y2 + bend}, ${x2} ${y2}`,
    labelX: mx,
    labelY: (y1 + y2) / 2 + drop,
    labelWidth: width,
  };
}
