import type { ColumnRoles, ProjectContext } from '../../src/lib/core/model/audit';
import type { ReadinessInput } from '../../src/lib/core/readiness/types';
import type { LoadedDataset } from '../../src/lib/engine/load-dataset';

/** A project context that says nothing but a binary task and the as-of date, `overrides` over it. */
export function projectContext(overrides: Partial<ProjectContext> = {}): ProjectContext {
  return {
    decision: '',
    task: 'binary',
    targetDefinition: '',
    positiveClass: '',
    predictionPoint: '',
    asOf: '2026-11-01',
    ...overrides,
  };
}

/** The readiness checks' input on a loaded table: its columns, `roles` over none, `projectContext(context)`. */
export function readinessInput(
  loaded: Pick<LoadedDataset, 'tableName' | 'columns'>,
  datasetId: string,
  roles: Partial<ColumnRoles> = {},
  context: Partial<ProjectContext> = {},
): ReadinessInput {
  return {
    tableName: loaded.tableName,
    datasetId,
    columns: loaded.columns,
    roles: { segments: [], excluded: [], ...roles },
    context: projectContext(context),
  };
}
