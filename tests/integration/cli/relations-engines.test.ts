import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import type { CliFlags } from '../../../src/lib/cli/flags';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import type { RelationResult } from '../../../src/lib/core/model/relations';
import {
  PLANTED_FILES,
  PLANTED_KEY,
  PLANTED_PARENT_TIME,
  PLANTED_TARGET,
  plantedRelations,
  type PlantedExpectation,
} from '../../fixtures/relations/planted';
import { FIXTURES } from '../../support/engine';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/**
 * Cross-engine: the planted related extracts (and the PBC trial's real
 * patients and visits) audited through the CLI's path with the default
 * DuckDB-WASM engine and with native DuckDB give the same `relations[]`, and
 * those are the counts the generator planted (or R counted).
 */
let dir: string;
const planted = plantedRelations();
const PBC = join(FIXTURES, 'relations');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sz-relations-engines-'));
  for (const [table, file] of Object.entries(PLANTED_FILES))
    writeFileSync(join(dir, file), planted[table as keyof typeof PLANTED_FILES]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const link = (child: string, parent: string, column = PLANTED_KEY): string =>
  `${child}:${column}=${parent}:${column}`;

/**
 * Relations with dataset ids read as file names and the session's table names
 * (`t3_tickets`: a counter per process) as `t_tickets`, so two runs compare.
 */
function comparable(document: AuditDocument | undefined): unknown[] {
  const names = new Map((document?.datasets ?? []).map((d) => [d.id, d.fileName]));
  const plain = (sql: string): string => sql.replace(/"t\d+_/g, '"t_');
  return (document?.relations ?? []).map((r) => ({
    ...r,
    child: { ...r.child, dataset: names.get(r.child.dataset) },
    parent: { ...r.parent, dataset: names.get(r.parent.dataset) },
    sql: plain(r.sql),
    pointInTime: r.pointInTime ? { ...r.pointInTime, asOfSql: plain(r.pointInTime.asOfSql) } : null,
  }));
}

async function audit(paths: string[], flags: CliFlags): Promise<AuditDocument> {
  const errors: string[] = [];
  const result = await runCli(
    paths,
    { 'no-baseline': true, ...flags },
    (line) => {
      if (line.startsWith('error')) errors.push(line);
    },
    { engine: cliEngine },
  );
  expect(errors).toEqual([]);
  expect(result.document?.relations?.length).toBeGreaterThan(0);
  return result.document!;
}

/** Numbers to 9 decimals, so engines' float rounding of shares and means can't tell them apart. */
const rounded = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)),
  );

function counts(result: RelationResult | undefined): PlantedExpectation | undefined {
  if (!result) return undefined;
  const { child: _c, parent: _p, sql: _s, pointInTime, ...rest } = result;
  return {
    ...rest,
    pointInTime: pointInTime && {
      timedRows: pointInTime.timedRows,
      rowsAfterParentTime: pointInTime.rowsAfterParentTime,
      share: pointInTime.share,
    },
  } as PlantedExpectation;
}

describe('relations on DuckDB-WASM and native DuckDB', () => {
  it('measure the planted defects alike, at the generator’s exact counts', async () => {
    const paths = Object.values(PLANTED_FILES).map((f) => join(dir, f));
    const flags: CliFlags = {
      target: PLANTED_TARGET,
      time: PLANTED_PARENT_TIME,
      relation: [
        link(PLANTED_FILES.subscriptions, PLANTED_FILES.customers),
        link(PLANTED_FILES.tickets, PLANTED_FILES.customers),
      ],
    };
    const wasm = await audit(paths, flags);
    const native = await audit(paths, { ...flags, engine: 'native', threads: '1' });
    expect(rounded(comparable(native))).toEqual(rounded(comparable(wasm)));

    const byChild = (file: string) =>
      wasm.relations?.find((r) => wasm.datasets.find((d) => d.id === r.child.dataset)?.fileName === file);
    expect(rounded(counts(byChild(PLANTED_FILES.subscriptions)))).toEqual(
      rounded(planted.expected.subscriptions),
    );
    expect(rounded(counts(byChild(PLANTED_FILES.tickets)))).toEqual(rounded(planted.expected.tickets));
  }, 300_000);

  it('measure the PBC trial’s visits against its patients alike, as R counted them', async () => {
    const expected = JSON.parse(readFileSync(join(PBC, 'pbc.expected.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const paths = [join(PBC, 'pbc.csv'), join(PBC, 'pbcseq.csv')];
    const flags: CliFlags = { target: 'status', relation: ['pbcseq.csv:id=pbc.csv:id'] };
    const wasm = await audit(paths, flags);
    const native = await audit(paths, { ...flags, engine: 'native', threads: '1' });
    expect(rounded(comparable(native))).toEqual(rounded(comparable(wasm)));
    const { child: _c, parent: _p, survivalVersion: _v, ...facts } = expected;
    expect(rounded(wasm.relations?.[0])).toMatchObject(rounded(facts) as object);
  }, 300_000);
});
