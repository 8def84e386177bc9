import { datasetFingerprint } from '../core/model/document';
import type { DatasetRef } from '../core/model/audit';
import type { LoadedDataset } from './load-dataset';

/** The saved description of a loaded file or server table. The same file loaded again keeps its id. */
export function toDatasetRef(loaded: LoadedDataset, existing: DatasetRef[]): DatasetRef {
  const fingerprint = datasetFingerprint(loaded);
  // `db.t` on two servers are two datasets, though their names, sizes (none) and fingerprints agree.
  const sameServer = (d: DatasetRef) =>
    d.server?.host === loaded.server?.host && d.server?.port === loaded.server?.port;
  const same = existing.find(
    (d) =>
      sameServer(d) &&
      (d.fingerprint === fingerprint || (d.fileName === loaded.fileName && d.sizeBytes === loaded.sizeBytes)),
  );
  return {
    id: same?.id ?? crypto.randomUUID(),
    fileName: loaded.fileName,
    format: loaded.format,
    sizeBytes: loaded.sizeBytes,
    lastModified: loaded.lastModified,
    rowCount: loaded.rowCount,
    columns: loaded.columns,
    fingerprint,
    ...(loaded.sha256 === undefined ? {} : { sha256: loaded.sha256 }),
    loadedAt: new Date().toISOString(),
    warnings: loaded.warnings,
    ...(loaded.sheet === undefined ? {} : { sheet: loaded.sheet }),
    ...(loaded.server === undefined ? {} : { server: loaded.server }),
    ...(loaded.csvDialect === undefined ? {} : { csvDialect: loaded.csvDialect }),
  };
}
