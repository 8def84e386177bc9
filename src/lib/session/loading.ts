import type { AuditDocument, DatasetRef } from '../core/model/audit';
import { dropTableQuery } from '../core/sql/table';
import type { DataSource } from '../engine/connector';
import { toDatasetRef } from '../engine/dataset-ref';
import { loadDataset, type LoadedDataset, type LoadOptions, type LoadProgress } from '../engine/load-dataset';
import { withDataset } from '../core/audit/edits';
import { LoadError, errorText } from '../engine/errors';
import type { TaskContext } from './task-queue';
import type { SessionEngine, SessionLoadOptions, SessionNotice } from './types';

/** What the progress line says at each stage of a load. */
export const LOAD_STAGE_LABEL: Record<LoadProgress['stage'], string> = {
  reading: 'Reading file',
  decoding: 'Decoding',
  loading: 'Loading into DuckDB',
  finishing: 'Checking columns',
};

/**
 * A workbook chosen again for a dataset already in the audit (a saved audit
 * reopened, its data re-attached) is read from the sheet the audit was made
 * on, not the default (largest) one. A sheet the caller names wins.
 */
export function reattachedSheet(
  audit: AuditDocument,
  source: DataSource,
  options: SessionLoadOptions,
  tables: ReadonlyMap<string, LoadedDataset>,
): { sheet?: string } {
  if (options.sheet !== undefined) return {};
  const same = audit.datasets.filter(
    (d) => d.sheet !== undefined && d.fileName === source.name && d.sizeBytes === source.size,
  );
  const dataset = same.find((d) => !tables.has(d.id)) ?? same[0];
  return dataset?.sheet === undefined ? {} : { sheet: dataset.sheet };
}

/**
 * Load one file into a new table, through the engine's own loader when it has
 * one (native DuckDB reads Parquet folders and JSON itself), else the shared
 * loader; the dataset it becomes in `audit` (the same id when the file was
 * loaded before), and the earlier table of that dataset dropped.
 */
export async function loadIntoTable(
  engine: SessionEngine,
  source: DataSource,
  audit: AuditDocument,
  tables: ReadonlyMap<string, LoadedDataset>,
  options: LoadOptions,
): Promise<{ loaded: LoadedDataset; ref: DatasetRef }> {
  const loaded = engine.load
    ? await engine.load(source, options)
    : await loadDataset(engine.connector, engine.decoders, source, options);
  performance.measure(`sz:load:${source.name}`, {
    start: performance.now() - loaded.loadMs,
    end: performance.now(),
  });
  const ref = toDatasetRef(loaded, audit.datasets);
  const previous = tables.get(ref.id);
  if (previous && previous.tableName !== loaded.tableName)
    await engine.connector.exec(dropTableQuery(previous.tableName));
  return { loaded, ref };
}

/** The session's registry of loaded data, which a load fills. */
export interface LoadRegistry {
  tables: Map<string, LoadedDataset>;
  sources: Map<string, DataSource>;
}

/** What a load tells the session as it goes. */
export interface LoadListeners {
  tablesChanged: () => void;
  notice: (notice: SessionNotice) => void;
  failed: (name: string, message: string, error: unknown) => void;
}

/**
 * Load each source into its own table, one after the other, registering each
 * as it lands and attaching its dataset to a copy of `audit`. A failed file is
 * reported and the others still load; cancelling stops before the next file.
 * Returns the copy with every loaded dataset, and their ids.
 */
export async function loadSources(
  engine: SessionEngine,
  sources: readonly DataSource[],
  audit: AuditDocument,
  registry: LoadRegistry,
  options: SessionLoadOptions,
  task: TaskContext,
  listeners: LoadListeners,
): Promise<{ audit: AuditDocument; loaded: string[] }> {
  const loadedIds: string[] = [];
  let working = audit;
  for (const [index, source] of sources.entries()) {
    if (task.signal.aborted) break;
    task.relabel(`Loading ${source.name}${sources.length > 1 ? ` (${index + 1} of ${sources.length})` : ''}`);
    try {
      const { loaded, ref } = await loadIntoTable(engine, source, working, registry.tables, {
        ...options,
        ...reattachedSheet(working, source, options, registry.tables),
        signal: task.signal,
        onProgress: (p) => task.progress(LOAD_STAGE_LABEL[p.stage], p.fraction),
      });
      registry.tables.set(ref.id, loaded);
      registry.sources.set(ref.id, source);
      listeners.tablesChanged();
      working = withDataset(working, ref);
      for (const warning of loaded.warnings) listeners.notice({ kind: 'warning', text: warning });
      loadedIds.push(ref.id);
    } catch (error) {
      if (error instanceof LoadError && error.code === 'cancelled')
        listeners.notice({ kind: 'info', text: errorText(error) });
      else listeners.failed(source.name, errorText(error), error);
    }
  }
  return { audit: working, loaded: loadedIds };
}
