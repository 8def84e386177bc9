import { ZodError } from 'zod';
import { AuditImportError } from '../core/model/document';
import { ContextFileError } from '../core/deliverable/context-file';
import { EngineSetupError } from '../engine/clickhouse-errors';
import { LoadError } from '../engine/errors';
import { SessionError } from '../session';
import { UsageError } from './flags';
import { printable } from './output';
import { OutputWriteError } from './write-file';

/** The longest part of an unexpected error's own text the CLI repeats. */
const MAX_DETAIL = 300;

/** Errors whose message is written for the user already. */
const OWN_MESSAGES = [
  AuditImportError,
  ContextFileError,
  EngineSetupError,
  LoadError,
  UsageError,
  OutputWriteError,
];

/** Where a zod error failed: its first few paths. */
function schemaPaths(error: ZodError): string {
  const paths = [...new Set(error.issues.map((i) => i.path.join('.') || '(root)'))];
  return printable(paths.slice(0, 3).join(', ')).slice(0, MAX_DETAIL);
}

/**
 * One sentence for any error that reaches the CLI's surface: never a stack
 * trace and never zod's JSON list of issues. Errors written for the user keep
 * their message; a schema failure says where; anything else is unexpected,
 * with the first line of its own text.
 */
export function cliErrorText(error: unknown): string {
  if (error instanceof SessionError && error.cause instanceof ZodError) error = error.cause;
  if (error instanceof ZodError)
    return `the audit document failed its own schema check (at ${schemaPaths(error)}), so nothing was written. This is a fault in Sprint Zero: please report it with the command line.`;
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // The first line only: a library's message may carry a dump or a stack after it.
  const first = printable(text.split('\n', 1)[0] ?? '').trim();
  if ((error instanceof SessionError || OWN_MESSAGES.some((type) => error instanceof type)) && first !== '')
    return first.slice(0, 4 * MAX_DETAIL);
  const detail = first.slice(0, MAX_DETAIL).replace(/[.!?]+$/, '');
  return `Sprint Zero stopped on an unexpected problem${detail ? ` (${detail})` : ''}. Please report it with the command line.`;
}

/** Node's file system codes, in words. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a folder on its path is a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an input/output error',
};

/** Why a file could not be read or opened: the file system's reason in words, or `cliErrorText`. */
export function fileErrorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return FILE_PROBLEMS[code] ?? `the system said ${code}`;
  return cliErrorText(error);
}
