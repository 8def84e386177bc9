/** What the UI or CLI shows of the running task. */
export interface TaskState {
  /** Increases with every task, so a listener can tell two tasks with the same label apart. */
  readonly id: number;
  label: string;
  detail: string;
  /** 0–1 when known; undefined while the engine reports no fraction. */
  fraction: number | undefined;
  cancelled: boolean;
}

/** What a task body receives: its cancel signal and a way to report progress. */
export interface TaskContext {
  readonly signal: AbortSignal;
  /** Report progress: a detail line and, when known, the fraction done (0–1). */
  progress(detail: string, fraction?: number): void;
  /** Change the task's title, e.g. to name the file being loaded. */
  relabel(label: string): void;
}

/**
 * Long tasks (loads, profiles, readiness runs) run one after another: files
 * dropped while an analysis runs, or a role changed mid-run, wait their turn
 * instead of being refused or lost. Only the running task can be cancelled.
 */
export class TaskQueue {
  #chain: Promise<unknown> = Promise.resolve();
  #current: { state: TaskState; controller: AbortController } | undefined;
  #nextId = 0;

  constructor(private readonly onChange: (task: TaskState | undefined) => void) {}

  /** The running task, if any. */
  get current(): TaskState | undefined {
    return this.#current?.state;
  }

  /** Queue a task; it starts when every earlier one has settled. */
  run<T>(label: string, body: (context: TaskContext) => Promise<T>): Promise<T> {
    const start = async (): Promise<T> => {
      const controller = new AbortController();
      const state: TaskState = {
        id: ++this.#nextId,
        label,
        detail: '',
        fraction: undefined,
        cancelled: false,
      };
      this.#current = { state, controller };
      this.onChange({ ...state });
      const publish = (): void => {
        if (this.#current?.state === state) this.onChange({ ...state });
      };
      try {
        return await body({
          signal: controller.signal,
          progress: (detail, fraction) => {
            state.detail = detail;
            state.fraction = fraction;
            publish();
          },
          relabel: (next) => {
            state.label = next;
            publish();
          },
        });
      } finally {
        if (this.#current?.state === state) {
          this.#current = undefined;
          this.onChange(undefined);
        }
      }
    };
    const result = this.#chain.then(start, start);
    this.#chain = result.catch(() => {});
    return result;
  }

  /** Cancel the running task; queued tasks still run. */
  cancel(): void {
    const current = this.#current;
    if (!current || current.state.cancelled) return;
    current.state.cancelled = true;
    current.controller.abort();
    this.onChange({ ...current.state });
  }
}
