import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { AuditDocument, RedactionMode } from '../core/model/audit';
import type { InteropFile } from '../core/interop';
import { plural } from '../core/format';
import { exportCheckFiles } from '../report/check-exports';
import { UsageError } from './flags';
import { quoted } from './output';
import { OutputWriteError, writeFileAtomic } from './write-file';

/** The folders `--export-contract DIR` always holds, whatever the spec (dbt's project layout). */
export const CHECK_EXPORT_FOLDERS = ['dbt/models', 'dbt/tests'] as const;

/** The file operations the export folder needs; tests swap them. */
export interface ExportDirFs {
  mkdir: (path: string) => Promise<void>;
  writeFile: (path: string, text: string) => Promise<void>;
}

export const nodeExportFs: ExportDirFs = {
  mkdir: async (path) => void (await mkdir(path, { recursive: true })),
  writeFile: (path, text) => writeFileAtomic(path, text),
};

/**
 * Fail before the audit runs when DIR cannot be the export folder: a file
 * already has its name. A missing folder is fine (it is created).
 */
export async function checkExportDir(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (found && !found.isDirectory())
    throw new UsageError(`--export-contract needs a folder, but ${quoted(dir)} is a file.`);
}

/** Why a folder could not be made, in words; the files already written stay. */
function folderProblem(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const name = quoted(path);
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return `Could not create the folder ${name}: a file on its path has that name.`;
    case 'EACCES':
    case 'EPERM':
      return `Could not create the folder ${name}: permission denied.`;
    case 'EROFS':
      return `Could not create the folder ${name}: the disk is read-only.`;
    case 'ENOSPC':
      return `Could not create the folder ${name}: the disk is full.`;
    default:
      return `Could not create the folder ${name}${typeof code === 'string' ? ` (${code})` : ''}.`;
  }
}

/**
 * Write the check files under `dir`: the folder and `dbt/models`, `dbt/tests`
 * are created, each file is written whole (atomically by default). Returns
 * the paths written, in order. A folder that cannot be made or a file that
 * cannot be written throws an `OutputWriteError` saying which and why.
 */
export async function writeCheckExportDir(
  dir: string,
  files: readonly InteropFile[],
  fs: ExportDirFs = nodeExportFs,
): Promise<string[]> {
  const made = new Set<string>();
  const makeDir = async (path: string): Promise<void> => {
    if (made.has(path)) return;
    try {
      await fs.mkdir(path);
    } catch (error) {
      throw new OutputWriteError(folderProblem(path, error));
    }
    made.add(path);
  };
  await makeDir(dir);
  for (const folder of CHECK_EXPORT_FOLDERS) await makeDir(join(dir, folder));
  const written: string[] = [];
  for (const file of files) {
    // Paths come from identifier-safe names; a path leaving DIR would be a writer's fault, never written.
    const inside = relative(resolve(dir), resolve(dir, file.path));
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
      throw new OutputWriteError(`Refused to write ${quoted(file.path)}: it is outside ${quoted(dir)}.`);
    const path = join(dir, file.path);
    await makeDir(dirname(path));
    await fs.writeFile(path, file.text);
    written.push(path);
  }
  return written;
}

/** The header every singular test this tool writes carries (core/interop/dbt): how its own files are told from the client's. */
const OWN_TEST = /^-- Rule .*, from the Sprint Zero audit /m;

/**
 * Remove the singular tests an earlier export wrote into `DIR/dbt/tests` that
 * this export no longer has (a rule that went away must not keep failing a
 * pipeline). Only `.sql` files carrying this tool's header go; a client's own
 * tests stay. Returns the paths removed.
 */
export async function removeStaleTests(dir: string, written: readonly string[]): Promise<string[]> {
  const folder = join(dir, 'dbt/tests');
  const keep = new Set(written.map((path) => resolve(path)));
  const removed: string[] = [];
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const path = join(folder, name);
    if (!name.endsWith('.sql') || keep.has(resolve(path))) continue;
    const head = (await readFile(path, 'utf8').catch(() => '')).slice(0, 2_000);
    if (!OWN_TEST.test(head)) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/**
 * `--export-contract DIR`: the audit's checks as ODCS, dbt, Great
 * Expectations, Soda, Croissant and the dataset card, redacted like the
 * audit file. Logs the files written; false (after logging why) on failure.
 */
export async function cliExportContract(
  dir: string,
  document: AuditDocument,
  redaction: RedactionMode,
  log: (line: string) => void,
  writeFile: ExportDirFs['writeFile'] = nodeExportFs.writeFile,
): Promise<boolean> {
  try {
    const files = exportCheckFiles(document, redaction);
    const written = await writeCheckExportDir(dir, files, { ...nodeExportFs, writeFile });
    const stale = await removeStaleTests(dir, written);
    log(`check exports: ${plural(written.length, 'file')} in ${quoted(dir)}`);
    for (const path of written) log(`  ${path}`);
    if (stale.length > 0)
      log(
        `  removed ${plural(stale.length, 'test')} an earlier export wrote that no longer apply: ${stale.map(quoted).join(', ')}`,
      );
    return true;
  } catch (error) {
    if (!(error instanceof OutputWriteError)) throw error;
    log(`error: ${error.message}`);
    return false;
  }
}
