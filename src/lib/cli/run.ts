import { plural } from '../core/format';
import { withDerivedVerdict } from '../core/audit/edits';
import { AuditDocumentSchema, type AuditDocument } from '../core/model/audit';
import { ASK_FIRST_ROLES, type RoleSuggestions } from '../core/readiness/roles';
import { VERDICT_LABELS, notAssessed } from '../core/readiness/verdict';
import type { DataSource } from '../engine/connector';
import { exportAuditFile } from '../report/audit-file';
import { exportContractFile } from '../report/contract-file';
import { redactLine } from '../core/redact';
import { applyPersonalFlags } from './personal';
import { sprint0HtmlReport } from '../report/sprint0-report';
import { sprint0MarkdownSummary } from '../report/markdown-summary';
import { AuditSession, memoryAuditStore, type SessionEngine } from '../session';
import { CLI_FLAGS, UsageError, helpText, parseCommandLine, usageText, type CliFlags } from './flags';
import { printable, quoted } from './output';
import { applyRoleFlags, auditFromFlags, loadFiles, logLoaded, logSessionEvents } from './audit-steps';
import { DRIFT_EXIT_CODE, cliDiff, cliDrift, wantsDrift } from './drift';
import { cliPlan } from './plan';
import { applyRelationFlags, relationLines } from './relations';
import { cliEngine, enginePaths, engineSourceFor, type CliEngineDeps } from './engine';
import { cliErrorText } from './errors';
import { onStopSignal } from './signals';
import { OutputWriteError, writeFileAtomic, writeProblem } from './write-file';
import { checkExportDir, cliExportContract } from './export-contract';
import type { MonitoringContract } from '../core/model/drift';

export interface CliResult {
  exitCode: 0 | 1 | 2 | 3 | 4 | 5;
  document?: AuditDocument;
  /** The monitoring contract, when drift ran. */
  contract?: MonitoringContract;
}

/** The exit code of each verdict; 2 is "not assessed": no target, so no verdict. */
export const EXIT_CODES = { ready: 0, 'not-assessed': 2, conditional: 3, 'not-ready': 4 } as const;

const SUGGESTED_ROLE_FLAG: Record<string, string> = Object.fromEntries(
  CLI_FLAGS.flatMap((f) => (f.role ? [[f.role, `--${f.name}`]] : [])),
);

/** The suggested roles as lines: the flag that would set each, the column and why. */
export function suggestionLines(suggestions: RoleSuggestions): string[] {
  const roles = suggestions.roles;
  const chosen = suggestions.suggestions.filter((s) =>
    s.role === 'segments' || s.role === 'excluded'
      ? roles[s.role].includes(s.column)
      : roles[s.role] === s.column,
  );
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of chosen) {
    const key = `${s.role}\u0000${s.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const flag = SUGGESTED_ROLE_FLAG[s.role] ?? s.role;
    lines.push(
      ASK_FIRST_ROLES.includes(s.role)
        ? `  ${flag} ${quoted(s.column)} (not applied: pass ${flag} ${quoted(s.column)} to use it): ${printable(s.reason)}`
        : `  ${flag} ${quoted(s.column)}: ${printable(s.reason)}`,
    );
  }
  const task = suggestions.task;
  if (task && roles.target === task.column)
    lines.push(
      `  --task ${task.task}: ${printable(task.reason)}${task.positiveReason ? ` ${printable(task.positiveReason)}` : ''}`,
    );
  return lines;
}

/** What a run takes from outside the command line; tests replace it. */
export interface CliRunOptions {
  /** How each path is opened; by default, as the chosen engine reads files. */
  openSource?: (path: string) => Promise<DataSource>;
  engine?: CliEngineDeps;
}

/**
 * Run a whole audit headless, on the same session the app uses, with the
 * Node engine and an in-memory store. Errors become a message and exit code
 * 1, never a stack trace. Every line passed to `log` is printable.
 */
export async function runCli(
  paths: readonly string[],
  flags: CliFlags,
  rawLog: (line: string) => void,
  options: CliRunOptions = {},
): Promise<CliResult> {
  // Every line is redacted like the audit file (issue 18): no personal value reaches stderr by default.
  const lineMode = flags['include-personal-values'] ? 'none' : 'personal';
  let audited: () => AuditDocument | undefined = () => undefined;
  // After Ctrl-C, the interrupted query's own errors are not worth printing.
  let interrupted = false;
  const log = (line: string): void => {
    if (!interrupted) rawLog(printable(redactLine(audited(), line, lineMode)));
  };
  if (paths.length === 0) {
    log('error: no file to audit.');
    return { exitCode: 1 };
  }
  const audit = await auditFromFlags(paths, flags, log);
  if (!audit) return { exitCode: 1 };

  let engine: SessionEngine;
  try {
    engine = await cliEngine(flags, options.engine);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    for (const line of usageText(error.message).split('\n')) log(line);
    return { exitCode: 1 };
  }
  const conn = engine.connector;
  // Closed once, by whichever comes first: the end of the run or Ctrl-C / SIGTERM.
  let closing: Promise<void> | undefined;
  const close = (exiting = false): Promise<void> => (closing ??= conn.close({ exiting }));
  const signals = onStopSignal(
    async () => {
      interrupted = true;
      await conn.cancel().catch(() => {});
      await close(true);
    },
    (signal) => log(`stopped (${signal}): closing the engine and removing its temporary files.`),
  );
  const open = options.openSource ?? engineSourceFor(flags);
  const session = new AuditSession({ engine, store: memoryAuditStore() });
  audited = () => session.audit;
  logSessionEvents(session, log, cliErrorText, suggestionLines);
  try {
    session.open(audit);
    const files = await loadFiles(session, paths, flags, open, log);
    if (!files) return { exitCode: 1 };
    if (!(await applyPersonalFlags(session, flags, log))) return { exitCode: 1 };
    logLoaded(session, files.loaded, log);
    if (!(await applyRoleFlags(session, flags, log))) return { exitCode: 1 };
    const given = files.loaded.map((id, i) => ({ id, path: paths[i]! }));
    if (!(await applyRelationFlags(session, flags, given, log))) return { exitCode: 1 };

    const analysed = await session.analyse({
      suggestRoles: !flags['no-suggest'],
      keepTask: flags.task !== undefined,
      // The plan step below computes the plan itself, with the --plan file when given.
      plan: false,
      baselines: !flags['no-baseline'],
      // Suggested relations are accepted like suggested roles: unless named (--relation) or declined.
      discoverRelations: !flags['no-suggest'],
      acceptSuggestedRelations: !flags['no-suggest'] && (flags.relation ?? []).length === 0,
    });
    if (analysed !== 'done') return { exitCode: 1 };
    for (const line of relationLines(session.audit!)) log(line);
    // The metric plan (issue 10): with --plan its checks, without it the baselines; findings join the verdict.
    if (!(await cliPlan(session, flags, log))) return { exitCode: 1 };
    const document = AuditDocumentSchema.parse(withDerivedVerdict(session.audit!));
    const verdict = document.verdict!;
    log(
      `verdict: ${VERDICT_LABELS[verdict.status]} (${plural(verdict.openBlockers.length, 'blocker')}, ${plural(verdict.openMajors.length, 'major')} open)`,
    );
    if (verdict.status === 'not-assessed') {
      log('incomplete: set a target (--target) to get a verdict.');
      for (const line of notAssessed(document.findings)) log(`  ${line}`);
    }
    if (wantsDrift(flags)) {
      const drift = await cliDrift(session, flags, files.referenceId, log);
      if (!drift.ok) return { exitCode: 1 };
      const withDrift = AuditDocumentSchema.parse(withDerivedVerdict(session.audit!));
      const exitCode =
        flags['fail-on-drift'] && drift.crossed ? DRIFT_EXIT_CODE : EXIT_CODES[withDrift.verdict!.status];
      return { exitCode, document: withDrift, ...(drift.contract ? { contract: drift.contract } : {}) };
    }
    return { exitCode: EXIT_CODES[verdict.status], document };
  } catch (error) {
    log(`error: ${cliErrorText(error)}`);
    return { exitCode: 1 };
  } finally {
    // Stopped by a signal: its handler closes the engine and exits; nothing more is printed or written.
    if (signals.stopping) await signals.exiting;
    signals.release();
    await close();
  }
}

/** Where the CLI writes: the audit file to stdout (or `--out`), messages to stderr. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Write a whole file; the default writes atomically (`writeFileAtomic`), so a failure keeps the old file. */
  writeFile: (path: string, text: string) => Promise<void>;
  /** How the engine is made (`CliEngineDeps`); tests share one per file. */
  engine?: CliEngineDeps;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (path, text) => writeFileAtomic(path, text),
};

/**
 * The whole command: parse the arguments, print help or a usage message, run
 * the audit and write the audit file. Returns the exit code. Whatever goes
 * wrong, it prints one sentence and returns 1, never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    return await command(argv, io);
  } catch (error) {
    io.stderr(`error: ${cliErrorText(error)}\n`);
    return 1;
  }
}

async function command(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${usageText(printable(error.message))}\n`);
    return 1;
  }
  const { flags } = parsed;
  // A ClickHouse server's table (--database, --table) stands where a file would.
  const files = enginePaths(parsed.files, flags);
  if (flags.help) {
    io.stdout(`${helpText()}\n`);
    return 0;
  }
  /** Write one output; false (after printing why) when it failed. */
  const write = async (path: string, text: () => string | Promise<string>): Promise<boolean> => {
    try {
      await io.writeFile(path, await text());
      return true;
    } catch (error) {
      io.stderr(
        `error: ${error instanceof OutputWriteError ? error.message : writeProblem(path, error, false)}\n`,
      );
      return false;
    }
  };
  if (flags.diff) {
    const diff = await cliDiff(files, (line) => io.stderr(`${line}\n`), {
      includePersonalValues: flags['include-personal-values'] === true,
    });
    if (diff.text === undefined) return diff.exitCode;
    if (!flags.out) io.stdout(diff.text);
    else if (!(await write(flags.out, () => diff.text!))) return 1;
    return diff.exitCode;
  }
  if (files.length === 0) {
    io.stderr(`${usageText('no file to audit.')}\n`);
    return 1;
  }
  // A folder that cannot hold the check exports is known before the audit runs.
  const exportDir = flags['export-contract'];
  try {
    if (exportDir) await checkExportDir(exportDir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${usageText(printable(error.message))}\n`);
    return 1;
  }
  const result = await runCli(
    files,
    flags,
    (line) => {
      if (!flags.quiet || line.startsWith('error:')) io.stderr(`${line}\n`);
    },
    io.engine ? { engine: io.engine } : {},
  );
  if (!result.document) return result.exitCode;
  const document = result.document;
  const redaction = flags['include-personal-values'] ? 'none' : 'personal';
  const { text } = exportAuditFile(document, { redaction });
  if (!flags.out) io.stdout(text);
  else if (!(await write(flags.out, () => text))) return 1;
  // The sprint-0 report and summary, from the same document and the same masking as the audit file.
  const generatedAt = new Date().toISOString();
  if (flags.html && !(await write(flags.html, () => sprint0HtmlReport(document, { generatedAt, redaction }))))
    return 1;
  if (
    flags.markdown &&
    !(await write(flags.markdown, () => sprint0MarkdownSummary(document, generatedAt, redaction)))
  )
    return 1;
  const contract = result.contract;
  if (
    flags.contract &&
    contract &&
    !(await write(flags.contract, () => exportContractFile(document, contract, redaction).text))
  )
    return 1;
  const say = (line: string): void => {
    if (!flags.quiet || line.startsWith('error:')) io.stderr(`${line}\n`);
  };
  if (exportDir && !(await cliExportContract(exportDir, document, redaction, say, io.writeFile))) return 1;
  return result.exitCode;
}
