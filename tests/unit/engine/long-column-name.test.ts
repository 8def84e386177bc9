import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import { AuditDocumentSchema } from '../../../src/lib/core/model/audit';
import { MAX_COLUMN_NAME_LENGTH, shortenedColumnNames } from '../../../src/lib/engine/column-names';
import { sharedCliEngine } from '../../support/cli-engine';

const cliEngine = sharedCliEngine();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-long-name-'));
});

describe('a column name longer than the audit document holds', () => {
  it('audits end to end: the CLI exits with a verdict, not a zod dump, and the document validates', async () => {
    // Issue 18 §5: a 1,200-character name reached the metric plan's rule search (at most 1,000) and
    // the CLI printed the schema error with exit 1.
    const path = join(dir, 'long-name.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i % 7},${i % 2}`).join('\n');
    writeFileSync(path, `id,${'c'.repeat(1200)},target\n${rows}\n`);
    const lines: string[] = [];
    const result = await runCli([path], { target: 'target', id: 'id' }, (line) => lines.push(line), {
      engine: cliEngine,
    });
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect([0, 3, 4]).toContain(result.exitCode);
    const document = AuditDocumentSchema.parse(result.document);
    const names = document.datasets[0]!.columns.map((c) => c.name);
    expect(names[1]).toBe(`${'c'.repeat(MAX_COLUMN_NAME_LENGTH - 4)}…`);
    expect(document.datasets[0]!.warnings.join(' ')).toMatch(/column 2 \(1,200 characters\) is now/);
  }, 120_000);

  it('keeps names at the limit, and shortened names stay distinct whatever their case', () => {
    const atLimit = 'x'.repeat(MAX_COLUMN_NAME_LENGTH);
    const stem = 'A'.repeat(MAX_COLUMN_NAME_LENGTH - 4);
    const renamed = shortenedColumnNames([atLimit, `${'a'.repeat(400)}1`, `${'A'.repeat(400)}2`, `${stem}…`]);
    expect(renamed.has(0)).toBe(false);
    expect(renamed.get(1)).toBe(`${'a'.repeat(MAX_COLUMN_NAME_LENGTH - 4)}…_2`);
    expect(renamed.get(2)).toBe(`${stem}…_3`);
  });
});
