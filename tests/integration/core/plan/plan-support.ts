import type { Connector } from '../../../../src/lib/engine/connector';
import type { ColumnRoles, ColumnSchema, ProjectContext } from '../../../../src/lib/core/model/audit';
import { resolveSetup, setupQueries } from '../../../../src/lib/core/readiness/setup';
import type { QueryResults, ReadinessSetup } from '../../../../src/lib/core/readiness/types';

/** The readiness setup of a loaded table, resolved on the real engine (the plan builds on it). */
export async function setupFor(
  conn: Connector,
  tableName: string,
  columns: ColumnSchema[],
  roles: Partial<ColumnRoles>,
  context: Partial<ProjectContext> = {},
): Promise<ReadinessSetup> {
  const input = {
    tableName,
    datasetId: 'ds',
    columns,
    roles: { segments: [], excluded: [], ...roles },
    context: {
      decision: '',
      task: 'binary' as const,
      targetDefinition: '',
      positiveClass: '',
      predictionPoint: '',
      asOf: '2026-11-01',
      ...context,
    },
  };
  const results: QueryResults = {};
  for (const [key, sql] of Object.entries(setupQueries(input))) results[key] = await conn.query(sql);
  return resolveSetup(input, results);
}
