import {
  isBooleanType,
  isCategorical,
  isIntegerType,
  isNumericType,
  isTemporalType,
  isTextType,
} from '../sql/types';
import { roleColumns } from './roles';
import type { ColumnSchema, DatasetProfile } from '../model/audit';
import {
  type LabelRef,
  type LabelSpelling,
  type ReadinessSqlContext,
  type TimePeriodPart,
  type TimeRef,
  canonicalLabel,
  defaultTimeEncoding,
  fusedOneRowQuery,
  fusedPart,
  periodPartCandidates,
} from '../sql/readiness-common';
import { earlyDatesQuery, timeFactsAggregate } from '../sql/readiness-time';
import { isolatedEarlyDates, validateTimeRole } from './time-encoding';
import {
  EXACT_DISTINCT_MAX_ROWS,
  columnFactsQuery,
  labelSpellingsQuery,
  numericTargetQuery,
} from '../sql/readiness-setup';
import { count, first, toNumber, toText } from './findings';
import { structureStage } from './structure';
import { resolveReadinessThresholds, type ReadinessThresholds } from '../thresholds';
import type { Stage } from '../pipeline/stage';
import type {
  CheckDefinition,
  ClassFacts,
  ColumnFacts,
  LabelFacts,
  QueryResults,
  ReadinessFamily,
  ReadinessInput,
  ReadinessSetup,
  SetupStage,
} from './types';

/** The setup reads at most this many target spellings. */
const LABEL_SPELLINGS_LIMIT = 1000;

const ID_NAME = /(^|[^a-z])(id|uuid|guid|key|code|number|no|nr)$|_id$|Id$|ID$/i;

/**
 * The statements `resolveSetup` needs: column facts (skipped when a profile
 * supplies them) and the target's spellings.
 */
export function setupQueries(input: ReadinessInput, rowsHint?: number): Record<string, string> {
  const queries: Record<string, string> = {};
  if (!factsFromProfile(input)) {
    const approximate = (rowsHint ?? input.profile?.rows ?? 0) > EXACT_DISTINCT_MAX_ROWS;
    queries.facts = columnFactsQuery(input.tableName, input.columns, approximate);
  }
  const target = input.roles.target;
  const targetColumn = target ? input.columns.find((c) => c.name === target) : undefined;
  if (targetColumn) {
    queries.labels =
      input.context.task === 'regression'
        ? numericTargetQuery(input.tableName, targetColumn.name)
        : labelSpellingsQuery(input.tableName, targetColumn.name, LABEL_SPELLINGS_LIMIT);
  }
  return queries;
}

/** What the setup knows of a column before any check runs. */
interface KnownFacts {
  nonNull: number;
  distinct: number;
  dateLike: number;
  /** Whether `distinct` was counted exactly. */
  exactDistinct: boolean;
  /** Smallest and largest value of an integer column. */
  lo?: number;
  hi?: number;
}

/** Column facts from the profile, when one is given and covers every column. */
function factsFromProfile(
  input: ReadinessInput,
): { rows: number; columns: Map<string, KnownFacts> } | undefined {
  const profile: DatasetProfile | undefined = input.profile;
  if (!profile || profile.sample.sampled) return undefined;
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  if (!input.columns.every((c) => byName.has(c.name))) return undefined;
  const columns = new Map<string, KnownFacts>();
  for (const c of input.columns) {
    const p = byName.get(c.name)!;
    columns.set(c.name, {
      nonNull: p.count,
      distinct: p.distinct.value,
      dateLike: p.text?.dateLike ?? 0,
      exactDistinct: !p.distinct.approximate,
      ...optionalRange(p.numeric?.min, p.numeric?.max),
    });
  }
  return { rows: profile.rows, columns };
}

/** Classify a column from its type and counts. */
export function familyOf(
  column: ColumnSchema,
  nonNull: number,
  distinct: number,
  dateLike: number,
  t: ReadinessThresholds,
): ReadinessFamily {
  if (isBooleanType(column.type)) return 'boolean';
  if (isNumericType(column.type)) return 'numeric';
  if (isTemporalType(column.type)) return 'temporal';
  if (isTextType(column.type)) {
    if (nonNull > 0 && dateLike / nonNull >= t.dateLikeShare) return 'date-text';
    return isCategorical(column.type, distinct, nonNull, t) ? 'categorical' : 'text';
  }
  return 'other';
}

/**
 * Unique or near-unique text, an integer named like an ID, or a run of
 * consecutive integers (1..n from any start, every value once: max − min + 1
 * = distinct = count) whatever its name. A time-role column is time, not an
 * ID, and so is a run inside the calendar years `idLikeYearRange` (1950..2010
 * in a yearly series) unless its name says ID.
 */
export function isIdLike(
  column: ColumnSchema,
  facts: KnownFacts,
  t: ReadinessThresholds,
  timeRole = false,
): boolean {
  const { nonNull, distinct } = facts;
  if (nonNull < t.idLikeMinValues || timeRole) return false;
  const share = distinct / nonNull;
  if (isTextType(column.type)) return share >= t.idLikeDistinctShare;
  if (!isIntegerType(column.type)) return false;
  if (share >= t.idLikeNamedDistinctShare && ID_NAME.test(column.name)) return true;
  const { lo, hi } = facts;
  if (lo === undefined || hi === undefined || !facts.exactDistinct) return false;
  const consecutive = distinct === nonNull && hi - lo + 1 === nonNull;
  const [firstYear, lastYear] = t.idLikeYearRange;
  return consecutive && !(lo >= firstYear && hi <= lastYear);
}

function optionalRange(lo: unknown, hi: unknown): { lo?: number; hi?: number } {
  const a = toNumber(lo);
  const b = toNumber(hi);
  return a === null || b === null ? {} : { lo: a, hi: b };
}

/** Resolve the shared facts of a run from the setup queries' results. */
export function resolveSetup(input: ReadinessInput, results: QueryResults): ReadinessSetup {
  const thresholds = resolveReadinessThresholds(input.thresholds);
  const fromProfile = factsFromProfile(input);
  const factsRow = first(results.facts);
  const rows = fromProfile?.rows ?? count(factsRow.n);
  const timeRoles = new Set([input.roles.eventTime, input.roles.outcomeTime].filter((n) => !!n));
  const columns: ColumnFacts[] = input.columns.map((column, i) => {
    const known: KnownFacts = fromProfile?.columns.get(column.name) ?? {
      nonNull: count(factsRow[`nn_${i}`]),
      distinct: count(factsRow[`d_${i}`]),
      dateLike: count(factsRow[`dl_${i}`]),
      // Above this many rows the facts query may count distinct values approximately.
      exactDistinct: rows <= EXACT_DISTINCT_MAX_ROWS,
      ...optionalRange(factsRow[`lo_${i}`], factsRow[`hi_${i}`]),
    };
    const { nonNull, distinct } = known;
    const dateLikeCount = known.dateLike;
    return {
      name: column.name,
      type: column.type,
      family: familyOf(column, nonNull, distinct, dateLikeCount, thresholds),
      nonNull,
      distinct,
      dateLike: nonNull > 0 ? dateLikeCount / nonNull : 0,
      idLike: isIdLike(column, known, thresholds, timeRoles.has(column.name)),
    };
  });
  const byName = new Map(columns.map((c) => [c.name, c]));
  const { roles, context } = input;
  const missingRoleColumns = roleColumns(roles).filter((name) => !byName.has(name));
  const pick = (name: string | undefined): ColumnFacts | undefined => (name ? byName.get(name) : undefined);
  const target = pick(roles.target);
  const id = pick(roles.id);
  const source = pick(roles.source);
  const eventColumn = pick(roles.eventTime);
  const outcomeColumn = pick(roles.outcomeTime);
  const excluded = new Set(roles.excluded);
  const roleNames = new Set(
    [roles.target, roles.id, roles.eventTime, roles.outcomeTime].filter((n): n is string => !!n),
  );
  const features = columns.filter(
    (c) => !roleNames.has(c.name) && !excluded.has(c.name) && c.family !== 'other',
  );
  const segments = roles.segments
    .map((s) => byName.get(s))
    .filter((c): c is ColumnFacts => c !== undefined && !excluded.has(c.name));

  const timeRef = (c: ColumnFacts | undefined): TimeRef | undefined => {
    if (!c) return undefined;
    const encoding = defaultTimeEncoding(c.type);
    return { column: c.name, type: c.type, ...(encoding ? { encoding } : {}) };
  };
  const time = timeRef(eventColumn);
  const outcome = timeRef(outcomeColumn);
  const timeColumns: TimeRef[] = [];
  for (const ref of [time, outcome])
    if (ref && !timeColumns.some((r) => r.column === ref.column)) timeColumns.push(ref);
  for (const c of columns)
    if (
      (c.family === 'temporal' || c.family === 'date-text') &&
      !excluded.has(c.name) &&
      !timeColumns.some((r) => r.column === c.name)
    )
      timeColumns.push(timeRef(c)!);

  const label = target ? resolveLabel(input, target, results) : undefined;
  const labelRef: LabelRef | undefined = label
    ? {
        column: label.column,
        kind: label.kind,
        ...(label.positive !== undefined ? { positive: label.positive } : {}),
        ...(label.kind === 'classes' ? { spellings: spellingsOf(results) } : {}),
      }
    : undefined;
  const sql: ReadinessSqlContext = {
    table: input.tableName,
    asOf: context.asOf,
    ...(labelRef ? { label: labelRef } : {}),
    ...(time ? { time } : {}),
    ...(outcome ? { outcome } : {}),
    ...(source ? { source: source.name } : {}),
    ...(id ? { id: id.name } : {}),
  };
  return {
    input,
    thresholds,
    rows,
    columns,
    features,
    ...(target ? { target } : {}),
    ...(label ? { label } : {}),
    ...(id ? { id } : {}),
    ...(source ? { source } : {}),
    segments,
    ...(time ? { time } : {}),
    ...(outcome ? { outcome } : {}),
    timeColumns,
    sql,
    missingRoleColumns,
    unreadableTime: [],
    timeReadAs: {},
  };
}

/** The SQL context with the setup's current event and outcome time refs. */
function withTimeRefs(s: ReadinessSetup, validFrom?: string): ReadinessSqlContext {
  const { time: _time, outcome: _outcome, validFrom: _from, ...rest } = s.sql;
  return {
    ...rest,
    ...(s.time ? { time: s.time } : {}),
    ...(s.outcome ? { outcome: s.outcome } : {}),
    ...(validFrom ? { validFrom } : {}),
  };
}

/** Quarter or month columns that may be read with a time-role year column as one period. */
function periodPartsOf(s: ReadinessSetup, ref: TimeRef): TimePeriodPart[] {
  const isRole = ref.column === s.time?.column || ref.column === s.outcome?.column;
  return isRole ? periodPartCandidates(ref.column, s.input.columns) : [];
}

/**
 * Stage 1: how each time column is read (encoding) and its granularity. A
 * time-role column that cannot be read as time leaves the time checks and is
 * reported by the `time-role` check, never turned into a blocker.
 */
const timeFactsStage: SetupStage = {
  queries: (s): Record<string, string> =>
    s.timeColumns.length === 0
      ? {}
      : {
          time_facts: fusedOneRowQuery(
            s.timeColumns.map((ref) => timeFactsAggregate(s.input.tableName, ref, periodPartsOf(s, ref))),
          ),
        },
  feeds: readsTime,
  resolve(s, results) {
    const unreadable: ReadinessSetup['unreadableTime'] = [];
    const readAs: Record<string, string> = {};
    const refs = new Map<string, TimeRef>();
    s.timeColumns.forEach((ref, i) => {
      const check = validateTimeRole(
        { name: ref.column, type: ref.type },
        fusedPart(first(results.time_facts), i),
        s.thresholds,
        periodPartsOf(s, ref),
      );
      const isRole = ref.column === s.time?.column || ref.column === s.outcome?.column;
      if (!check.ok) {
        if (isRole)
          unreadable.push({
            column: ref.column,
            role: ref.column === s.time?.column ? 'event time' : 'outcome time',
            message: check.message,
          });
        // A date-looking column the checks found on their own is still inspected as text.
        if (!isRole) refs.set(ref.column, ref);
        return;
      }
      readAs[ref.column] = check.readAs;
      refs.set(ref.column, {
        ...ref,
        encoding: check.encoding,
        granularity: check.granularity,
        ...(check.period ? { period: check.period } : {}),
      });
    });
    const time = s.time ? refs.get(s.time.column) : undefined;
    const outcome = s.outcome ? refs.get(s.outcome.column) : undefined;
    const { time: _t, outcome: _o, ...rest } = s;
    const next: ReadinessSetup = {
      ...rest,
      ...(time ? { time } : {}),
      ...(outcome ? { outcome } : {}),
      timeColumns: s.timeColumns.map((r) => refs.get(r.column)).filter((r): r is TimeRef => r !== undefined),
      unreadableTime: unreadable,
      timeReadAs: readAs,
    };
    return { ...next, sql: withTimeRefs(next) };
  },
};

/**
 * Stage 2: where the event-time history starts. The context's "history
 * expected from" when set; otherwise the first day of the bulk when a few
 * dates sit isolated far before it (`isolatedEarlyDates`); otherwise no bound.
 */
const historyStage: SetupStage = {
  queries: (s): Record<string, string> =>
    s.time && !s.input.context.historyFrom
      ? { early: earlyDatesQuery(s.sql, s.time, { fenceIqr: s.thresholds.earlyDateFenceIqr }) }
      : {},
  feeds: readsTime,
  resolve(s, results) {
    const from = s.input.context.historyFrom;
    if (from) return { ...s, sql: withTimeRefs(s, from) };
    const early = s.time
      ? isolatedEarlyDates(results.early ?? [], s.thresholds.earlyDateMinGapDays)
      : undefined;
    const { earlyEventTimes: _e, ...rest } = s;
    return {
      ...rest,
      ...(early ? { earlyEventTimes: early } : {}),
      sql: withTimeRefs(s, early?.bulkStart),
    };
  },
};

/**
 * Checks that read a time column (they name a time role among what they depend on): a time
 * column's reading and history bounds come from the setup, so without them these cannot run.
 * Feature checks count too, as their features leave out the time roles.
 */
function readsTime(check: Pick<CheckDefinition, 'dependsOn'>): boolean {
  return check.dependsOn.includes('eventTime') || check.dependsOn.includes('outcomeTime');
}

/**
 * Which checks a setup stage (by its id in `setupStagesFor`) feeds: the first, the column
 * facts and label, feeds every check; the later ones what their `feeds` says.
 */
export function setupStageFeeds(
  stageId: string,
): (check: Pick<CheckDefinition, 'id' | 'dependsOn'>) => boolean {
  const later = /^setup-(\d+)$/.exec(stageId);
  const stage = later ? SETUP_STAGES[Number(later[1]) - 1] : undefined;
  return stage ? (check) => stage.feeds(check) : () => true;
}

/** The setup stages after `resolveSetup`, in order: run each one's queries, then resolve. */
export const SETUP_STAGES: readonly SetupStage[] = [timeFactsStage, historyStage, structureStage];

/** Raw spelling → canonical label, when the setup saw every spelling (none was cut by the query's limit). */
function spellingsOf(results: QueryResults): LabelSpelling[] | undefined {
  const rows = results.labels ?? [];
  if (rows.length >= LABEL_SPELLINGS_LIMIT) return undefined;
  const out: LabelSpelling[] = [];
  for (const row of rows) {
    const raw = toText(row.raw);
    if (raw !== null) out.push({ raw, label: toText(row.label) });
  }
  return out;
}

function resolveLabel(input: ReadinessInput, target: ColumnFacts, results: QueryResults): LabelFacts {
  const task = input.context.task;
  const rows = results.labels ?? [];
  if (task === 'regression') {
    const r = first(rows);
    const labelled = count(r.numeric);
    return {
      column: target.name,
      task,
      kind: 'numeric',
      classes: [],
      labelled,
      missing: count(r.n) - labelled,
    };
  }
  const classes = new Map<string, ClassFacts>();
  let missing = 0;
  for (const row of rows) {
    const label = toText(row.label);
    const raw = toText(row.raw);
    const n = count(row.rows);
    if (label === null) {
      missing += n;
      continue;
    }
    const c = classes.get(label) ?? { label, display: raw ?? label, rows: 0, spellings: [] };
    c.rows += n;
    c.spellings.push({ raw, rows: n });
    classes.set(label, c);
  }
  const list = [...classes.values()].map((c) => {
    c.spellings.sort((a, b) => b.rows - a.rows);
    c.display = c.spellings[0]?.raw ?? c.label;
    return c;
  });
  list.sort((a, b) => b.rows - a.rows || a.label.localeCompare(b.label));
  const labelled = list.reduce((a, c) => a + c.rows, 0);
  const minority = list[list.length - 1];
  let positive: ClassFacts | undefined = minority;
  let positiveNotFound: string | undefined;
  const wanted = input.context.positiveClass.trim() === '' ? undefined : input.context.positiveClass;
  if (task === 'binary' && wanted !== undefined) {
    const canonical = canonicalLabel(wanted);
    const match = list.find((c) => c.label === canonical || c.spellings.some((s) => s.raw === wanted));
    if (match) positive = match;
    else positiveNotFound = wanted;
  }
  return {
    column: target.name,
    task,
    kind: 'classes',
    classes: list,
    labelled,
    missing,
    ...(positive ? { positive: positive.label, positiveDisplay: positive.display } : {}),
    ...(positiveNotFound !== undefined ? { positiveNotFound } : {}),
    ...(minority ? { minority } : {}),
  };
}

/**
 * Every setup stage (`setupQueries`/`resolveSetup`, then `SETUP_STAGES`: time
 * encodings, history bounds, structure) for an analysis whose state carries
 * a setup: the readiness checks', and the metric plan's and feasibility's
 * when they start from a readiness input. Without the later stages a year
 * column is read as no time at all, and a time split finds no rows.
 */
export function setupStagesFor<S extends { setup?: ReadinessSetup }>(
  input: ReadinessInput | ((state: S) => ReadinessInput | undefined),
  label: string,
): Stage<S>[] {
  const inputOf = (state: S) => (typeof input === 'function' ? input(state) : input);
  const setupOf = (state: S): ReadinessSetup => {
    if (!state.setup) throw new Error('The readiness setup stage has not run.');
    return state.setup;
  };
  const first: Stage<S> = {
    id: 'setup',
    label,
    applies: (state) => inputOf(state) !== undefined,
    queries: (state) => setupQueries(inputOf(state)!),
    resolve: (state, results) => ({ ...state, setup: resolveSetup(inputOf(state)!, results) }),
  };
  const later = SETUP_STAGES.map((stage, i): Stage<S> => ({
    id: `setup-${i + 1}`,
    label,
    applies: (state) => inputOf(state) !== undefined,
    queries: (state) => stage.queries(setupOf(state)),
    resolve: (state, results) => ({ ...state, setup: stage.resolve(setupOf(state), results) }),
  }));
  return [first, ...later];
}
