import type { Finding } from '../model/audit';
import { count, first, toNumber, toText } from '../readiness/findings';
import { setupStagesFor } from '../readiness/setup';
import type { QueryResults, ReadinessInput, ReadinessSetup, ResultRow } from '../readiness/types';
import type { Analysis, Statement } from '../pipeline/stage';
import {
  classSharesQuery,
  groupSplitQuery,
  lastValueBaselineQuery,
  planTotalsQuery,
  regressionBaselinesQuery,
  rowsPerPeriodQuery,
  timeSplitQuery,
} from '../sql/plan';
import { categoricalRuleBucketsQuery, numericRuleBucketsQuery } from '../sql/plan-rules';
import { PLAN_THRESHOLDS, THRESHOLDS } from '../thresholds';
import type { MetricPlan, PlanResults, RuleBucket, RuleSearch, SplitSummary } from '../model/plan';

/**
 * The data side of the metric plan: which statements to run for a readiness
 * setup and a plan, and how their small results become `PlanResults`. Pure:
 * the caller runs the SQL (the session, the CLI, the tests).
 */

export interface PlanComputeInput {
  setup: ReadinessSetup;
  /** The plan, when one exists: its value column and validation design shape the SQL. */
  plan?: MetricPlan;
  /** Current findings; columns of leakage findings are kept out of the rule search. */
  findings?: readonly Finding[];
  /** Columns marked as personal data (beside those the profile detects): never searched, so no value of theirs is shown. */
  personalColumns?: readonly string[];
  /** ISO timestamp, passed in so the module reads no clock. */
  computedAt: string;
}

/** A column searched for rules, or why it was not. */
interface FeatureChoice {
  searched: { column: string; kind: 'numeric' | 'categorical' }[];
  excluded: { column: string; reason: string }[];
}

/**
 * Leakage findings whose columns stay in the rule search: split duplicates name
 * every column of the duplicated rows, and none of those columns leaks the
 * label by itself; strong but plausible features are honest until shown
 * otherwise, and a baseline without them would be too easy to beat.
 */
const NOT_SUSPECT_LEAKAGE_CHECKS: ReadonlySet<string> = new Set([
  'leakage-split-duplicates',
  'leakage-strong-features',
  // A repeated entity asks for a grouped split; its grouping column and features leak nothing by themselves.
  'structure-groups',
]);

/**
 * Columns named by feature leakage findings that flag something (info findings
 * report that nothing leaked: earlier periods of a series, shared trends); the
 * target itself is not a leak of itself. These are the leakage suspects the
 * rule search never offers as a baseline.
 */
export function leakageColumns(findings: readonly Finding[], target?: string): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.area !== 'leakage' || f.severity === 'info' || NOT_SUSPECT_LEAKAGE_CHECKS.has(f.check)) continue;
    for (const c of f.columns) if (c !== target) out.add(c);
  }
  return out;
}

/** Columns the profile found personal data in (at the profile's PII share), plus those marked personal. */
export function personalColumnNames(setup: ReadinessSetup, marked: readonly string[] = []): Set<string> {
  const out = new Set(marked);
  for (const c of setup.input.profile?.columns ?? [])
    if (c.pii.some((p) => p.share >= THRESHOLDS.piiShare)) out.add(c.name);
  return out;
}

/**
 * The features the rule search covers: numeric, categorical and boolean ones,
 * without leaks, ID-like or personal-data columns (a rule would show their values).
 */
export function ruleFeatures(
  setup: ReadinessSetup,
  findings: readonly Finding[] = [],
  personal: readonly string[] = [],
): FeatureChoice {
  const leaks = leakageColumns(findings, setup.input.roles.target);
  const pii = personalColumnNames(setup, personal);
  const searched: FeatureChoice['searched'] = [];
  const excluded: FeatureChoice['excluded'] = [];
  for (const f of setup.features) {
    if (leaks.has(f.name)) excluded.push({ column: f.name, reason: 'leakage finding' });
    else if (pii.has(f.name)) excluded.push({ column: f.name, reason: 'personal data' });
    else if (f.idLike) excluded.push({ column: f.name, reason: 'looks like an ID' });
    else if (f.family === 'numeric') searched.push({ column: f.name, kind: 'numeric' });
    else if (f.family === 'categorical' || f.family === 'boolean')
      searched.push({ column: f.name, kind: 'categorical' });
    else excluded.push({ column: f.name, reason: `${f.family} column: not searched` });
  }
  for (const extra of searched.splice(PLAN_THRESHOLDS.maxRuleFeatures))
    excluded.push({ column: extra.column, reason: 'beyond the feature limit of the search' });
  return { searched, excluded };
}

function isBinary(setup: ReadinessSetup): boolean {
  return (
    setup.input.context.task === 'binary' &&
    setup.label?.kind === 'classes' &&
    setup.label.positive !== undefined
  );
}

/** The value column, when the plan names one that exists and is numeric. */
function valueColumnOf(input: PlanComputeInput): string | undefined {
  const name = input.plan?.costs.valueColumn;
  if (!name) return undefined;
  const facts = input.setup.columns.find((c) => c.name === name);
  return facts?.family === 'numeric' ? name : undefined;
}

/** The holdout share and design the split queries use: the plan's, else pre-filled from the roles. */
export function splitDesign(input: PlanComputeInput): {
  design: SplitSummary['design'];
  holdoutShare: number;
} {
  if (input.plan) return input.plan.validation;
  return { design: defaultDesign(input.setup), holdoutShare: PLAN_THRESHOLDS.defaultHoldoutShare };
}

/** Time-based with an event time, else grouped when an ID exists, else random. */
export function defaultDesign(setup: ReadinessSetup): SplitSummary['design'] {
  if (setup.time) return 'time';
  if (setup.id) return 'group';
  return 'random';
}

/** One statement of the plan: its key and SQL, and whether it is a one-row aggregate. */
interface PlanSpec {
  key: string;
  sql: string;
  oneRow?: boolean;
}

/** The plan's statements for a setup and a plan, in the order they are listed. */
function planSpecs(input: PlanComputeInput): PlanSpec[] {
  const { setup } = input;
  const ctx = setup.sql;
  const specs: PlanSpec[] = [];
  if (!ctx.label) return specs;
  const task = setup.input.context.task;
  if (task !== 'regression') specs.push({ key: 'classes', sql: classSharesQuery(ctx) });
  if (setup.time) specs.push({ key: 'periods', sql: rowsPerPeriodQuery(ctx), oneRow: true });
  if (isBinary(setup)) {
    const value = valueColumnOf(input);
    specs.push({ key: 'totals', sql: planTotalsQuery(ctx, value), oneRow: true });
    ruleFeatures(setup, input.findings, input.personalColumns).searched.forEach(({ column, kind }, i) => {
      specs.push({
        key: `rule:${i}`,
        sql:
          kind === 'numeric'
            ? numericRuleBucketsQuery(ctx, column, value)
            : categoricalRuleBucketsQuery(ctx, column, value),
      });
    });
  }
  if (task === 'regression' && ctx.label.kind === 'numeric') {
    specs.push({ key: 'regression', sql: regressionBaselinesQuery(ctx), oneRow: true });
    if (ctx.id && ctx.time) specs.push({ key: 'lastValue', sql: lastValueBaselineQuery(ctx), oneRow: true });
  }
  const { design, holdoutShare } = splitDesign(input);
  if (design === 'time' && ctx.time)
    specs.push({ key: 'split', sql: timeSplitQuery(ctx, holdoutShare), oneRow: true });
  if (design === 'group' && ctx.id)
    specs.push({ key: 'split', sql: groupSplitQuery(ctx, holdoutShare), oneRow: true });
  return specs;
}

/**
 * The statements, keyed by name (`rule:<index>` per searched feature): each a
 * standalone, readable query, the SQL a finding shows to reproduce a figure.
 */
export function planQueries(input: PlanComputeInput): Record<string, string> {
  return Object.fromEntries(planSpecs(input).map((s) => [s.key, s.sql]));
}

/**
 * The statements as the runner gets them: `planQueries`, with the one-row
 * aggregates (totals, rows per period, the split, regression baselines)
 * marked so the runner fuses them into one round trip. Class shares and each
 * rule search run alone (a UNION ALL of several aggregating branches hangs
 * DuckDB-WASM 1.32 on a million rows, duckdb/duckdb-wasm#1806).
 */
export function planStatements(input: PlanComputeInput): Record<string, Statement> {
  return Object.fromEntries(
    planSpecs(input).map((s) => [s.key, s.oneRow ? { sql: s.sql, oneRow: true } : { sql: s.sql }]),
  );
}

function buckets(rows: ResultRow[] | undefined, kind: 'numeric' | 'categorical'): RuleBucket[] {
  return (rows ?? []).map((r) => ({
    key: kind === 'numeric' ? toNumber(r.cut) : toText(r.category),
    missing: r.missing === true,
    lumped: r.lumped === true,
    n: count(r.n),
    positives: count(r.positives),
    positiveValue: toNumber(r.positive_value),
  }));
}

/** `PlanResults` from the statements' results. */
export function assemblePlanResults(input: PlanComputeInput, results: QueryResults): PlanResults {
  const { setup } = input;
  const label = setup.label;
  const task = setup.input.context.task;
  const queries = planQueries(input);
  const classes = (results.classes ?? []).map((r) => ({ label: toText(r.label), n: count(r.n) }));
  const labelled = task === 'regression' ? (label?.labelled ?? 0) : classes.reduce((s, c) => s + c.n, 0);
  const classShares = classes.map((c) => ({
    label: c.label,
    count: c.n,
    share: labelled > 0 ? c.n / labelled : 0,
  }));
  const positive = isBinary(setup) ? (label?.positive ?? null) : null;
  const positiveRow = classShares.find((c) => c.label === positive);
  const majority = classShares[0];

  const choice = ruleFeatures(setup, input.findings, input.personalColumns);
  const ruleSearch: RuleSearch[] = isBinary(setup)
    ? choice.searched.map(({ column, kind }, i) => ({
        feature: column,
        kind,
        buckets: buckets(results[`rule:${i}`], kind),
      }))
    : [];
  const totalsRow = first(results.totals);

  const periods = first(results.periods);
  const periodRows = count(periods.n);
  const weeks = count(periods.weeks);
  const months = count(periods.months);

  const { design, holdoutShare } = splitDesign(input);
  const split = splitSummary(design, holdoutShare, results.split, labelled, positiveRow?.count ?? null);

  const regressionRow = first(results.regression);
  const lastRow = first(results.lastValue);
  const regression =
    task === 'regression' && results.regression
      ? {
          zeros: count(regressionRow.zeros),
          baselines: [
            ...(['mean', 'median'] as const).map((name) => ({
              name,
              mae: toNumber(regressionRow[`mae_${name}`]),
              rmse: toNumber(regressionRow[`rmse_${name}`]),
              mape: toNumber(regressionRow[`mape_${name}`]),
              rows: count(regressionRow.n),
            })),
            ...(results.lastValue
              ? [
                  {
                    name: 'last value per ID',
                    mae: toNumber(lastRow.mae),
                    rmse: toNumber(lastRow.rmse),
                    mape: toNumber(lastRow.mape),
                    rows: count(lastRow.n),
                  },
                ]
              : []),
          ],
        }
      : undefined;

  return {
    datasetId: setup.input.datasetId,
    computedAt: input.computedAt,
    task,
    target: label?.column ?? '',
    rows: setup.rows,
    labelledRows: labelled,
    positiveClass: positive,
    classShares: classShares.slice(0, 200),
    prevalence: positiveRow ? positiveRow.share : null,
    majorityLabel: majority?.label ?? null,
    majorityAccuracy: majority ? majority.share : null,
    excludedColumns: choice.excluded,
    totals: results.totals
      ? {
          n: count(totalsRow.n),
          positives: count(totalsRow.positives),
          positiveValue: toNumber(totalsRow.positive_value),
          positivesWithoutValue: count(totalsRow.positives_without_value),
        }
      : null,
    ruleSearch,
    ...(regression ? { regression } : {}),
    rowsPerWeek: weeks > 0 ? periodRows / weeks : null,
    rowsPerMonth: months > 0 ? periodRows / months : null,
    split,
    sql: queries,
  };
}

function splitSummary(
  design: SplitSummary['design'],
  holdoutShare: number,
  rows: ResultRow[] | undefined,
  labelled: number,
  positives: number | null,
): SplitSummary {
  if (!rows || design === 'random') {
    // A random split is not run: its sides are the holdout share of the labelled rows, in expectation.
    const validationRows = Math.round(labelled * holdoutShare);
    const validationPositives = positives === null ? null : Math.round(positives * holdoutShare);
    return {
      design: rows ? design : 'random',
      holdoutShare,
      splitAt: null,
      trainRows: labelled - validationRows,
      validationRows,
      trainPositives:
        positives === null || validationPositives === null ? null : positives - validationPositives,
      validationPositives,
      trainGroups: null,
      validationGroups: null,
      sharedGroups: null,
    };
  }
  const r = first(rows);
  const groups = (value: unknown): number | null => toNumber(value);
  return {
    design,
    holdoutShare,
    splitAt: toText(r.split_at),
    trainRows: count(r.train_rows),
    validationRows: count(r.validation_rows),
    trainPositives: positives === null ? null : count(r.train_positives),
    validationPositives: positives === null ? null : count(r.validation_positives),
    trainGroups: groups(r.train_groups),
    validationGroups: groups(r.validation_groups),
    sharedGroups: groups(r.shared_groups),
  };
}

/** What the plan analysis starts from: a readiness input (the setup is read first) or a setup already read. */
export type PlanAnalysisInput = Omit<PlanComputeInput, 'setup'> &
  ({ readiness: ReadinessInput } | { setup: ReadinessSetup });

/** The plan analysis's state: the readiness setup once read, the results once computed. */
export interface PlanRunState {
  setup?: ReadinessSetup;
  results?: PlanResults;
}

/**
 * The metric plan as stages: the readiness setup (column facts and the
 * target's spellings, skipped when a setup is given), then the baselines,
 * rule searches and the validation split, which all depend on the setup.
 * Run it from `{}`; the results are in the final state's `results`.
 */
export function planAnalysis(input: PlanAnalysisInput): Analysis<PlanRunState> {
  const setupOf = (state: PlanRunState): ReadinessSetup => {
    const setup = state.setup ?? ('setup' in input ? input.setup : undefined);
    if (!setup) throw new RangeError('The plan needs the readiness setup first.');
    return setup;
  };
  const computeInput = (state: PlanRunState): PlanComputeInput => ({ ...input, setup: setupOf(state) });
  return {
    name: 'plan',
    stages: [
      ...setupStagesFor<PlanRunState>(
        () => ('readiness' in input ? input.readiness : undefined),
        'Reading the columns',
      ),
      {
        id: 'baselines',
        label: 'Baselines and validation split',
        queries: (state) => planStatements(computeInput(state)),
        resolve: (state, results) => ({
          ...state,
          results: assemblePlanResults(computeInput(state), results),
        }),
      },
    ],
  };
}
