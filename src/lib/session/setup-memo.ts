import type { ReadinessInput, ReadinessSetup } from '../core/readiness/types';

/**
 * The readiness setup (column facts, the target's spellings, time encodings,
 * history bounds, structure) last read, by the exact input it was read for.
 * An analysis is followed by feasibility and the metric plan, which need the
 * same setup: reading it three times cost 0.7 s of native DuckDB and 1.4 s of
 * DuckDB-WASM at 1M rows. Any difference in the input (table, columns, roles,
 * context, profile) is a miss, and a load or removal forgets it, since a
 * reloaded table may keep its name.
 */
export class ReadinessSetupMemo {
  #key: string | undefined;
  #setup: ReadinessSetup | undefined;

  remember(input: ReadinessInput, setup: ReadinessSetup): void {
    this.#key = keyOf(input);
    this.#setup = setup;
  }

  /** The setup read for an input equal to `input`, if it is the last one read. */
  recall(input: ReadinessInput): ReadinessSetup | undefined {
    return this.#setup !== undefined && this.#key === keyOf(input) ? this.#setup : undefined;
  }

  forget(): void {
    this.#key = undefined;
    this.#setup = undefined;
  }
}

/** Key order is the builders' own, so equal inputs built the same way give equal keys; any other order is only a miss. */
function keyOf(input: ReadinessInput): string {
  return JSON.stringify(input);
}

/** What feasibility and the plan start from: the setup the last analysis read for this input, else the input (they read it again). */
export function readinessOrSetup(
  memo: ReadinessSetupMemo | undefined,
  input: ReadinessInput,
): { readiness: ReadinessInput } | { setup: ReadinessSetup } {
  const setup = memo?.recall(input);
  return setup ? { setup } : { readiness: input };
}
