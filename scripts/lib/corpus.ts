import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRunOptions } from '../../src/lib/cli/run';
import { parseCommandLine } from '../../src/lib/cli/flags';
import type { AuditDocument, Finding } from '../../src/lib/core/model/audit';
import { CORPUS, type CorpusEntry } from '../../tests/fixtures/corpus/manifest';

export const CORPUS_DIR = fileURLToPath(new URL('../../tests/fixtures/corpus/', import.meta.url));

/** What the audit said of one corpus dataset, against what we would sign. */
export interface CorpusOutcome {
  entry: CorpusEntry;
  verdict: string;
  exitCode: number;
  /** Blocker and major findings, each judged true (listed in `expected`) or false. */
  serious: { finding: Finding; judgedTrue: boolean }[];
  /** Expected findings the audit did not raise as blocker or major. */
  missed: string[];
  /** `mentions` the audit did not make at any severity. */
  missedMentions: string[];
  findings: Finding[];
  /** The feasibility step's result, as the audit carries it. */
  feasibility: AuditDocument['feasibility'];
  log: string[];
}

/** A finding matches an expectation key `check` or `check:column`. */
export function matchesKey(finding: Finding, key: string): boolean {
  const [check, ...rest] = key.split(':');
  if (finding.check !== check) return false;
  const column = rest.join(':');
  return column === '' || finding.columns.includes(column);
}

/** Audit one corpus file through the CLI's own code path, with the manifest's flags (`options`: how the engine is made). */
export async function auditCorpusEntry(
  entry: CorpusEntry,
  options: CliRunOptions = {},
): Promise<CorpusOutcome> {
  const { files, flags } = parseCommandLine([join(CORPUS_DIR, entry.file), ...entry.flags]);
  const log: string[] = [];
  const result = await runCli(files, flags, (line) => log.push(line), options);
  const findings = result.document?.datasets.length ? result.document.findings : [];
  const verdict = result.document?.verdict?.status ?? `error (exit ${result.exitCode})`;
  const keys = Object.keys(entry.expected);
  const serious = findings
    .filter((f) => f.severity === 'blocker' || f.severity === 'major')
    .map((finding) => ({ finding, judgedTrue: keys.some((k) => matchesKey(finding, k)) }));
  const missed = keys.filter((k) => !serious.some((s) => matchesKey(s.finding, k)));
  const missedMentions = Object.keys(entry.mentions ?? {}).filter(
    (k) => !findings.some((f) => matchesKey(f, k)),
  );
  const feasibility = result.document?.feasibility;
  return {
    entry,
    verdict,
    exitCode: result.exitCode,
    serious,
    missed,
    missedMentions,
    findings,
    feasibility,
    log,
  };
}

export { CORPUS };
