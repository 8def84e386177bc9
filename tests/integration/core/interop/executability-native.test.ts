import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../../../support/engine';
import { DEMO_CSV } from '../../../support/demo';
import type { Connector } from '../../../../src/lib/engine/connector';
import { loadDataset } from '../../../../src/lib/engine/load-dataset';
import { createNativeConnector, type NativeConnector } from '../../../../src/lib/engine/native-connector';
import { nodeDecoders } from '../../../../src/lib/engine/node-decoders';
import { bytesSource, fileSource } from '../../../../src/lib/engine/node-source';
import { deriveCheckSpec } from '../../../../src/lib/core/interop/derive';
import { PLANTED_FILES, plantedRelations } from '../../../fixtures/relations/planted';
import { demoWithContract, expectObserved, plantedAudit, runRules } from './executability-support';

/**
 * The check specs derived on DuckDB-WASM run on native DuckDB
 * (`@duckdb/node-api`, as the CLI's `--engine native`): the same files loaded
 * through the production loader, every rule's SQL and failing rows giving
 * the values the WASM audit observed.
 */

let wasm: Connector;
let native: NativeConnector;

beforeAll(async () => {
  wasm = await engine();
  native = await createNativeConnector({ threads: 1 });
}, 120_000);
afterAll(async () => {
  await wasm.close();
  await native.close();
});

describe('check specs on native DuckDB', () => {
  it('the planted extracts’ rules return what the WASM audit observed', async () => {
    const { audit, ids } = await plantedAudit(wasm);
    const spec = deriveCheckSpec(audit);
    const files = plantedRelations();
    const tables: Record<string, string> = {};
    for (const name of Object.keys(PLANTED_FILES) as (keyof typeof PLANTED_FILES)[]) {
      const loaded = await loadDataset(native, nodeDecoders, bytesSource(PLANTED_FILES[name], files[name]));
      tables[ids[name]] = loaded.tableName;
    }
    const runs = await runRules(native, spec, tables);
    expect(runs.filter((r) => r.rule.kind === 'relationship').map((r) => r.value)).toEqual([
      files.expected.subscriptions.orphanRows,
      files.expected.tickets.orphanRows,
    ]);
    expectObserved(runs);
  }, 300_000);

  it('the demo’s rules, drift statistics included, return what the WASM audit observed', async () => {
    const { audit } = await demoWithContract(wasm);
    const spec = deriveCheckSpec(audit);
    const loaded = await loadDataset(native, nodeDecoders, await fileSource(DEMO_CSV));
    expect(loaded.columns).toEqual(audit.datasets[0]!.columns);
    expectObserved(await runRules(native, spec, { [audit.datasets[0]!.id]: loaded.tableName }));
  }, 300_000);
});
