import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import { generateChurnDataset, NO_DEFECTS } from '../../../scripts/lib/synthetic';
import { FIXTURES } from '../../support/engine';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/** Without role flags the CLI applies suggestions, but a source system only as a printed offer. */

let path: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sprint-zero-cli-source-'));
  path = join(dir, 'suggest.csv');
  writeFileSync(
    path,
    generateChurnDataset({ seed: 11, rows: 1500, asOf: '2026-11-01', defects: NO_DEFECTS }).csv,
  );
});

describe('CLI role suggestions', () => {
  it('prints the suggested source with the flag that would set it, and does not apply it', async () => {
    const lines: string[] = [];
    const result = await runCli([path], { 'as-of': '2026-11-01' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    const printed = lines.join('\n');
    expect(printed).toMatch(
      /^ {2}--source “source_system” \(not applied: pass --source “source_system” to use it\): \S.+$/m,
    );
    const roles = Object.values(result.document!.roles)[0]!;
    expect(roles.source).toBeUndefined();
    expect(roles.target).toBe('churned');
    expect(printed).toMatch(/^ {2}--task binary: 2 classes .*is the minority class/m);
  });

  it('iris: the suggested target sets the task to multiclass unless --task is given', async () => {
    const iris = join(FIXTURES, 'corpus/iris.csv');
    const lines: string[] = [];
    const suggested = await runCli([iris], { 'as-of': '2026-11-01' }, (l) => lines.push(l), {
      engine: cliEngine,
    });
    expect(suggested.document!.context.task).toBe('multiclass');
    expect(lines.join('\n')).toMatch(/^ {2}--task multiclass: 3 classes of text/m);
    const kept = await runCli([iris], { 'as-of': '2026-11-01', task: 'binary' }, () => {}, {
      engine: cliEngine,
    });
    expect(kept.document!.context.task).toBe('binary');
  });
});
