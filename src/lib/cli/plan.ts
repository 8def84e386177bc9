import { readFile } from 'node:fs/promises';
import { parsePlan } from '../core/plan/document';
import { evaluatePlan, ruleLabel } from '../core/plan/evaluate';
import { formatShare, plural } from '../core/format';
import type { MetricPlan } from '../core/model/plan';
import { errorText } from '../engine/errors';
import type { AuditSession } from '../session';
import type { CliFlags } from './flags';
import { printable, quoted } from './output';

/** Read and validate the `--plan` file; a message instead when it cannot be used. */
export async function readPlanFile(path: string): Promise<{ plan: MetricPlan } | { message: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { message: `cannot read ${quoted(path)}: ${errorText(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { message: `${quoted(path)} is not JSON: ${errorText(error)}` };
  }
  const parsed = parsePlan(json);
  return parsed.ok ? { plan: parsed.plan } : { message: `${quoted(path)}: ${parsed.message}` };
}

/**
 * The metric plan step of the CLI, after the readiness audit: with `--plan`,
 * the plan's baselines and checks; without it, prevalence, the majority and
 * rule baselines (when a target is set). Both go into the audit document.
 * Returns false on an error that should fail the run (a bad plan file).
 */
export async function cliPlan(
  session: AuditSession,
  flags: CliFlags,
  log: (line: string) => void,
): Promise<boolean> {
  let plan: MetricPlan | undefined;
  if (typeof flags.plan === 'string') {
    const read = await readPlanFile(flags.plan);
    if ('message' in read) {
      log(`error: ${printable(read.message)}`);
      return false;
    }
    plan = read.plan;
  }
  const outcome = await session.plan(plan);
  if (outcome.status === 'no-target') {
    if (plan) log('warning: --plan needs a target column (--target); the plan was not checked.');
    return true;
  }
  if (outcome.status !== 'done' || !outcome.results) {
    log(`error: metric plan: ${printable(outcome.message ?? outcome.status)}`);
    return false;
  }
  const results = outcome.results;
  const e = evaluatePlan(plan, results);
  const pct = (x: number | null): string => (x === null ? '?' : formatShare(x));
  if (results.prevalence !== null)
    log(
      `plan: prevalence ${pct(results.prevalence)}; always "${printable(results.majorityLabel ?? '')}" is ${pct(results.majorityAccuracy)} accurate`,
    );
  if (e.bestRule)
    log(
      `plan: best single-column rule ${printable(ruleLabel(e.bestRule))}: precision ${pct(e.bestRule.precision)}, recall ${pct(e.bestRule.recall)}`,
    );
  const left = results.excludedColumns
    .filter((c) => c.reason === 'leakage finding')
    .map((c) => quoted(c.column));
  if (left.length > 0) log(`plan: left out of the rule search (leakage findings): ${left.join(', ')}`);
  if (e.operatingPoint?.flaggedPerPeriod != null)
    log(
      `plan: the target flags ${pct(e.operatingPoint.flaggedShare)}, about ${plural(e.operatingPoint.flaggedPerPeriod, 'case')} a ${e.operatingPoint.period}`,
    );
  return true;
}
