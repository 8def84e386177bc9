import type { JoinPath, RelationLink } from '../model/relations';

/**
 * How each dataset reaches the label's table through accepted relations: the
 * shortest chain of datasets, found breadth first. A relation is walked both
 * ways: a child is aggregated onto its parent, and a parent is looked up from
 * its child (one row each), so `tickets → customers ← subscriptions` lets
 * tickets reach a label held in subscriptions. Ties go to the dataset listed
 * first, so paths are stable from run to run.
 */
export function joinPaths(
  datasetIds: readonly string[],
  labelDataset: string | undefined,
  accepted: readonly RelationLink[],
): JoinPath[] {
  if (labelDataset === undefined || !datasetIds.includes(labelDataset)) return [];
  const known = new Set(datasetIds);
  const neighbours = new Map<string, string[]>(datasetIds.map((id) => [id, []]));
  for (const link of accepted) {
    const a = link.child.dataset;
    const b = link.parent.dataset;
    if (a === b || !known.has(a) || !known.has(b)) continue;
    neighbours.get(a)!.push(b);
    neighbours.get(b)!.push(a);
  }
  const order = new Map(datasetIds.map((id, i) => [id, i]));
  for (const list of neighbours.values()) list.sort((x, y) => order.get(x)! - order.get(y)!);

  // Breadth first from the label's table: each dataset's step towards it.
  const towards = new Map<string, string | null>([[labelDataset, null]]);
  const queue = [labelDataset];
  for (let i = 0; i < queue.length; i++) {
    const here = queue[i]!;
    for (const next of neighbours.get(here)!) {
      if (towards.has(next)) continue;
      towards.set(next, here);
      queue.push(next);
    }
  }
  return datasetIds.map((dataset) => {
    if (!towards.has(dataset)) return { dataset, path: [] };
    const path: string[] = [];
    for (let at: string | null = dataset; at !== null; at = towards.get(at) ?? null) path.push(at);
    return { dataset, path };
  });
}

/** Whether a dataset reaches the label's table (the label's table reaches itself). */
export function reachesLabel(paths: readonly JoinPath[], datasetId: string): boolean {
  return (paths.find((p) => p.dataset === datasetId)?.path.length ?? 0) > 0;
}
