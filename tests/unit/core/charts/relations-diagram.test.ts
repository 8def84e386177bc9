import { describe, expect, it } from 'vitest';
import {
  relationsDiagram,
  type DiagramRelation,
  type DiagramTable,
} from '../../../../src/lib/core/charts/relations-diagram';

const table = (id: string, depth: number | undefined, labelTable = false): DiagramTable => ({
  id,
  label: `${id}.csv`,
  rowsText: '10 rows',
  labelTable,
  depth,
});
const arrow = (key: string, child: string, parent: string): DiagramRelation => ({
  key,
  child,
  parent,
  lines: ['1:n · 2.4 per parent', '3 % orphan keys'],
});

/** The first and last points of an SVG path `M x y C … x y`. */
function ends(path: string): [number, number, number, number] {
  const n = path.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return [n[0]!, n[1]!, n.at(-2)!, n.at(-1)!];
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('relations diagram layout', () => {
  it('puts tables in columns by join distance and the unjoined ones last, without overlap', () => {
    const d = relationsDiagram(
      [table('c', 0, true), table('s', 1), table('t', 1), table('i', 2), table('x', undefined)],
      [arrow('s', 's', 'c'), arrow('t', 't', 'c'), arrow('i', 'i', 's')],
    );
    const x = Object.fromEntries(d.tables.map((t) => [t.id, t.x]));
    expect(x.c).toBeLessThan(x.s!);
    expect(x.s).toBe(x.t);
    expect(x.i).toBeGreaterThan(x.s!);
    expect(x.x).toBeGreaterThan(x.i!);
    expect(d.tables.find((t) => t.id === 'x')?.joined).toBe(false);
    for (const a of d.tables)
      for (const b of d.tables) if (a !== b) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
    for (const t of d.tables) {
      expect(t.x + t.width).toBeLessThanOrEqual(d.width);
      expect(t.y + t.height).toBeLessThanOrEqual(d.height);
      expect(t.y).toBeGreaterThanOrEqual(0);
    }
  });

  it('draws each arrow from the child box’s edge to the parent box’s edge, annotated between them', () => {
    const d = relationsDiagram([table('c', 0, true), table('s', 1)], [arrow('s', 's', 'c')]);
    const [c, s] = d.tables;
    const r = d.relations[0]!;
    const [x1, y1, x2, y2] = ends(r.path);
    expect(x1).toBe(s!.x);
    expect(y1).toBe(s!.y + s!.height / 2);
    expect(x2).toBe(c!.x + c!.width);
    expect(y2).toBe(c!.y + c!.height / 2);
    expect(r.labelX).toBe((x1 + x2) / 2);
    // The annotation fits in the gap between the two columns.
    expect(r.labelX - r.labelWidth / 2).toBeGreaterThan(c!.x + c!.width);
    expect(r.labelX + r.labelWidth / 2).toBeLessThan(s!.x);
  });

  it('spreads the arrows into one parent down its side, in the order of their children', () => {
    const d = relationsDiagram(
      [table('c', 0, true), table('s', 1), table('t', 1)],
      [arrow('t', 't', 'c'), arrow('s', 's', 'c')],
    );
    const c = d.tables[0]!;
    const byKey = Object.fromEntries(d.relations.map((r) => [r.key, ends(r.path)]));
    const [, , sx, sy] = byKey.s!;
    const [, , tx, ty] = byKey.t!;
    expect(sx).toBe(c.x + c.width);
    expect(tx).toBe(c.x + c.width);
    // s is drawn above t, so its arrow arrives above t's, both inside the box.
    expect(sy).toBeLessThan(ty);
    expect(sy).toBeGreaterThan(c.y);
    expect(ty).toBeLessThan(c.y + c.height);
  });

  it('spreads two relations between the same tables apart, and loops a table pointing at itself', () => {
    const d = relationsDiagram(
      [table('c', 0, true), table('s', 1)],
      [arrow('a', 's', 'c'), arrow('b', 's', 'c'), arrow('self', 'c', 'c')],
    );
    const [a, b, self] = d.relations;
    expect(Math.abs(a!.labelY - b!.labelY)).toBeGreaterThanOrEqual(2 * 14);
    const [x1, y1, x2, y2] = ends(self!.path);
    const c = d.tables[0]!;
    expect(y1).toBe(c.y);
    expect(y2).toBe(c.y);
    expect(x1).toBeLessThan(x2);
    // The loop's annotation stays inside the drawing.
    expect(self!.labelY).toBeGreaterThan(0);
  });

  it('skips arrows to tables it does not draw, and draws nothing for no table', () => {
    expect(relationsDiagram([table('c', 0, true)], [arrow('s', 's', 'c')]).relations).toEqual([]);
    expect(relationsDiagram([], [])).toEqual({ width: 0, height: 0, tables: [], relations: [] });
  });
});
