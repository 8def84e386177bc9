import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ROOT } from '../../support/engine';

/** Rows enough that the native audit is still loading or analysing when the signal arrives. */
const ROWS = 800_000;

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-signals-'));
  csv = join(dir, 'big.csv');
  const out = createWriteStream(csv);
  out.write('id,amount,region,churned,day\n');
  const regions = ['north', 'south', 'east', 'west'];
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    chunk += `${i},${((i * 7919) % 100_000) / 100},${regions[i % 4]},${i % 3 === 0 ? 'yes' : 'no'},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}, 60_000);

const nativeFolders = (tmp: string): string[] =>
  readdirSync(tmp).filter((name) => name.startsWith('sprint-zero-native-'));

/**
 * Run the real CLI (one node process, so the signal reaches it, not a wrapper)
 * with TMPDIR in a fresh folder; once the native engine's temp folder exists,
 * send the signal.
 */
async function interrupt(signal: 'SIGINT' | 'SIGTERM'): Promise<{
  code: number | null;
  stderr: string;
  seen: string[];
  left: string[];
  out: string;
}> {
  const tmp = mkdtempSync(join(dir, `tmp-${signal}-`));
  const out = join(dir, `${signal}.audit.json`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/audit-cli.ts',
      '--engine',
      'native',
      csv,
      '--target',
      'churned',
      '--out',
      out,
    ],
    { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  let seen: string[] = [];
  const deadline = Date.now() + 60_000;
  while (seen.length === 0 && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = nativeFolders(tmp);
  }
  // Let the load begin, so the signal lands while DuckDB works and the folder holds the file.
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill(signal);
  const [code] = await exited;
  return { code, stderr, seen, left: nativeFolders(tmp), out };
}

describe('Ctrl-C and SIGTERM during a native audit', () => {
  it('SIGINT removes the sprint-zero-native temp folder, stops DuckDB and exits 130', async () => {
    const run = await interrupt('SIGINT');
    expect(run.seen).toHaveLength(1);
    expect(run.code).toBe(130);
    expect(run.left).toEqual([]);
    expect(run.stderr).toMatch(
      /^stopped \(SIGINT\): closing the engine and removing its temporary files\.$/m,
    );
    expect(run.stderr).not.toMatch(/\n\s+at |node:internal/);
    expect(existsSync(run.out)).toBe(false);
  }, 120_000);

  it('SIGTERM does the same and exits 143', async () => {
    const run = await interrupt('SIGTERM');
    expect(run.seen).toHaveLength(1);
    expect(run.code).toBe(143);
    expect(run.left).toEqual([]);
    expect(run.stderr).toMatch(/^stopped \(SIGTERM\)/m);
    expect(existsSync(run.out)).toBe(false);
  }, 120_000);
});
