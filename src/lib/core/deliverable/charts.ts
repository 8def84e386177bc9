import type { TopLevelSpec } from 'vega-lite';
import type { TimelineEstimate } from './timeline';

/**
 * A Gantt-style chart of the timeline estimate: each phase starts when the
 * previous one ends at its shortest; the dark bar is the phase's minimum and
 * the light one how far it can run. Phase names travel only as data.
 */
export function timelineSpec(estimate: TimelineEstimate): TopLevelSpec | null {
  if (estimate.phases.length === 0) return null;
  let start = 0;
  const values: { phase: string; rank: number; from: number; to: number; part: string }[] = [];
  estimate.phases.forEach((p, rank) => {
    values.push({ phase: p.name, rank, from: start, to: start + p.weeks.min, part: 'Shortest' });
    if (p.weeks.max > p.weeks.min)
      values.push({
        phase: p.name,
        rank,
        from: start + p.weeks.min,
        to: start + p.weeks.max,
        part: 'Up to longest',
      });
    start += p.weeks.min;
  });
  return {
    width: 'container',
    height: Math.max(60, estimate.phases.length * 28),
    title: 'Timeline (weeks)',
    description: 'Timeline: each phase from its earliest start, shortest and longest duration',
    config: { view: { stroke: null }, axis: { labelLimit: 220 } },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'phase', type: 'nominal', title: null, sort: { field: 'rank', order: 'ascending' } },
      x: { field: 'from', type: 'quantitative', title: 'Weeks from the start' },
      x2: { field: 'to' },
      color: {
        field: 'part',
        type: 'nominal',
        title: null,
        scale: { domain: ['Shortest', 'Up to longest'], range: ['#1f5fa8', '#a9c4e6'] },
        legend: { orient: 'bottom' },
      },
    },
  };
}
