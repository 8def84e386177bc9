import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main, runCli, type CliIO } from '../../../src/lib/cli';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { FIXTURES } from '../../support/engine';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/** No target means no verdict (issue 17 §5): the CLI says so and exits 2. */

const ENGEL = join(FIXTURES, 'corpus/engel.csv');

function captured(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    writeFile: () => Promise.resolve(),
    engine: cliEngine,
  };
}

describe('an audit without a target', () => {
  it('is Not assessed, exits 2 and names the checks that could not run in plain words', async () => {
    const lines: string[] = [];
    const result = await runCli(
      [ENGEL],
      { 'no-suggest': true, 'as-of': '2026-11-01' },
      (l) => lines.push(l),
      { engine: cliEngine },
    );
    expect(result.exitCode).toBe(2);
    expect(result.document?.verdict?.status).toBe('not-assessed');
    const log = lines.join('\n');
    expect(log).toMatch(/^verdict: Not assessed \(/m);
    expect(log).toMatch(/^incomplete: set a target \(--target\) to get a verdict\.$/m);
    expect(log).toMatch(/No target, so these were not checked: .*missing labels.*leakage/);
    const noTarget = result.document?.findings.find((f) => f.check === 'labels-no-target');
    expect(noTarget?.severity).toBe('info');
  });

  it('exits 2 through main and writes an audit file that reads back as Not assessed', async () => {
    const io = captured();
    expect(await main([ENGEL, '--no-suggest', '--as-of', '2026-11-01', '--quiet'], io)).toBe(2);
    const document = AuditDocumentSchema.parse(JSON.parse(io.out.join('')));
    expect(document.verdict?.status).toBe('not-assessed');
    expect(io.err).toEqual([]);
  });

  it('gives a verdict again once the target is set: engel with its target is not exit 2', async () => {
    const result = await runCli(
      [ENGEL],
      { target: 'foodexp', task: 'regression', 'as-of': '2026-11-01' },
      () => {},
      { engine: cliEngine },
    );
    expect(result.document?.verdict?.status).not.toBe('not-assessed');
    expect(result.exitCode).not.toBe(2);
    expect([0, 3, 4]).toContain(result.exitCode);
  });
});
