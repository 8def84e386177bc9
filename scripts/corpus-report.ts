/**
 * Audits every dataset of the real-data corpus (tests/fixtures/corpus) through the CLI's code
 * path and prints, per dataset, the verdict against the one we would sign and every blocker or
 * major finding, judged true or false by the manifest; then the false-finding rate.
 * `npm run corpus [-- name …] [--all]` (`--all` also lists minor findings).
 */
import { auditCorpusEntry, CORPUS } from './lib/corpus';
import { feasibilitySummary } from './lib/corpus-feasibility';

const args = process.argv.slice(2);
const showMinor = args.includes('--all');
const only = args.filter((a) => !a.startsWith('--'));
let serious = 0;
let falseFindings = 0;
let signed = 0;
let missed = 0;
const entries = CORPUS.filter((e) => only.length === 0 || only.some((o) => e.file.includes(o)));
for (const entry of entries) {
  const outcome = await auditCorpusEntry(entry);
  const agree = outcome.verdict === entry.verdict;
  if (agree && outcome.missed.length === 0 && outcome.serious.every((s) => s.judgedTrue)) signed += 1;
  console.log(`\n## ${entry.file}: ${outcome.verdict}${agree ? '' : ` (we would sign: ${entry.verdict})`}`);
  console.log(`  ${feasibilitySummary(outcome.feasibility)}`);
  for (const { finding, judgedTrue } of outcome.serious) {
    serious += 1;
    if (!judgedTrue) falseFindings += 1;
    console.log(
      `  ${judgedTrue ? 'true ' : 'FALSE'} ${finding.severity.padEnd(7)} ${finding.check} [${finding.columns.join(', ')}] ${finding.title}`,
    );
  }
  for (const key of outcome.missed) {
    missed += 1;
    console.log(`  MISSED ${key}: ${entry.expected[key]}`);
  }
  for (const key of outcome.missedMentions) console.log(`  NOT MENTIONED ${key}: ${entry.mentions?.[key]}`);
  if (showMinor)
    for (const f of outcome.findings.filter((x) => x.severity === 'minor' || x.severity === 'info'))
      console.log(`        ${f.severity.padEnd(7)} ${f.check} [${f.columns.join(', ')}] ${f.title}`);
  if (outcome.exitCode === 1) console.log(outcome.log.filter((l) => l.startsWith('error')).join('\n'));
}
const rate = serious === 0 ? 0 : falseFindings / serious;
console.log(
  `\n${entries.length} datasets: ${serious} blocker/major findings, ${falseFindings} judged false (${(rate * 100).toFixed(0)} %), ${missed} expected findings missed; verdicts we would sign as they stand: ${signed} of ${entries.length}.`,
);
