import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Finding } from '../../../../src/lib/core/model/audit';
import { checkById } from '../../../../src/lib/core/readiness/registry';
import type { ReadinessInput } from '../../../../src/lib/core/readiness/types';
import type { QueryPort } from '../../../../src/lib/session/query-runner';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { useEngine, FIXTURES, loadFile } from '../../../support/engine';
import { readinessInput } from '../../../support/readiness';

/**
 * A setup statement the engine cannot run (ClickHouse refusing a spelling, a
 * timeout) no longer stops the whole audit: the checks that stage feeds each
 * say they could not run, with the statement that failed, and the others run.
 */

const duck = useEngine();
let input: ReadinessInput;

beforeAll(async () => {
  const loaded = await loadFile(duck, join(FIXTURES, 'profile/planted.csv'));
  input = readinessInput(loaded, 'planted', {
    target: 'active',
    eventTime: 'event_ts',
    source: 'source',
    segments: ['region'],
  });
}, 120_000);

afterAll(async () => {
  await duck?.close?.();
});

/** The engine, refusing the statements `fails` picks; `failed` lists what it refused. */
function refusing(fails: (sql: string, index: number) => boolean): QueryPort & { failed: string[] } {
  const failed: string[] = [];
  let index = 0;
  return {
    failed,
    query: async (sql) => {
      if (fails(sql, index++)) {
        failed.push(sql);
        throw new Error('Code: 46. DB::Exception: Function with name `planted_failure` does not exist.');
      }
      return duck.query(sql);
    },
    exec: (sql) => duck.exec(sql),
    cancel: () => duck.cancel(),
  };
}

const errors = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.id.endsWith(':error'));

describe('a failed setup statement degrades to "could not run" findings', () => {
  it('gives the time checks a major "could not run" finding when the time facts fail, and runs the rest', async () => {
    const port = refusing((sql) => sql.includes('"jan1__0"'));
    const findings = await runReadiness(port, input);
    expect(port.failed).toHaveLength(1);
    const failed = errors(findings);
    expect(failed.length).toBeGreaterThan(3);
    for (const f of failed) {
      expect(f.severity).toBe('major');
      expect(f.sql).toBe(port.failed[0]);
      expect(String(f.evidence.error)).toContain('planted_failure');
      const deps = checkById(f.check)!.dependsOn;
      expect(deps.includes('eventTime') || deps.includes('outcomeTime'), f.check).toBe(true);
    }
    expect(failed.map((f) => f.check)).toEqual(expect.arrayContaining(['time-future', 'coverage-span']));
    // Checks that read no time column ran as usual.
    const ran = new Set(findings.filter((f) => !f.id.endsWith(':error')).map((f) => f.check));
    expect([...ran]).toEqual(expect.arrayContaining(['volume-rows', 'volume-classes', 'labels-by-source']));
    expect(failed.some((f) => ran.has(f.check))).toBe(false);
  });

  it('gives every check that applies a "could not run" finding when the column facts fail', async () => {
    const port = refusing((_sql, index) => index === 0);
    const findings = await runReadiness(port, input);
    expect(port.failed).toHaveLength(1);
    const failed = errors(findings);
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.every((f) => f.sql === port.failed[0])).toBe(true);
    expect(findings.filter((f) => !f.id.endsWith(':error'))).toEqual([]);
  });
});
