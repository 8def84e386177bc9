import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { quoted } from './output';
import { onStopSignal } from './signals';

/** The file operations an atomic write needs; tests swap one for a failing one. */
export interface WriteFs {
  writeFile: (path: string, text: string) => Promise<void>;
  rename: (from: string, to: string) => Promise<void>;
  rm: (path: string) => Promise<void>;
  exists: (path: string) => Promise<boolean>;
}

export const nodeWriteFs: WriteFs = {
  writeFile: (path, text) => writeFile(path, text, { flag: 'wx' }),
  rename,
  rm: (path) => rm(path, { force: true }),
  exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
};

/** A write that failed; the message says why in the user's words and what became of the old file. */
export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError';
}

/**
 * Write a whole file or nothing: the text goes to a temp file beside the
 * target (same folder, so the same file system), which is then renamed over
 * it. A full disk, a missing folder, a refused permission or Ctrl-C leaves the
 * old file as it was and no temp file behind; a failure throws an `OutputWriteError`.
 */
export async function writeFileAtomic(path: string, text: string, fs: WriteFs = nodeWriteFs): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const existed = await fs.exists(path).catch(() => false);
  // Ctrl-C mid-write removes the half-written temp file too.
  const signals = onStopSignal(() => fs.rm(temp));
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp).catch(() => {});
    throw new OutputWriteError(writeProblem(path, error, existed));
  } finally {
    signals.release();
  }
}

/** Why a file could not be written, for a consultant: the cause, and whether the previous file is kept. */
export function writeProblem(path: string, error: unknown, existed: boolean): string {
  const code = (error as { code?: unknown } | null)?.code;
  const kept = existed ? 'the previous file is kept' : 'nothing was written';
  const name = quoted(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `Could not write ${name}: the disk is full; ${kept}.`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `Could not write ${name}: the folder ${quoted(dirname(path))} does not exist; ${kept}.`;
    case 'EACCES':
    case 'EPERM':
      return `Could not write ${name}: permission denied in the folder ${quoted(dirname(path))}; ${kept}.`;
    case 'EROFS':
      return `Could not write ${name}: the disk is read-only; ${kept}.`;
    case 'EISDIR':
      return `Could not write ${name}: it is a folder; ${kept}.`;
    default:
      return `Could not write ${name}${typeof code === 'string' ? ` (${code})` : ''}; ${kept}.`;
  }
}
