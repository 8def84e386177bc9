import type { Finding, Severity } from '../model/audit';
import type { FormatMismatchKind, JoinPath, RelationLink, RelationResult } from '../model/relations';
import type { RelationFindingKind } from '../readiness/check-ids';
import { findingId, plainRecord, round } from '../readiness/findings';
import { formatCount, formatList, formatNumber, formatShare } from '../format';
import { RELATION_THRESHOLDS, type RelationThresholds } from '../thresholds';
import { RELATION_CHECKS, RELATION_FINDING_DEFINITIONS } from './definitions';
import type { RelationExamples } from './types';

/**
 * The related-tables findings: what each accepted relation's measurements
 * mean for the model, judged as a senior data scientist would before raising
 * it with the client. Defects that silently lose or duplicate rows in a join
 * (duplicate parent keys, orphans, null keys, keys written differently) are
 * minor when rare and major from their threshold; rows dated after the
 * prediction time leak the future and can block; shape facts (fan-out,
 * parents without children) are information the feature pipeline must act
 * on, not defects of the data.
 */

/** What the findings need beside the measurements. */
export interface RelationFindingContext {
  /** Dataset display labels by id (`datasetLabels`). */
  labels: Readonly<Record<string, string>>;
  /** The label's table: the primary dataset. */
  labelDataset?: string;
  /** Join paths of the participating datasets (`joinPaths`). */
  paths: readonly JoinPath[];
  /** Rows of each participating dataset, by id. */
  rowsOf: Readonly<Record<string, number>>;
  /** Suggestions still waiting for a decision: an unreached table may just need one accepted. */
  suggestions?: readonly RelationLink[];
  thresholds?: Partial<RelationThresholds>;
}

type Evidence = Record<string, number | string | boolean | null>;

interface Spec {
  severity: Severity;
  datasetId: string;
  /** Distinguishes findings of one check on one dataset. */
  key: string;
  title: string;
  columns: string[];
  evidence: Evidence;
  recommendation: string;
  sql: string;
  details?: readonly Record<string, unknown>[];
}

function make(check: RelationFindingKind, spec: Spec): Finding {
  return {
    id: findingId(check, spec.datasetId, spec.key),
    check,
    area: RELATION_FINDING_DEFINITIONS[check].area,
    severity: spec.severity,
    title: spec.title,
    datasetId: spec.datasetId,
    columns: spec.columns,
    // Keys are held to the definition's labels by a test, not filtered here: a typo must fail, not vanish.
    evidence: Object.fromEntries(
      Object.entries(spec.evidence).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
    ),
    ...(spec.details?.length ? { details: spec.details.map(plainRecord) } : {}),
    sql: spec.sql,
    recommendation: spec.recommendation,
  };
}

/** `subscriptions.csv`, or the id when a label is missing (a dataset removed meanwhile). */
type Namer = (datasetId: string) => string;

const share = (count: number, total: number): number => (total > 0 ? count / total : 0);

/** `3.1 % of … (31 of 1,000)`: the share first, the counts behind it in brackets. */
const shareOf = (part: number, whole: number, of: string): string =>
  `${formatShare(share(part, whole))} of ${of} (${formatCount(part)} of ${formatCount(whole)})`;

/** The relation's part of a finding id: `customer_id>customers.id`, as the contract fixes it. */
export function relationKey(link: RelationLink): string {
  return `${link.child.column}>${link.parent.dataset}.${link.parent.column}`;
}

/**
 * The ids of the findings one relation can raise: one per check on the child
 * (`relationKey`), and the parent key's duplicates on the parent (shared by
 * every relation joining that key). Unreachable-table findings belong to no
 * relation.
 */
export function relationFindingIds(link: RelationLink): { own: string[]; parentKey: string } {
  const key = relationKey(link);
  return {
    own: Object.values(RELATION_CHECKS)
      .filter((c) => c !== RELATION_CHECKS.unreachable && c !== RELATION_CHECKS.duplicateKeys)
      .map((c) => findingId(c, link.child.dataset, key)),
    parentKey: findingId(RELATION_CHECKS.duplicateKeys, link.parent.dataset, link.parent.column),
  };
}

/** Whether a finding was raised on this relation (its parent key's duplicates included). */
export function isFindingOfRelation(f: Pick<Finding, 'id'>, link: RelationLink): boolean {
  const ids = relationFindingIds(link);
  return f.id === ids.parentKey || ids.own.includes(f.id);
}

function examplesOf(examples: readonly RelationExamples[], link: RelationLink): RelationExamples | undefined {
  return examples.find(
    (e) =>
      e.link.child.dataset === link.child.dataset &&
      e.link.child.column === link.child.column &&
      e.link.parent.dataset === link.parent.dataset &&
      e.link.parent.column === link.parent.column,
  );
}

/**
 * The findings of every accepted relation's measurements, then one per
 * dataset that can't reach the label's table. Duplicate parent keys are a
 * fact of the parent's key alone, so two relations sharing a parent key
 * raise them once.
 */
export function relationFindings(
  results: readonly RelationResult[],
  examples: readonly RelationExamples[],
  ctx: RelationFindingContext,
): Finding[] {
  const t: RelationThresholds = { ...RELATION_THRESHOLDS, ...ctx.thresholds };
  const name: Namer = (id) => ctx.labels[id] ?? id;
  const out: Finding[] = [];
  const parentKeysSeen = new Set<string>();
  for (const r of results) {
    const ex = examplesOf(examples, r);
    const parentKey = `${r.parent.dataset}\u0000${r.parent.column}`;
    if (!parentKeysSeen.has(parentKey)) {
      parentKeysSeen.add(parentKey);
      out.push(...optional(duplicateKeysFinding(r, ex, t, name, ctx.labelDataset)));
    }
    out.push(
      ...optional(orphansFinding(r, ex, t, name)),
      ...optional(nullKeysFinding(r, t, name)),
      ...optional(keyFormatFinding(r, ex, t, name)),
      ...optional(pointInTimeFinding(r, ex, t, name)),
      ...optional(childlessFinding(r, name)),
      fanoutFinding(r, name),
    );
  }
  out.push(...unreachableFindings(results, ctx, name));
  return out;
}

const optional = (f: Finding | undefined): Finding[] => (f ? [f] : []);

function ends(r: RelationLink, name: Namer): Evidence {
  return { child: name(r.child.dataset), parent: name(r.parent.dataset) };
}

function duplicateKeysFinding(
  r: RelationResult,
  ex: RelationExamples | undefined,
  t: RelationThresholds,
  name: Namer,
  labelDataset: string | undefined,
): Finding | undefined {
  if (r.duplicateParentKeys <= 0) return undefined;
  const P = name(r.parent.dataset);
  const col = r.parent.column;
  const s = share(r.duplicateParentKeys, r.parentKeys);
  // On the label's table a repeated key also labels one entity twice: the recommendation says so.
  const labelled = r.parent.dataset === labelDataset;
  return make(RELATION_CHECKS.duplicateKeys, {
    severity: s >= t.duplicateKeyMajorShare ? 'major' : 'minor',
    datasetId: r.parent.dataset,
    key: col,
    title: `${shareOf(r.duplicateParentKeys, r.parentKeys, `${P}’s ${col} keys`)} appear on more than one row: ${formatCount(r.duplicateParentRows)} rows carry them`,
    columns: [col],
    evidence: {
      ...ends(r, name),
      duplicateKeys: r.duplicateParentKeys,
      duplicateRows: r.duplicateParentRows,
      parentKeys: r.parentKeys,
      share: s,
    },
    recommendation:
      `Ask the source owner which row of a repeated ${col} is the current one (a snapshot date, a status flag) and make ${P} one row per ${col} before joining; until then every join to ${P} duplicates the rows joined to a repeated key` +
      (labelled ? `, and the same ${col} is labelled more than once in the label’s table.` : '.') +
      ' The repeated keys are in the details.',
    sql: r.sql,
    details: ex?.duplicateKeys,
  });
}

function orphansFinding(
  r: RelationResult,
  ex: RelationExamples | undefined,
  t: RelationThresholds,
  name: Namer,
): Finding | undefined {
  if (r.orphanKeys <= 0) return undefined;
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  const normalised = r.formatMismatch.keys;
  return make(RELATION_CHECKS.orphans, {
    severity: r.orphanKeyShare >= t.orphanMajorShare ? 'major' : 'minor',
    datasetId: r.child.dataset,
    key: relationKey(r),
    title: `${shareOf(r.orphanKeys, r.childKeys, `${C}’s ${r.child.column} keys`)} have no ${r.parent.column} in ${P}; they cover ${formatCount(r.orphanRows)} rows`,
    columns: [r.child.column],
    evidence: {
      ...ends(r, name),
      orphanKeys: r.orphanKeys,
      childKeys: r.childKeys,
      share: r.orphanKeyShare,
      orphanRows: r.orphanRows,
      childRows: r.childRows,
    },
    recommendation:
      (normalised > 0
        ? `${formatCount(normalised)} of these keys match once normalised (see the key-format finding): fix those first. `
        : '') +
      `Ask the source owner whether the missing parents were deleted, filtered out of the extract or arrive later, and re-extract ${P} to cover every ${r.child.column} ${C} uses; otherwise drop these rows knowingly, since an inner join drops them silently and a left join leaves them without ${P}’s columns. The orphan keys are in the details.`,
    sql: r.sql,
    details: ex?.orphanKeys,
  });
}

function nullKeysFinding(r: RelationResult, t: RelationThresholds, name: Namer): Finding | undefined {
  if (r.nullKeys <= 0) return undefined;
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  return make(RELATION_CHECKS.nullKeys, {
    severity: r.nullKeyShare >= t.nullKeyMajorShare ? 'major' : 'minor',
    datasetId: r.child.dataset,
    key: relationKey(r),
    title: `${shareOf(r.nullKeys, r.childRows, `${C}’s rows`)} have no ${r.child.column}, so they join no row of ${P}`,
    columns: [r.child.column],
    evidence: { ...ends(r, name), nullKeys: r.nullKeys, childRows: r.childRows, share: r.nullKeyShare },
    recommendation: `Ask how rows of ${C} without a ${r.child.column} arise (failed loads, anonymous activity, a key held in another column) and recover the key if another column carries it; otherwise they are lost to every feature built through ${P}, so say so in the scope.`,
    sql: r.sql,
  });
}

const FORMAT_PHRASES: Readonly<Record<FormatMismatchKind, string>> = {
  'leading-zeros': 'stripping leading zeros',
  case: 'ignoring case',
  whitespace: 'trimming spaces',
};

const FORMAT_WORDS: Readonly<Record<FormatMismatchKind, string>> = {
  'leading-zeros': 'leading zeros',
  case: 'case',
  whitespace: 'spaces',
};

function keyFormatFinding(
  r: RelationResult,
  ex: RelationExamples | undefined,
  t: RelationThresholds,
  name: Namer,
): Finding | undefined {
  const keys = r.formatMismatch.keys;
  if (keys <= 0) return undefined;
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  const s = share(keys, r.childKeys);
  const kinds = r.formatMismatch.kinds;
  const how = kinds.length ? formatList(kinds.map((k) => FORMAT_PHRASES[k])) : 'normalising them';
  return make(RELATION_CHECKS.keyFormat, {
    severity: s >= t.formatMismatchMajorShare ? 'major' : 'minor',
    datasetId: r.child.dataset,
    key: relationKey(r),
    title: `${shareOf(keys, r.childKeys, `${C}’s ${r.child.column} keys`)} match ${P}’s ${r.parent.column} only after ${how}`,
    columns: [r.child.column],
    evidence: {
      ...ends(r, name),
      mismatchedKeys: keys,
      childKeys: r.childKeys,
      share: s,
      kinds: JSON.stringify(kinds.map((k) => FORMAT_WORDS[k])),
      comparedAsText: r.comparedAsText,
    },
    recommendation: `Write both keys the same way before joining (${r.comparedAsText ? 'cast both to one type, ' : ''}trim, one case, no padding zeros), best at the source: an exact join drops these ${formatCount(keys)} keys without an error. Pairs of values that match are in the details.`,
    sql: r.sql,
    details: ex?.formatMismatches,
  });
}

function pointInTimeFinding(
  r: RelationResult,
  ex: RelationExamples | undefined,
  t: RelationThresholds,
  name: Namer,
): Finding | undefined {
  const pit = r.pointInTime;
  // No timed row: nothing was measured, and the Relations view says why; a finding would claim a check that did not happen.
  if (!pit || pit.timedRows <= 0) return undefined;
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  const after = pit.rowsAfterParentTime;
  const severity: Severity =
    pit.share >= t.pointInTimeBlockerShare
      ? 'blocker'
      : pit.share >= t.pointInTimeMajorShare
        ? 'major'
        : after > 0
          ? 'minor'
          : 'info';
  const evidence: Evidence = {
    ...ends(r, name),
    rowsAfter: after,
    timedRows: pit.timedRows,
    share: pit.share,
    parentTime: pit.parentTime,
    childTime: pit.childTime,
    majorAt: t.pointInTimeMajorShare,
    blockerAt: t.pointInTimeBlockerShare,
  };
  const asOf = `the as-of join that keeps only ${C}’s rows with ${pit.childTime} at or before ${P}’s ${pit.parentTime} (copyable SQL in the Relations view)`;
  // The clean case is worth one line: it is the leak nobody else checks, and the client should hear it was checked.
  if (after <= 0)
    return make(RELATION_CHECKS.pointInTime, {
      severity,
      datasetId: r.child.dataset,
      key: relationKey(r),
      title: `None of the ${formatCount(pit.timedRows)} rows of ${C} joined to ${P} has ${pit.childTime} after ${P}’s ${pit.parentTime}, the prediction time`,
      columns: [r.child.column, pit.childTime],
      evidence,
      recommendation: `Keep building features from ${C} with ${asOf}, so rows added after the extract never leak in.`,
      sql: r.sql,
    });
  return make(RELATION_CHECKS.pointInTime, {
    severity,
    datasetId: r.child.dataset,
    key: relationKey(r),
    title: `${shareOf(after, pit.timedRows, `${C}’s rows joined to ${P}`)} have ${pit.childTime} after ${P}’s ${pit.parentTime}, the prediction time: features built from them leak the future`,
    columns: [r.child.column, pit.childTime],
    evidence,
    recommendation: `Build every feature from ${C} with ${asOf}, never with a plain join. ${severity === 'blocker' ? `So many late rows suggest ${C} was extracted after the prediction time: ask the client when each extract was taken and whether ${C} keeps its history, or re-extract it as of ${pit.parentTime}.` : 'Ask the client whether these rows were backdated or corrected later, which would make their times unreliable too.'} Examples are in the details.`,
    sql: r.sql,
    details: ex?.afterParentTime,
  });
}

function childlessFinding(r: RelationResult, name: Namer): Finding | undefined {
  if (r.childlessParents <= 0) return undefined;
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  // Info: a customer with no ticket is usually a fact, not a defect; the pipeline must still encode it.
  return make(RELATION_CHECKS.childless, {
    severity: 'info',
    datasetId: r.child.dataset,
    key: relationKey(r),
    title: `${shareOf(r.childlessParents, r.parentKeys, `${P}’s ${r.parent.column} keys`)} have no row in ${C}`,
    columns: [r.child.column],
    evidence: {
      ...ends(r, name),
      childlessParents: r.childlessParents,
      parentKeys: r.parentKeys,
      share: r.childlessParentShare,
    },
    recommendation: `Features built from ${C} have no value for these: encode “none” explicitly (a zero count, a flag), not as missing, and check with the client that these truly have no ${C} rows rather than falling outside the extract.`,
    sql: r.sql,
  });
}

const CARDINALITY_WORDS: Readonly<Record<RelationResult['cardinality'], string>> = {
  '1:1': 'one to one',
  '1:n': 'one to many',
  'n:1': 'many to one',
  'n:m': 'many to many',
};

function fanoutFinding(r: RelationResult, name: Namer): Finding {
  const C = name(r.child.dataset);
  const P = name(r.parent.dataset);
  const f = r.fanout;
  // Folded in here rather than a finding of its own: a type difference that still joins is worth knowing, not fixing first.
  const asText = r.comparedAsText
    ? '; the key columns’ types differ, so their values were compared as text'
    : '';
  const growth =
    r.rowsAfterJoin === r.rowsBeforeJoin
      ? `a join keeps ${P}’s ${formatCount(r.rowsBeforeJoin)} rows`
      : `a plain join turns ${P}’s ${formatCount(r.rowsBeforeJoin)} rows into ${formatCount(r.rowsAfterJoin)}`;
  const title =
    f.mean === null
      ? `No row of ${C} joins ${P} on ${r.child.column} = ${r.parent.column}${asText}`
      : `${C} joins ${P} ${CARDINALITY_WORDS[r.cardinality]} (${r.cardinality}): ${formatNumber(f.mean, { digits: 1 })} rows per ${r.parent.column} on average (95th percentile ${formatNumber(f.p95, { digits: 1 })}, at most ${formatCount(f.max)}), and ${growth}${asText}`;
  const many = r.rowsAfterJoin > r.rowsBeforeJoin;
  return make(RELATION_CHECKS.fanout, {
    severity: 'info',
    datasetId: r.child.dataset,
    key: relationKey(r),
    title,
    columns: [r.child.column],
    evidence: {
      ...ends(r, name),
      cardinality: r.cardinality,
      fanoutMean: f.mean,
      fanoutP95: f.p95,
      fanoutMax: f.max,
      rowsBeforeJoin: r.rowsBeforeJoin,
      rowsAfterJoin: r.rowsAfterJoin,
      parentRows: r.parentRows,
    },
    recommendation: many
      ? `Aggregate ${C} to one row per ${r.parent.column} (counts, sums, latest values as of the prediction time) before joining it to ${P}, so each model row stays one entity and is counted once.`
      : f.mean === null
        ? `Check that ${r.child.column} really points at ${P}’s ${r.parent.column}; the orphan finding lists keys that found no parent.`
        : `${C} can be joined to ${P} directly: each ${r.parent.column} has at most one row.`,
    sql: r.sql,
  });
}

/**
 * A table that can't reach the label's table through accepted relations.
 * Raised only once the user (or discovery) has said something about how the
 * tables join: at least one accepted relation or pending suggestion. Before
 * that, every table but the label's would be "unreachable", which says
 * nothing; two unrelated extracts (a lookup, a second system) stay quiet.
 */
function unreachableFindings(
  results: readonly RelationResult[],
  ctx: RelationFindingContext,
  name: Namer,
): Finding[] {
  const label = ctx.labelDataset;
  if (label === undefined || !ctx.paths.some((p) => p.dataset === label)) return [];
  const suggestions = ctx.suggestions ?? [];
  const related = results.length > 0 || ctx.paths.some((p) => p.path.length > 1) || suggestions.length > 0;
  if (!related) return [];
  const L = name(label);
  return ctx.paths
    .filter((p) => p.path.length === 0 && p.dataset !== label)
    .map((p) => {
      const T = name(p.dataset);
      const pending = suggestions.some(
        (s) => s.child.dataset === p.dataset || s.parent.dataset === p.dataset,
      );
      return make(RELATION_CHECKS.unreachable, {
        severity: 'minor',
        datasetId: p.dataset,
        key: `to:${label}`,
        title: `${T} has no accepted relation leading to ${L}, the label’s table, so it cannot feed the model`,
        columns: [],
        evidence: { table: T, labelTable: L, rows: ctx.rowsOf[p.dataset] ?? null },
        recommendation: pending
          ? `A relation for ${T} is suggested: review and accept it in the Relations view (or name it with --relation on the command line).`
          : `Find the column that links ${T} to ${L} or to a table that reaches it, and name the relation in the Relations view (or with --relation on the command line); otherwise agree with the client that ${T} is out of scope.`,
        sql: '',
      });
    });
}
