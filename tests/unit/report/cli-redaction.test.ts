import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { main, type CliIO } from '../../../src/lib/cli';
import { ROOT } from '../../support/engine';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/** Run the CLI in this process and keep what it writes to stdout. */
async function audit(...flags: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const io: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: () => {},
    writeFile: async () => {},
    engine: cliEngine,
  };
  const code = await main(
    [join(ROOT, 'public/demo/customer-churn.csv'), '--target', 'churned', '--as-of', '2026-11-01', ...flags],
    io,
  );
  return { code, text: out.join('') };
}

describe('CLI audit file and personal data', () => {
  it('masks personal values by default and keeps them only with --include-personal-values', async () => {
    const masked = await audit();
    expect(masked.code).toBe(4);
    const document = JSON.parse(masked.text) as { redaction: { mode: string; maskedColumns: number } };
    expect(document.redaction.mode).toBe('personal');
    expect(document.redaction.maskedColumns).toBeGreaterThanOrEqual(3);
    expect(masked.text).not.toMatch(/[a-z]+\.[a-z]+@[a-z]+\.example/);

    const kept = await audit('--include-personal-values');
    expect((JSON.parse(kept.text) as { redaction: { mode: string } }).redaction.mode).toBe('none');
    expect(kept.text).toMatch(/[a-z]+\.[a-z]+@[a-z]+\.example/);
  }, 240_000);
});
