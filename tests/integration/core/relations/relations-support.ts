import type { Connector } from '../../../../src/lib/engine/connector';
import type { ColumnRoles } from '../../../../src/lib/core/model/audit';
import type { RelationLink } from '../../../../src/lib/core/model/relations';
import {
  relationsAnalysis,
  relationsOutcome,
  type RelationTable,
  type RelationsInput,
  type RelationsOutcome,
} from '../../../../src/lib/core/relations/analysis';
import { QueryRunner } from '../../../../src/lib/session/query-runner';
import { loadBytes } from '../../../support/engine';

/** Load CSV text as a participating table, with its roles. */
export async function relationTable(
  conn: Connector,
  name: string,
  csv: string,
  roles: Partial<ColumnRoles> = {},
): Promise<RelationTable> {
  const loaded = await loadBytes(conn, name, csv);
  return {
    datasetId: name,
    label: name,
    tableName: loaded.tableName,
    columns: loaded.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: loaded.rowCount,
    roles: { segments: [], excluded: [], ...roles },
  };
}

/** A link by dataset id and column. */
export function link(child: string, childColumn: string, parent: string, parentColumn: string): RelationLink {
  return {
    child: { dataset: child, column: childColumn },
    parent: { dataset: parent, column: parentColumn },
  };
}

/** Run the analysis on the real engine and read its outcome. */
export async function runRelations(
  conn: Connector,
  input: Partial<RelationsInput> & Pick<RelationsInput, 'tables'>,
): Promise<RelationsOutcome> {
  const state = await new QueryRunner(conn).run(
    relationsAnalysis({ accepted: [], dismissed: [], discover: false, ...input }),
    {},
  );
  if (state.failures?.length) throw new Error(state.failures.map((f) => `${f.message}\n${f.sql}`).join('\n'));
  return relationsOutcome(state);
}
