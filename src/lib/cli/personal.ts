import { markNotPersonal, markPersonal } from '../core/redact';
import type { AuditSession } from '../session';
import type { CliFlags } from './flags';
import { quoted } from './output';

/**
 * `--personal col` and `--not-personal col`: mark the column in every loaded
 * dataset that has it (a personal column is personal in every file of the
 * audit), before the analyses run, so drift and the metric plan leave it out
 * and every export masks it. A column found in no file is a usage error.
 */
export async function applyPersonalFlags(
  session: AuditSession,
  flags: CliFlags,
  log: (line: string) => void,
): Promise<boolean> {
  const personal = flags.personal ?? [];
  const notPersonal = flags['not-personal'] ?? [];
  if (personal.length === 0 && notPersonal.length === 0) return true;
  const audit = session.audit;
  if (!audit) return false;
  const both = personal.filter((c) => notPersonal.includes(c));
  if (both.length > 0) {
    log(`error: ${both.map(quoted).join(', ')} cannot be both --personal and --not-personal.`);
    return false;
  }
  const unknown = [...personal, ...notPersonal].filter(
    (c) => !audit.datasets.some((d) => d.columns.some((x) => x.name === c)),
  );
  if (unknown.length > 0) {
    log(`error: no loaded file has the column ${unknown.map(quoted).join(', ')}.`);
    return false;
  }
  await session.edit((current) => {
    let next = current;
    for (const d of current.datasets)
      for (const c of d.columns) {
        if (personal.includes(c.name)) next = markPersonal(next, d.id, c.name, true);
        if (notPersonal.includes(c.name)) next = markNotPersonal(next, d.id, c.name, true);
      }
    return next;
  });
  return true;
}
