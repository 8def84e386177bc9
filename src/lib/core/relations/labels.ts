import type { AuditDocument } from '../model/audit';

/**
 * How datasets are named to a reader: by file name, never by id. Two files
 * with the same name (a `customers.csv` from each of two systems) read
 * `customers.csv` and `customers.csv (2)`, numbered in the order they were
 * loaded, so findings and the diagram never confuse them.
 */
export function datasetLabels(audit: Pick<AuditDocument, 'datasets'>): Record<string, string> {
  const labels: Record<string, string> = {};
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  for (const dataset of audit.datasets) {
    const name = dataset.fileName;
    let n = seen.get(name) ?? 0;
    let label: string;
    // A later file may itself be called "customers.csv (2)": skip numbers already read as a name.
    do {
      n += 1;
      label = n === 1 ? name : `${name} (${n})`;
    } while (taken.has(label));
    seen.set(name, n);
    taken.add(label);
    labels[dataset.id] = label;
  }
  return labels;
}
