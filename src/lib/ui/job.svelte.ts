/** One long-running task shown with a progress bar and a cancel button. */
export class Job {
  #controller = new AbortController();
  label = $state('');
  detail = $state('');
  fraction = $state<number | undefined>(undefined);

  constructor(label: string) {
    this.label = label;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#controller.signal.aborted;
  }

  update(detail: string, fraction?: number): void {
    this.detail = detail;
    this.fraction = fraction;
  }

  cancel(): void {
    this.#controller.abort();
  }
}
