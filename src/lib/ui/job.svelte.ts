import type { TaskState } from '../session';

/** The session's running task as reactive state, for the progress bar and its cancel button. */
export class Job {
  readonly id: number;
  label = $state('');
  detail = $state('');
  fraction = $state<number | undefined>(undefined);
  cancelled = $state(false);
  readonly #cancel: () => void;

  constructor(task: TaskState, cancel: () => void) {
    this.id = task.id;
    this.#cancel = cancel;
    this.update(task);
  }

  update(task: TaskState): void {
    this.label = task.label;
    this.detail = task.detail;
    this.fraction = task.fraction;
    this.cancelled = task.cancelled;
  }

  cancel(): void {
    this.#cancel();
  }
}
