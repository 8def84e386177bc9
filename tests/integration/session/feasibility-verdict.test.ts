import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { sharedCliEngine } from '../../support/cli-engine';
import {
  SYNTHETIC_POSITIVE,
  SYNTHETIC_TARGET,
  flippedLabelsCsv,
  learnableBinaryCsv,
  pureNoiseCsv,
} from '../../fixtures/feasibility/synthetic';

/**
 * The three new-user cases through the CLI's code path: pure-chance
 * labels and 10 % flipped labels used to come out Ready; a learnable table
 * must stay quiet. Each runs the whole audit, feasibility included.
 */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sz-feasibility-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

async function audit(name: string, csv: string, extra: Record<string, string | boolean> = {}) {
  const path = join(dir, name);
  writeFileSync(path, csv);
  const flags = {
    target: SYNTHETIC_TARGET,
    'positive-class': SYNTHETIC_POSITIVE,
    task: 'binary',
    'as-of': '2026-11-01',
    ...extra,
  };
  const result = await runCli([path], flags, () => {}, { engine: cliEngine });
  return { exitCode: result.exitCode, doc: result.document as AuditDocument };
}

const feasibilityFindings = (doc: AuditDocument) =>
  doc.findings.filter((f) => f.check.startsWith('feasibility-'));

describe('feasibility in the verdict', () => {
  it('blocks pure-chance labels: no learnable signal, Not ready, band B', async () => {
    const { exitCode, doc } = await audit('noise.csv', pureNoiseCsv(4_000, 11));
    const [signal] = feasibilityFindings(doc).filter((f) => f.check === 'feasibility-no-signal');
    expect(signal?.severity).toBe('blocker');
    expect(signal?.evidence.aucLower as number).toBeLessThanOrEqual(0.5);
    expect(signal?.evidence.aucUpper as number).toBeGreaterThanOrEqual(0.5);
    expect(doc.verdict?.status).toBe('not-ready');
    expect(exitCode).not.toBe(0);
    expect(doc.feasibility?.band).toBe('B');
  }, 180_000);

  it('reads 10 % random flips as label noise within four points, a major finding', async () => {
    const { doc } = await audit('flipped.csv', flippedLabelsCsv(4_000, 0.1, 5));
    const noise = doc.feasibility?.labelNoise;
    expect(Math.abs(noise!.estimate - 0.1)).toBeLessThanOrEqual(0.04);
    expect(noise?.interpretable).toBe(true);
    const [finding] = feasibilityFindings(doc).filter((f) => f.check === 'feasibility-label-noise');
    expect(finding?.severity).toBe('major');
  }, 180_000);

  it('stays quiet on a learnable table: signal found, no feasibility blocker or major', async () => {
    const { doc } = await audit('learnable.csv', learnableBinaryCsv(4_000, 3));
    const serious = feasibilityFindings(doc).filter(
      (f) => f.severity === 'blocker' || f.severity === 'major',
    );
    expect(serious).toEqual([]);
    expect(feasibilityFindings(doc).find((f) => f.check === 'feasibility-no-signal')?.title).toContain(
      'Signal found',
    );
  }, 180_000);

  it('records the baselines as skipped with --no-baseline', async () => {
    const { doc } = await audit('skipped.csv', learnableBinaryCsv(500, 3), { 'no-baseline': true });
    expect(doc.feasibility?.status).toBe('not-run');
    expect(doc.feasibility?.reason).toContain('--no-baseline');
    expect(feasibilityFindings(doc)).toEqual([]);
  }, 120_000);
});
