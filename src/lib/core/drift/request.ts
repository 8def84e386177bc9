import { withDerivedVerdict, withReplacedFindings } from '../audit/edits';
import type { AuditDocument, ColumnRoles } from '../model/audit';
import { personalColumns } from '../redact/redact';
import { canonicalLabel } from '../sql/readiness-common';
import { isNumericDriftType, type DriftSide } from '../sql/drift';
import type { DriftThresholds } from '../thresholds';
import type { DriftColumnInput, DriftInput } from './compare';
import type { HistoryInput } from './history';
import type {
  DriftComparison,
  DriftHistory,
  DriftMethod,
  DriftReport,
  MonitoringContract,
} from '../model/drift';
import type { Finding } from '../model/audit';

/** What the user asked to compare. */
export interface DriftRequest {
  kind: DriftComparison['kind'];
  /** The dataset whose roles apply; the current side (or the one split). */
  currentDatasetId: string;
  /** `datasets`: the reference dataset. */
  referenceDatasetId?: string;
  /** `date-split`: rows before this ISO date are the reference. */
  splitAt?: string;
  /** `date-split`: the time column (default: the event-time role); `source-split`: the source column (default: the source role). */
  splitColumn?: string;
  /** `source-split`: source values forming the reference; every other row is current. */
  referenceValues?: readonly string[];
  methods?: Readonly<Record<string, DriftMethod>>;
  /** `datasets`: allow the reference to be the current dataset (a contract from one extract). */
  allowSelf?: boolean;
}

/** A request that cannot run; the message is for the user. */
export class DriftRequestError extends Error {
  override readonly name = 'DriftRequestError';
}

/** Columns compared for drift: every column except the ID, time and excluded roles (the label is compared apart). */
export function driftColumns(
  audit: AuditDocument,
  datasetId: string,
  roles: ColumnRoles,
): DriftColumnInput[] {
  const dataset = audit.datasets.find((d) => d.id === datasetId);
  if (!dataset) return [];
  const profile = audit.profiles[datasetId];
  const personal = new Set(
    personalColumns(audit)
      .filter((p) => p.datasetId === datasetId)
      .map((p) => p.column),
  );
  const left = new Set(
    [roles.id, roles.eventTime, roles.outcomeTime, roles.target, ...roles.excluded].filter(
      (c): c is string => c !== undefined,
    ),
  );
  return dataset.columns
    .filter((c) => !left.has(c.name))
    .map((c) => {
      const family = profile?.columns.find((p) => p.name === c.name)?.family;
      return {
        name: c.name,
        type: c.type,
        ...(family ? { family } : {}),
        ...(personal.has(c.name) ? { personal: true } : {}),
      };
    });
}

function rolesFor(audit: AuditDocument, datasetId: string): ColumnRoles {
  return audit.roles[datasetId] ?? { segments: [], excluded: [] };
}

/**
 * The comparison the engine runs for a request: sides, columns, label and
 * segments from the current dataset's roles, thresholds from the audit.
 * `tables` maps loaded dataset ids to DuckDB tables.
 */
export function driftInputFor(
  audit: AuditDocument,
  request: DriftRequest,
  tables: Readonly<Record<string, string>>,
  computedAt?: string,
): DriftInput {
  const current = audit.datasets.find((d) => d.id === request.currentDatasetId);
  const currentTable = tables[request.currentDatasetId];
  if (!current || !currentTable) throw new DriftRequestError('Load the current dataset first.');
  const roles = rolesFor(audit, current.id);
  const typeOf = (column: string): string | undefined => current.columns.find((c) => c.name === column)?.type;
  let reference: DriftSide;
  let currentSide: DriftSide;
  let comparison: DriftComparison;
  if (request.kind === 'datasets') {
    const ref = audit.datasets.find((d) => d.id === request.referenceDatasetId);
    const refTable = request.referenceDatasetId ? tables[request.referenceDatasetId] : undefined;
    if (!ref || !refTable) throw new DriftRequestError('Load the reference dataset first.');
    // A dataset against itself is allowed on purpose: it is how a contract is written from one extract.
    if (ref.id === current.id && !request.allowSelf)
      throw new DriftRequestError('Pick two different datasets.');
    reference = { table: refTable };
    currentSide = { table: currentTable };
    comparison = {
      kind: 'datasets',
      referenceDatasetId: ref.id,
      currentDatasetId: current.id,
      referenceLabel: ref.fileName,
      currentLabel: current.fileName,
    };
  } else if (request.kind === 'date-split') {
    const column = request.splitColumn ?? roles.eventTime;
    const date = request.splitAt;
    if (!column || !typeOf(column)) throw new DriftRequestError('Choose the time column to split on.');
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new DriftRequestError('Give the split date as YYYY-MM-DD.');
    const time = { column, type: typeOf(column)! };
    reference = { table: currentTable, filter: { kind: 'before', time, date } };
    currentSide = { table: currentTable, filter: { kind: 'from', time, date } };
    comparison = {
      kind: 'date-split',
      referenceDatasetId: current.id,
      currentDatasetId: current.id,
      referenceLabel: `${column} before ${date}`,
      currentLabel: `${column} from ${date}`,
      splitColumn: column,
      splitAt: date,
    };
  } else {
    const column = request.splitColumn ?? roles.source;
    const values = [...(request.referenceValues ?? [])];
    if (!column || !typeOf(column)) throw new DriftRequestError('Choose the source column to split on.');
    if (values.length === 0)
      throw new DriftRequestError('Choose at least one source value as the reference.');
    reference = { table: currentTable, filter: { kind: 'in', column, values } };
    currentSide = { table: currentTable, filter: { kind: 'not-in', column, values } };
    comparison = {
      kind: 'source-split',
      referenceDatasetId: current.id,
      currentDatasetId: current.id,
      referenceLabel: `${column} in ${values.join(', ')}`,
      currentLabel: `other ${column} values`,
      splitColumn: column,
      referenceValues: values,
    };
  }
  const splitOn = comparison.splitColumn;
  let columns = driftColumns(audit, current.id, roles).filter((c) => c.name !== splitOn);
  const oneSided: { name: string; side: 'reference' | 'current' }[] = [];
  const referenceDataset = audit.datasets.find((d) => d.id === comparison.referenceDatasetId);
  if (request.kind === 'datasets' && referenceDataset && referenceDataset.id !== current.id) {
    const refTypes = new Map(referenceDataset.columns.map((c) => [c.name, c.type]));
    for (const c of columns) if (!refTypes.has(c.name)) oneSided.push({ name: c.name, side: 'current' });
    const left = new Set([roles.id, roles.eventTime, roles.outcomeTime, roles.target, ...roles.excluded]);
    for (const c of referenceDataset.columns)
      if (!current.columns.some((x) => x.name === c.name) && !left.has(c.name))
        oneSided.push({ name: c.name, side: 'reference' });
    columns = columns
      .filter((c) => refTypes.has(c.name))
      // A number on one side and text on the other is compared as text on both.
      .map((c) =>
        isNumericDriftType(c.type) === isNumericDriftType(refTypes.get(c.name)!)
          ? c
          : { ...c, type: 'VARCHAR', family: c.family === 'text' ? 'text' : 'categorical' },
      );
  }
  const positive = audit.context.positiveClass ? canonicalLabel(audit.context.positiveClass) : null;
  const segments = [...roles.segments, ...(roles.source && roles.source !== splitOn ? [roles.source] : [])];
  return {
    reference,
    current: currentSide,
    comparison,
    columns,
    ...(roles.target &&
    audit.context.task !== 'regression' &&
    (!referenceDataset || referenceDataset.columns.some((c) => c.name === roles.target))
      ? { label: { column: roles.target, ...(positive ? { positive } : {}) } }
      : {}),
    segments: segments.filter((s) => columns.some((c) => c.name === s)),
    ...(oneSided.length ? { oneSided } : {}),
    thresholds: (audit.drift?.thresholds ?? {}) as Partial<DriftThresholds>,
    ...(request.methods ? { methods: request.methods } : {}),
    ...(computedAt ? { computedAt } : {}),
  };
}

/** The history run for a dataset with an event time, or null without one. */
export function historyInputFor(
  audit: AuditDocument,
  datasetId: string,
  tables: Readonly<Record<string, string>>,
): HistoryInput | null {
  const dataset = audit.datasets.find((d) => d.id === datasetId);
  const table = tables[datasetId];
  const roles = rolesFor(audit, datasetId);
  const type = dataset?.columns.find((c) => c.name === roles.eventTime)?.type;
  if (!dataset || !table || !roles.eventTime || !type) return null;
  return {
    side: { table },
    time: { column: roles.eventTime, type },
    columns: driftColumns(audit, datasetId, roles),
    ...(roles.target && audit.context.task !== 'regression' ? { label: roles.target } : {}),
    thresholds: (audit.drift?.thresholds ?? {}) as Partial<DriftThresholds>,
  };
}

/**
 * Store drift results in the audit: the report, the history, the contract,
 * and the history findings (replacing earlier ones), then re-derive the verdict.
 */
export function withDriftResults(
  audit: AuditDocument,
  results: {
    report?: DriftReport;
    history?: DriftHistory;
    contract?: MonitoringContract;
    findings?: Finding[];
  },
): AuditDocument {
  const drift = {
    ...audit.drift,
    ...(results.report ? { report: results.report } : {}),
    ...(results.history ? { history: results.history } : {}),
    ...(results.contract ? { contract: results.contract } : {}),
  };
  if (!results.findings) return withDerivedVerdict({ ...audit, drift });
  return withReplacedFindings({ ...audit, drift }, (f) => f.check === 'drift-history', results.findings);
}

/** Save per-audit drift threshold overrides (merged over the defaults when drift runs). */
export function withDriftThresholds(
  audit: AuditDocument,
  overrides: Partial<DriftThresholds>,
): AuditDocument {
  const clean = Object.fromEntries(
    Object.entries(overrides).filter(
      (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]),
    ),
  );
  return { ...audit, drift: { ...audit.drift, thresholds: clean } };
}
