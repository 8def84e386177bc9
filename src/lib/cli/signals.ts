/** Exit codes of a run stopped by Ctrl-C or `kill`: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** How long the clean-up may take before the process leaves anyway. */
const CLEANUP_TIMEOUT_MS = 10_000;

export interface StopSignalHandle {
  /** Remove the handlers (the engine is closed). */
  release: () => void;
  /** Whether a signal arrived; the run must then write nothing more. */
  readonly stopping: boolean;
  /** Never settles: the process exits once the clean-up is done. Await it to stop a run in its tracks. */
  readonly exiting: Promise<never>;
}

/**
 * While an engine is open or a file is being written: on SIGINT or SIGTERM,
 * run `cleanup` (stop the running query, close DuckDB, remove the temp folder
 * that holds copies of the client's files, or the half-written temp file) and
 * exit with 130 or 143. A second signal, or a clean-up that hangs, exits at once.
 */
export function onStopSignal(
  cleanup: () => Promise<void>,
  onStop: (signal: StopSignal) => void = () => {},
): StopSignalHandle {
  let stopping = false;
  const stop = (signal: StopSignal): void => {
    const code = SIGNAL_EXIT_CODES[signal];
    if (stopping) process.exit(code);
    stopping = true;
    onStop(signal);
    setTimeout(() => process.exit(code), CLEANUP_TIMEOUT_MS).unref();
    cleanup()
      .catch(() => {})
      .finally(() => process.exit(code));
  };
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
    get stopping() {
      return stopping;
    },
    exiting: new Promise<never>(() => {}),
  };
}
