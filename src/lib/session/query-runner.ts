import type { Analysis, QueryResults, Row, Stage, StageFailure, Statement } from '../core/pipeline/stage';
import { dialect as activeDialect, type SqlDialect } from '../core/sql/dialect';
import { canFuseOneRow, fusedOneRowQuery, readFusedRow } from '../core/sql/fused';
import type { Connector } from '../engine/connector';
import { errorText, isOutOfMemory, plainEngineMessage } from '../engine/errors';

/** What the runner needs of an engine: every connector has it. */
export type QueryPort = Pick<Connector, 'query' | 'exec' | 'cancel'>;

/** How far an analysis is: stages done of the total, and the one running. */
export interface RunProgress {
  analysis: string;
  /** The running stage's id (a check id, `summary`…), `done` at the end. */
  stage: string;
  label: string;
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Names the whole run's timing mark, `sz:<analysis>:<subject>` (a file name); none when absent. */
  subject?: string;
}

/** Why an analysis stopped: cancelled, or a statement failed that its stage could not recover from. */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
  constructor(
    readonly code: 'cancelled' | 'failed',
    message: string,
    readonly analysis: string,
    readonly failure?: StageFailure,
  ) {
    super(message);
  }
}

/**
 * The one place analyses meet the engine. It runs an analysis's stages in
 * order; fuses each stage's one-row statements into one round trip (where the
 * engine allows); caches rows by statement, so a statement two stages share
 * runs once per runner; interrupts the running statement on cancel, on every
 * engine; reports progress and `sz:*` timing marks (the benches read them); and
 * turns a failed statement into a `StageFailure` the stage records as a
 * finding, or an `AnalysisError` that reads the same whatever the analysis.
 * Create one per task: the cache lives as long as the runner.
 */
export class QueryRunner {
  readonly #cache = new Map<string, Row[]>();

  constructor(
    private readonly port: QueryPort,
    /** `dialect`: the engine's SQL (the active dialect by default); `fuse: false` runs one-row statements one by one. */
    private readonly options: { fuse?: boolean; dialect?: SqlDialect } = {},
  ) {}

  /** Run every stage of `analysis` from `initial`; returns the final state. */
  async run<S>(analysis: Analysis<S>, initial: S, options: RunOptions = {}): Promise<S> {
    const { signal } = options;
    const started = performance.now();
    const onAbort = (): void => void this.port.cancel().catch(() => {});
    signal?.addEventListener('abort', onAbort);
    let state = initial;
    const total = analysis.stages.length;
    try {
      for (const [done, stage] of analysis.stages.entries()) {
        this.#throwIfCancelled(analysis.name, signal);
        if (stage.applies && !stage.applies(state)) continue;
        const label = typeof stage.label === 'string' ? stage.label : stage.label(state);
        options.onProgress?.({ analysis: analysis.name, stage: stage.id, label, done, total });
        const stageStarted = performance.now();
        const report = (batch: string): void =>
          options.onProgress?.({ analysis: analysis.name, stage: stage.id, label: batch, done, total });
        state = await this.#runStage(analysis, stage, state, signal, report);
        performance.measure(`sz:${analysis.name}:${stage.id}`, {
          start: stageStarted,
          end: performance.now(),
        });
      }
      options.onProgress?.({ analysis: analysis.name, stage: 'done', label: 'Done', done: total, total });
      if (options.subject)
        performance.measure(`sz:${analysis.name}:${options.subject}`, {
          start: started,
          end: performance.now(),
        });
      return state;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      for (const sql of analysis.cleanup?.(state) ?? []) await this.port.exec(sql).catch(() => {});
    }
  }

  /** One statement through the same cache, cancel and error path (a role check, a single lookup). */
  async rows(sql: string, signal?: AbortSignal): Promise<Row[]> {
    const analysis: Analysis<Row[]> = {
      name: 'query',
      stages: [
        { id: 'query', label: 'Query', queries: () => ({ rows: sql }), resolve: (_, r) => r.rows ?? [] },
      ],
    };
    return this.run(analysis, [], signal ? { signal } : {});
  }

  async #runStage<S>(
    analysis: Analysis<S>,
    stage: Stage<S>,
    state: S,
    signal?: AbortSignal,
    report?: (label: string) => void,
  ): Promise<S> {
    const entries = Object.entries(stage.queries(state)).map(([key, statement]): [string, Statement] => [
      key,
      typeof statement === 'string' ? { sql: statement } : statement,
    ]);
    const results: QueryResults = {};
    const ordered = [
      ...entries.filter(([, s]) => s.effect),
      ...entries.filter(([, s]) => !s.effect && s.oneRow),
      ...entries.filter(([, s]) => !s.effect && !s.oneRow),
    ];
    const dialect = this.options.dialect ?? activeDialect;
    if (this.options.fuse !== false && canFuseOneRow(dialect))
      await this.#fuseOneRow(ordered, results, dialect, signal);
    for (const [key, statement] of ordered) {
      if (key in results) continue;
      if (statement.progress) report?.(statement.progress);
      try {
        results[key] = await this.#statement(statement, signal);
      } catch (error) {
        this.#throwIfCancelled(analysis.name, signal);
        const failure = stageFailure(stage.id, key, statement.sql, error);
        const recovered = stage.recover?.(state, failure);
        if (recovered !== undefined) return recovered;
        throw new AnalysisError(
          'failed',
          failureMessage(analysis.name, stage, state, failure),
          analysis.name,
          failure,
        );
      }
    }
    this.#throwIfCancelled(analysis.name, signal);
    return stage.resolve(state, results);
  }

  /** Run a stage's uncached one-row statements as one, when there are two or more; fills `results`. */
  async #fuseOneRow(
    ordered: [string, Statement][],
    results: QueryResults,
    dialect: SqlDialect,
    signal?: AbortSignal,
  ): Promise<void> {
    const parts = ordered.filter(([, s]) => s.oneRow && !s.effect && !this.#cache.has(s.sql));
    if (parts.length < 2 || signal?.aborted) return;
    let rows: Row[] | undefined;
    try {
      rows = readFusedRow(
        await this.port.query(
          fusedOneRowQuery(
            parts.map(([, s]) => s.sql),
            dialect,
          ),
        ),
        parts.length,
      );
    } catch {
      // One part failed: run them one by one, so the failure names its own statement.
      return;
    }
    if (!rows) return;
    for (const [i, [key, statement]] of parts.entries()) {
      results[key] = [rows[i]!];
      this.#cache.set(statement.sql, results[key]);
    }
  }

  async #statement(statement: Statement, signal?: AbortSignal): Promise<Row[]> {
    if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
    if (statement.effect) {
      await this.port.exec(statement.sql);
      return [];
    }
    const hit = this.#cache.get(statement.sql);
    if (hit) return hit;
    const rows = await this.port.query(statement.sql);
    this.#cache.set(statement.sql, rows);
    return rows;
  }

  #throwIfCancelled(analysis: string, signal?: AbortSignal): void {
    if (signal?.aborted) throw new AnalysisError('cancelled', `The ${analysis} was cancelled.`, analysis);
  }
}

function stageFailure(stage: string, key: string, sql: string, error: unknown): StageFailure {
  const message = isOutOfMemory(error)
    ? 'the engine ran out of memory (the browser engine holds at most about 4 GB); load fewer columns or a sample of the rows'
    : plainEngineMessage(error);
  return { stage, key, sql, message, detail: errorText(error) };
}

/** "The profile failed while summarising 12 columns: <engine message>." — the same shape for every analysis. */
function failureMessage<S>(analysis: string, stage: Stage<S>, state: S, failure: StageFailure): string {
  const label = typeof stage.label === 'string' ? stage.label : stage.label(state);
  return `The ${analysis} failed while ${label.charAt(0).toLowerCase()}${label.slice(1)}: ${failure.message}.`;
}
