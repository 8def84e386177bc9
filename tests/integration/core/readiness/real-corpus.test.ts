import { describe, expect, it } from 'vitest';
import { auditCorpusEntry, CORPUS } from '../../../../scripts/lib/corpus';
import { sharedCliEngine } from '../../../support/cli-engine';

/** One engine for every corpus audit of this file (an engine start is most of a small file's audit). */
const cliEngine = sharedCliEngine();

/**
 * The real-data corpus (tests/fixtures/corpus): public datasets nobody here prepared, each
 * audited through the CLI's code path with the roles a senior data scientist would set. The
 * audit must reach the verdict we would sign, raise every blocker or major we judge true, and
 * no other blocker or major.
 */
describe('the real-data corpus reaches the verdicts we would sign', () => {
  it('holds at least 20 datasets', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS.map((entry) => [entry.file, entry] as const))('%s', async (_file, entry) => {
    const outcome = await auditCorpusEntry(entry, { engine: cliEngine });
    const serious = outcome.serious.map(
      ({ finding, judgedTrue }) =>
        `${judgedTrue ? 'true' : 'FALSE'} ${finding.severity} ${finding.check} [${finding.columns.join(', ')}] ${finding.title}`,
    );
    expect(outcome.exitCode, outcome.log.join('\n')).not.toBe(1);
    expect(serious.filter((line) => line.startsWith('FALSE'))).toEqual([]);
    expect(outcome.missed).toEqual([]);
    expect(outcome.missedMentions).toEqual([]);
    expect(outcome.verdict).toBe(entry.verdict);
  });
});
