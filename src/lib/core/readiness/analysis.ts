import { FindingSchema, type Finding } from '../model/audit';
import type { Analysis, Stage, StageFailure } from '../pipeline/stage';
import { finder, sortFindings } from './findings';
import { READINESS_CHECKS } from './registry';
import { resolveSetup, setupStageFeeds, setupStagesFor } from './setup';
import type { CheckDefinition, ReadinessInput, ReadinessSetup } from './types';

/** The readiness run so far: the shared facts once resolved, and the findings of the checks that ran. */
export interface ReadinessState {
  input: ReadinessInput;
  setup?: ReadinessSetup;
  findings: Finding[];
  /** Setup statements that failed: the checks their stage feeds record "could not run" instead of running. */
  setupFailures?: StageFailure[];
}

/** The ids of `only` that name no readiness check. */
export function unknownCheckIds(only: readonly string[] | undefined): string[] {
  return (only ?? []).filter((id) => !READINESS_CHECKS.some((c) => c.id === id));
}

/**
 * The readiness audit as stages: the shared facts (column facts, label,
 * time encodings, history bounds), then one stage per check (`only` keeps
 * those). A check whose SQL fails records a `major` finding in its area instead
 * of stopping the audit: the verdict cannot read Ready while a check did not
 * run, and the consultant can still waive it with a reason.
 */
export function readinessAnalysis(only?: readonly string[]): Analysis<ReadinessState> {
  const wanted = only ? new Set(only) : undefined;
  const checks = READINESS_CHECKS.filter((c) => !wanted || wanted.has(c.id));
  return { name: 'readiness', stages: [...setupStages(), ...checks.map(checkStage)] };
}

/** The findings of a finished run, most severe first. */
export function readinessFindings(state: ReadinessState): Finding[] {
  return sortFindings(state.findings);
}

/**
 * The setup stages, each able to fail without stopping the audit: the failure is kept, and
 * the checks the stage feeds (`setupStageFeeds`) each record a "could not run" finding.
 * Without the first stage's facts nothing is known, so the later stages are skipped and
 * the checks judge their `applies` on the roles alone (no facts: zero counts).
 */
function setupStages(): Stage<ReadinessState>[] {
  return setupStagesFor<ReadinessState>((state) => state.input, 'Reading the roles').map((stage) => ({
    ...stage,
    applies: (state) => !blockedSetup(state) && (stage.applies?.(state) ?? true),
    recover: (state, failure) => ({
      ...state,
      setup: state.setup ?? resolveSetup(state.input, {}),
      setupFailures: [...(state.setupFailures ?? []), failure],
    }),
  }));
}

/** Whether the first setup stage failed, so the later ones have nothing to build on. */
function blockedSetup(state: ReadinessState): boolean {
  return (state.setupFailures ?? []).some((f) => f.stage === 'setup');
}

/** The setup failure that keeps `check` from running, if any. */
function setupFailureFor(state: ReadinessState, check: CheckDefinition): StageFailure | undefined {
  return state.setupFailures?.find((f) => setupStageFeeds(f.stage)(check));
}

function checkStage(check: CheckDefinition): Stage<ReadinessState> {
  return {
    id: check.id,
    label: check.description,
    applies: (state) => check.applies(setupOf(state)),
    queries: (state) => (setupFailureFor(state, check) ? {} : check.queries(setupOf(state))),
    resolve: (state, results) => {
      const setup = setupOf(state);
      const setupFailure = setupFailureFor(state, check);
      if (setupFailure)
        return { ...state, findings: [...state.findings, failedCheckFinding(setup, check, setupFailure)] };
      try {
        const found = check.findings(setup, results);
        for (const f of found) assertFindingShape(f);
        return { ...state, findings: [...state.findings, ...found] };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const failure = { stage: check.id, key: 'findings', sql: '', message: text, detail: text };
        return { ...state, findings: [...state.findings, failedCheckFinding(setup, check, failure)] };
      }
    },
    recover: (state, failure) => ({
      ...state,
      findings: [...state.findings, failedCheckFinding(setupOf(state), check, failure)],
    }),
  };
}

function setupOf(state: ReadinessState): ReadinessSetup {
  if (!state.setup) throw new Error('The readiness setup stage has not run.');
  return state.setup;
}

function assertFindingShape(finding: Finding): void {
  const parsed = FindingSchema.safeParse(finding);
  if (!parsed.success)
    throw new Error(
      `finding ${finding.id} does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`,
    );
}

/**
 * The finding of a check that could not run, the same for every check and
 * every engine: `major`, in the check's area, naming the check and the error,
 * with the statement that failed.
 */
export function failedCheckFinding(
  setup: ReadinessSetup,
  check: Pick<CheckDefinition, 'id' | 'area' | 'description'>,
  failure: StageFailure,
): Finding {
  const first = failure.message.split('\n')[0]!.slice(0, 160);
  return finder(
    setup,
    check.id,
    check.area,
  )({
    severity: 'major',
    key: 'error',
    title: `Check ${check.id} could not run: ${first}`,
    columns: [],
    evidence: { check: check.id, error: failure.detail.slice(0, 500) },
    sql: failure.sql,
    recommendation: `The ${check.area} area was not fully assessed: ${check.description} Check the column roles and types and re-run; if they look right, report the error, or waive this finding with a reason.`,
  });
}
