import { readFile } from 'node:fs/promises';
import { formatCount, formatShare, plural } from '../core/format';
import { applyContextFile, parseContextFile } from '../core/deliverable/context-file';
import { newAudit } from '../core/model/document';
import { NO_ROLES, primaryDataset, setContext, setRoles } from '../core/audit/edits';
import { TaskTypeSchema, type AuditDocument } from '../core/model/audit';
import { roleColumns, type RoleSuggestions } from '../core/readiness/roles';
import type { DataSource } from '../engine/connector';
import type { AuditSession } from '../session';
import { rolesFromFlags, type CliFlags } from './flags';
import { quoted } from './output';
import { fileErrorText } from './errors';

type Log = (line: string) => void;

/**
 * The new audit the flags describe: named after the first file (or `--name`),
 * with the context file applied first, then `--as-of`, `--task`,
 * `--positive-class` and `--prediction-point`. Undefined after an error line.
 */
export async function auditFromFlags(
  paths: readonly string[],
  flags: CliFlags,
  log: Log,
): Promise<AuditDocument | undefined> {
  let audit = newAudit(
    flags.name ?? paths[0]!.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, ''),
    crypto.randomUUID(),
  );
  if (flags.context !== undefined) {
    // The context file first, so the flags given beside it win.
    try {
      audit = applyContextFile(audit, parseContextFile(await readFile(flags.context, 'utf8')));
    } catch (error) {
      log(`error: cannot use ${quoted(flags.context)}: ${fileErrorText(error)}`);
      return undefined;
    }
  }
  if (flags['as-of'] !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(flags['as-of']) || Number.isNaN(Date.parse(flags['as-of']))) {
      log(`error: --as-of must be a date like 2026-11-01, not ${quoted(flags['as-of'])}.`);
      return undefined;
    }
    audit = setContext(audit, { asOf: flags['as-of'] });
  }
  if (flags.task !== undefined) {
    const task = TaskTypeSchema.safeParse(flags.task);
    if (!task.success) {
      log(`error: --task must be binary, multiclass or regression, not ${quoted(flags.task)}.`);
      return undefined;
    }
    audit = setContext(audit, { task: task.data });
  }
  if (flags['positive-class'] !== undefined)
    audit = setContext(audit, { positiveClass: flags['positive-class'] });
  if (flags['prediction-point'] !== undefined)
    audit = setContext(audit, { predictionPoint: flags['prediction-point'] });
  return audit;
}

/** The session's events as CLI lines: errors, notices, task progress and the roles it suggested. */
export function logSessionEvents(
  session: AuditSession,
  log: Log,
  errorText: (error: unknown) => string,
  suggestionLines: (suggestions: RoleSuggestions) => string[],
): void {
  session.on('error', (error) => log(`error: ${errorText(error)}`));
  session.on('notice', (notice) => log(`${notice.kind}: ${notice.text}`));
  session.on('task', (task) => {
    if (task?.detail)
      log(
        `${task.fraction === undefined ? '' : `${formatShare(task.fraction, { digits: 0 })} `}${task.detail}`,
      );
  });
  session.on('roles-suggested', ({ suggestions }) => {
    log('roles suggested from the profile (set role flags, or pass --no-suggest, to choose yourself):');
    const lines = suggestionLines(suggestions);
    for (const line of lines.length > 0 ? lines : ['  (none)']) log(line);
  });
}

/**
 * Load the audited files, then the drift reference (after, and on its own,
 * so the audited file stays the primary dataset), and log what was loaded.
 * Undefined after an error line.
 */
export async function loadFiles(
  session: AuditSession,
  paths: readonly string[],
  flags: CliFlags,
  open: (path: string) => Promise<DataSource>,
  log: Log,
): Promise<{ loaded: string[]; referenceId?: string } | undefined> {
  const read = async (path: string): Promise<DataSource | undefined> => {
    try {
      return await open(path);
    } catch (error) {
      log(`error: cannot read ${quoted(path)}: ${fileErrorText(error)}`);
      return undefined;
    }
  };
  const sources: DataSource[] = [];
  for (const path of paths) {
    const source = await read(path);
    if (!source) return undefined;
    sources.push(source);
  }
  const outcome = await session.addSources(sources, flags.sheet ? { sheet: flags.sheet } : {}, {
    analyse: false,
  });
  if (outcome.failed.length > 0 || outcome.loaded.length === 0) return undefined;
  let referenceId: string | undefined;
  if (flags.reference !== undefined) {
    const source = await read(flags.reference);
    if (!source) return undefined;
    const reference = await session.addSources([source], {}, { analyse: false });
    if (reference.failed.length > 0 || reference.loaded.length === 0) return undefined;
    referenceId = reference.loaded[0];
  }
  return { loaded: outcome.loaded, ...(referenceId ? { referenceId } : {}) };
}

/** One line per loaded file: its name, sheet, rows, columns and load time. */
export function logLoaded(session: AuditSession, ids: readonly string[], log: Log): void {
  for (const id of ids) {
    const loaded = session.tables.get(id)!;
    log(
      `loaded ${quoted(loaded.fileName)}${loaded.sheet ? ` (sheet ${quoted(loaded.sheet)})` : ''}: ${plural(loaded.rowCount, 'row')} × ${plural(loaded.columns.length, 'column')} in ${formatCount(loaded.loadMs)} ms`,
    );
  }
}

/**
 * The role flags on the primary dataset, refused like the app's role editor
 * refuses them: a column the file lacks, or a time role on a column that does
 * not read as time. `--no-suggest` without role flags sets no roles. False
 * after an error line.
 */
export async function applyRoleFlags(session: AuditSession, flags: CliFlags, log: Log): Promise<boolean> {
  const primary = primaryDataset(session.audit!)!;
  const flagged = rolesFromFlags(flags);
  if (flagged) {
    const names = new Set(primary.columns.map((c) => c.name));
    const unknown = roleColumns(flagged).filter((c) => !names.has(c));
    if (unknown.length > 0) {
      log(
        `error: ${quoted(primary.fileName)} has no column ${unknown.map(quoted).join(', ')}. Columns: ${[...names].map(quoted).join(', ')}.`,
      );
      return false;
    }
    const problem = await session.timeRoleProblem(primary.id, flagged);
    if (problem !== undefined) {
      log(`error: ${problem}`);
      return false;
    }
  }
  const roles = flagged ?? (flags['no-suggest'] ? NO_ROLES : undefined);
  if (roles) await session.edit((current) => setRoles(current, primary.id, roles));
  return true;
}
