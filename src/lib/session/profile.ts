import type { DatasetProfile } from '../core/model/audit';
import type { StageFailure } from '../core/pipeline/stage';
import { profileAnalysis } from '../core/profile/stages';
import type { ProfileAnalysisOptions } from '../core/profile/state';
import type { Connector } from '../engine/connector';
import { errorText, isOutOfMemory, plainEngineMessage } from '../engine/errors';
import { AnalysisError, QueryRunner, type RunProgress } from './query-runner';

export type ProfileErrorCode = 'cancelled' | 'not-found' | 'engine';

/** Why a profile could not be computed, with a message for the consultant. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface ProfileProgress {
  /** Phases finished. */
  done: number;
  total: number;
  /** The phase now running, for display. */
  label: string;
}

export interface ProfileOptions extends ProfileAnalysisOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProfileProgress) => void;
}

/**
 * Profile a loaded table with `runner` (see `core/profile/stages`): progress
 * phase by phase up to `Done`, and every way it can stop as a `ProfileError`
 * (`cancelled`, `not-found`, `engine`) with a message for the consultant.
 * Cancel with `options.signal`: the running statement is interrupted.
 */
export async function profileTable(
  runner: QueryRunner,
  tableName: string,
  datasetId: string,
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const started = performance.now();
  const analysis = profileAnalysis(tableName, datasetId, options);
  let stage = '';
  let label = 'Reading the columns';
  let total = analysis.stages.length;
  const onProgress = (p: RunProgress): void => {
    total = p.total;
    // `Done` only once the profile is known to exist (below).
    if (p.stage === 'done') return;
    // A failure names the stage, not its batch: the stage's first report is its label.
    if (p.stage !== stage) [stage, label] = [p.stage, p.label];
    options.onProgress?.({ done: p.done, total: p.total, label: p.label });
  };
  const state = await runner
    .run(analysis, analysis.initial, { ...(options.signal ? { signal: options.signal } : {}), onProgress })
    .catch((error: unknown) => {
      throw profileError(tableName, label, error);
    });
  if (state.missing) throw new ProfileError('not-found', `There is no table “${tableName}” to profile.`);
  if (!state.found) throw failedError(tableName, 'Reading the columns', state.columnsFailure);
  options.onProgress?.({ done: total, total, label: 'Done' });
  return analysis.profile(state, {
    computedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
  });
}

/**
 * Profile a loaded table on `conn`, through a `QueryRunner` of its own: the
 * signature the session's analysis has always called.
 */
export async function profileDataset(
  conn: Connector,
  tableName: string,
  datasetId: string,
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  return profileTable(new QueryRunner(conn), tableName, datasetId, options);
}

function profileError(tableName: string, label: string, error: unknown): ProfileError {
  if (error instanceof ProfileError) return error;
  if (error instanceof AnalysisError && error.code === 'cancelled')
    return new ProfileError('cancelled', `Profiling “${tableName}” was cancelled.`);
  if (error instanceof AnalysisError) return failedError(tableName, label, error.failure ?? null, error);
  return failedError(tableName, label, null, error);
}

/** The message of a failed statement, in the words profiles have always used. */
function failedError(
  tableName: string,
  label: string,
  failure: StageFailure | null,
  error?: unknown,
): ProfileError {
  const detail = failure?.detail ?? errorText(error);
  const phase = label.toLowerCase();
  if (isOutOfMemory(error) || isOutOfMemory(detail))
    return new ProfileError(
      'engine',
      `Profiling “${tableName}” ran out of memory while ${phase}: the browser engine holds at most about 4 GB. Load fewer columns or a sample of the rows.`,
      detail,
    );
  return new ProfileError(
    'engine',
    `Profiling “${tableName}” failed while ${phase}: ${failure?.message ?? plainEngineMessage(error)}.`,
    detail,
  );
}
