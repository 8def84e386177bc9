import type { ColumnRoles, DatasetProfile } from '../model/audit';
import type { RelationLink, RelationResult, RelationSuggestion } from '../model/relations';
import type { Row } from '../pipeline/stage';

/**
 * The shapes shared by the relations analysis (SQL, measurements) and its
 * judgement (findings, document): one home so neither waits on the other.
 */

/** A loaded dataset taking part in the relation checks. */
export interface RelationTable {
  datasetId: string;
  label: string;
  tableName: string;
  columns: { name: string; type: string }[];
  profile?: DatasetProfile;
  rows: number;
  roles: ColumnRoles;
}

export interface RelationsInput {
  /** Participating datasets (`relationTables` decides which). */
  tables: RelationTable[];
  /** The primary dataset id (holds the target and the event time). */
  labelDataset?: string;
  accepted: RelationLink[];
  dismissed: RelationLink[];
  /** False: no suggestions (CLI --no-suggest). */
  discover: boolean;
}

/** Rows behind findings, keyed by real column names, at most RELATION_THRESHOLDS.examples each. */
export interface RelationExamples {
  link: RelationLink;
  /** { [parentColumn]: key, rows: n } */
  duplicateKeys: Row[];
  /** { [childColumn]: key, rows: n } */
  orphanKeys: Row[];
  /** { [childColumn]: childValue, [parentColumn]: parentValue }; same name: parent under `parent ${parentColumn}`. */
  formatMismatches: Row[];
  /** { [childColumn]: key, [childTime]: t, [parentTime]: t } */
  afterParentTime: Row[];
}

export interface RelationsOutcome {
  suggestions: RelationSuggestion[];
  results: RelationResult[];
  examples: RelationExamples[];
}
