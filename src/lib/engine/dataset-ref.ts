import { datasetFingerprint } from '../core/model/document';
import type { DatasetRef } from '../core/model/audit';
import type { LoadedDataset } from './load-dataset';

/**
 * A table read in place on a database server, not loaded from a file: the
 * document names the server's engine as the dataset's format.
 */
export interface ServerTable {
  readonly server: Extract<DatasetRef['format'], 'clickhouse'>;
}

/** The saved description of a loaded file or server table. The same file loaded again keeps its id. */
export function toDatasetRef(
  loaded: LoadedDataset & Partial<ServerTable>,
  existing: DatasetRef[],
): DatasetRef {
  const fingerprint = datasetFingerprint(loaded);
  const same = existing.find(
    (d) =>
      d.fingerprint === fingerprint || (d.fileName === loaded.fileName && d.sizeBytes === loaded.sizeBytes),
  );
  return {
    id: same?.id ?? crypto.randomUUID(),
    fileName: loaded.fileName,
    format: loaded.server ?? loaded.format,
    sizeBytes: loaded.sizeBytes,
    lastModified: loaded.lastModified,
    rowCount: loaded.rowCount,
    columns: loaded.columns,
    fingerprint,
    ...(loaded.sha256 === undefined ? {} : { sha256: loaded.sha256 }),
    loadedAt: new Date().toISOString(),
    warnings: loaded.warnings,
    ...(loaded.sheet === undefined ? {} : { sheet: loaded.sheet }),
    ...(loaded.csvDialect === undefined ? {} : { csvDialect: loaded.csvDialect }),
  };
}
