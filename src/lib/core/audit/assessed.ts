import { primaryDataset } from './edits';
import type { AuditDocument } from '../model/audit';
import { sourceWords } from '../model/dataset-source';

type DatasetChoice = Pick<AuditDocument, 'datasets' | 'primaryDatasetId'>;

/**
 * That the audit's other files are profiled but not assessed, naming them, or
 * undefined when the assessed file is the only one.
 */
export function otherDatasetsNote(audit: DatasetChoice): string | undefined {
  const assessed = primaryDataset(audit);
  const others = audit.datasets.filter((d) => d.id !== assessed?.id).map(sourceWords);
  if (!assessed || others.length === 0) return undefined;
  if (others.length === 1) return `The other file, ${others[0]!}, is profiled, not assessed.`;
  const names = `${others.slice(0, -1).join(', ')} and ${others.at(-1)!}`;
  return `The other ${others.length} files, ${names}, are profiled, not assessed.`;
}

/**
 * The file the readiness checks ran on, as every report names it after
 * "Assessed dataset:": `churn.csv`, and the other files when there are some
 * (`churn.csv. The other file, crm.csv, is profiled, not assessed.`).
 */
export function assessedDatasetText(audit: DatasetChoice): string {
  const assessed = primaryDataset(audit);
  if (!assessed) return 'none yet.';
  const others = otherDatasetsNote(audit);
  const name = sourceWords(assessed);
  return others ? `${name}. ${others}` : `${name}.`;
}
