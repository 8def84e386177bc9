import { parseArgs } from 'node:util';
import type { ColumnRoles } from '../core/model/audit';

/** A column role a flag sets. */
export type RoleKey = Exclude<keyof ColumnRoles, never>;

/** One command-line flag, described once: the parser, the help text and the role mapping read it. */
export interface FlagSpec {
  name: string;
  short?: string;
  kind: 'string' | 'boolean';
  /** May be given several times (collected into a list). */
  multiple?: boolean;
  /** Placeholder shown in the help, e.g. `col`. */
  value?: string;
  /** The column role this flag sets, if any. */
  role?: RoleKey;
  help: string;
}

/**
 * Every flag the CLI accepts. A feature adds its flag here (and reads it in
 * `run.ts`); parsing, validation and `--help` follow.
 */
export const CLI_FLAGS: readonly FlagSpec[] = [
  {
    name: 'out',
    short: 'o',
    kind: 'string',
    value: 'file',
    help: 'Write the audit file here (default: stdout).',
  },
  { name: 'name', kind: 'string', value: 'text', help: 'Audit name (default: the first file name).' },
  {
    name: 'target',
    kind: 'string',
    value: 'col',
    role: 'target',
    help: 'Target column: the label to predict.',
  },
  { name: 'id', kind: 'string', value: 'col', role: 'id', help: 'Entity id column (customer, account…).' },
  {
    name: 'time',
    kind: 'string',
    value: 'col',
    role: 'eventTime',
    help: 'Event time column (the prediction point).',
  },
  {
    name: 'outcome-time',
    kind: 'string',
    value: 'col',
    role: 'outcomeTime',
    help: 'Outcome time column, when the outcome date is recorded.',
  },
  { name: 'source', kind: 'string', value: 'col', role: 'source', help: 'Source-system column.' },
  {
    name: 'segment',
    kind: 'string',
    multiple: true,
    value: 'col',
    role: 'segments',
    help: 'Segment column whose coverage is checked (repeatable).',
  },
  {
    name: 'exclude',
    kind: 'string',
    multiple: true,
    value: 'col',
    role: 'excluded',
    help: 'Column kept out of the candidate features (repeatable).',
  },
  {
    name: 'relation',
    kind: 'string',
    multiple: true,
    value: 'child.csv:column=parent.csv:column',
    help: "Related tables: the child's column points at the parent's key (repeatable). A file is named by its path as given, or its file name. Read at the last '=' and each side's last ':'; a name holding ':' or '=' is matched against the loaded files and columns.",
  },
  {
    name: 'no-suggest',
    kind: 'boolean',
    help: 'Without role flags, do not apply the suggested roles; do not look for relations between the files either (by default both are applied and printed).',
  },
  { name: 'as-of', kind: 'string', value: 'YYYY-MM-DD', help: 'As-of date of the extract (default: today).' },
  {
    name: 'task',
    kind: 'string',
    value: 'binary|multiclass|regression',
    help: 'Task type (default: binary).',
  },
  { name: 'positive-class', kind: 'string', value: 'value', help: 'Target value of the positive class.' },
  { name: 'prediction-point', kind: 'string', value: 'text', help: 'When a prediction is made, in words.' },
  { name: 'sheet', kind: 'string', value: 'name', help: 'Excel sheet to read (default: the largest sheet).' },
  {
    name: 'include-personal-values',
    kind: 'boolean',
    help: 'Keep the values of personal-data columns in the audit file (masked by default).',
  },
  {
    name: 'personal',
    kind: 'string',
    multiple: true,
    value: 'column',
    help: 'Treat this column as personal data in every file (its values are masked everywhere); repeatable.',
  },
  {
    name: 'not-personal',
    kind: 'string',
    multiple: true,
    value: 'column',
    help: 'This column is not personal data, whatever its name or values suggest; repeatable.',
  },
  {
    name: 'context',
    kind: 'string',
    value: 'file',
    help: 'JSON file with the non-data sections (context, constraints, system and team maps, timeline, cost, sign-off).',
  },
  {
    name: 'html',
    kind: 'string',
    value: 'file',
    help: 'Also write the sprint-0 report (one self-contained HTML file).',
  },
  { name: 'markdown', kind: 'string', value: 'file', help: 'Also write the sprint-0 summary in Markdown.' },
  {
    name: 'reference',
    kind: 'string',
    value: 'file',
    help: 'Drift: compare the audited file (current) with this reference file (e.g. the training extract).',
  },
  {
    name: 'split-at',
    kind: 'string',
    value: 'YYYY-MM-DD',
    help: 'Drift: split the audited file at this date of --time; earlier rows are the reference.',
  },
  {
    name: 'reference-source',
    kind: 'string',
    multiple: true,
    value: 'value',
    help: 'Drift: rows whose --source is this value form the reference; the others are current (repeatable).',
  },
  {
    name: 'contract',
    kind: 'string',
    value: 'file',
    help: 'Also write the monitoring contract (statistics, reference bins, thresholds, SQL) to this file.',
  },
  {
    name: 'export-contract',
    kind: 'string',
    value: 'DIR',
    help: 'Also write the checks to run in the client’s pipeline into this folder: an ODCS contract, dbt tests (DIR/dbt/models, DIR/dbt/tests), a Great Expectations suite, a Soda contract, Croissant metadata and a dataset card (personal values masked like the audit file).',
  },
  {
    name: 'fail-on-drift',
    kind: 'boolean',
    help: 'Exit with code 5 when a drift threshold is crossed (the CLI as the monitoring job).',
  },
  {
    name: 'diff',
    kind: 'boolean',
    help: 'Compare two audit files (old, then new): findings, moved statistics, columns. No data needed.',
  },
  {
    name: 'plan',
    kind: 'string',
    value: 'file',
    help: 'Metric plan (JSON, schema/metric-plan.schema.json): its baselines and checks go into the audit. Without it, prevalence and the baselines are still computed for the target.',
  },
  {
    name: 'no-baseline',
    kind: 'boolean',
    help: 'Skip the feasibility baselines (signal, learning curve, label noise); the audit records them as skipped.',
  },
  {
    name: 'engine',
    kind: 'string',
    value: 'wasm|native|chdb|clickhouse',
    help: 'wasm (default): DuckDB-WASM, the app’s engine. native: DuckDB on all cores, spilling to disk, reading Parquet folders and globs. chdb: embedded ClickHouse (npm install --save-dev chdb), reading CSV, Parquet and JSON files and folders. clickhouse: a ClickHouse server (--url, --database, --table), read in place.',
  },
  {
    name: 'url',
    kind: 'string',
    value: 'http://host:8123',
    help: 'ClickHouse engine: the server’s HTTP address.',
  },
  {
    name: 'database',
    kind: 'string',
    value: 'name',
    help: 'ClickHouse engine: the database holding --table.',
  },
  {
    name: 'table',
    kind: 'string',
    value: 'name',
    help: 'ClickHouse engine: the table to audit, read in place (no file argument needed).',
  },
  {
    name: 'user',
    kind: 'string',
    value: 'name',
    help: 'ClickHouse engine: user name (default: default); the password is read from CLICKHOUSE_PASSWORD.',
  },
  {
    name: 'query-timeout',
    kind: 'string',
    value: 'seconds',
    help: 'ClickHouse engines: stop any statement that runs longer (default: none for chdb, 600 s on a server).',
  },
  {
    name: 'memory-limit',
    kind: 'string',
    value: 'size',
    help: 'Native engine: DuckDB memory limit such as 8GB; beyond it, work spills to --temp-dir.',
  },
  { name: 'temp-dir', kind: 'string', value: 'dir', help: 'Native engine: where DuckDB spills.' },
  {
    name: 'threads',
    kind: 'string',
    value: 'n',
    help: 'Native engine: worker threads (default: all cores).',
  },
  { name: 'quiet', short: 'q', kind: 'boolean', help: 'Print nothing on stderr but errors.' },
  { name: 'help', short: 'h', kind: 'boolean', help: 'Show this help and exit.' },
];

/** Parsed flag values, by flag name. Lists for repeatable flags, booleans for switches. */
export type CliFlags = Partial<Record<string, string | boolean | string[]>> & {
  target?: string;
  id?: string;
  time?: string;
  'outcome-time'?: string;
  source?: string;
  segment?: string[];
  exclude?: string[];
  relation?: string[];
  'no-suggest'?: boolean;
  'no-baseline'?: boolean;
  'as-of'?: string;
  task?: string;
  'positive-class'?: string;
  'prediction-point'?: string;
  name?: string;
  sheet?: string;
  out?: string;
  quiet?: boolean;
  help?: boolean;
  'include-personal-values'?: boolean;
  personal?: string[];
  'not-personal'?: string[];
  context?: string;
  html?: string;
  markdown?: string;
  reference?: string;
  'split-at'?: string;
  'reference-source'?: string[];
  contract?: string;
  'export-contract'?: string;
  'fail-on-drift'?: boolean;
  diff?: boolean;
  plan?: string;
  engine?: string;
  'memory-limit'?: string;
  'temp-dir'?: string;
  threads?: string;
  url?: string;
  database?: string;
  table?: string;
  user?: string;
  'query-timeout'?: string;
};

/** A command line that cannot be run as given; the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedCommand {
  files: string[];
  flags: CliFlags;
}

/**
 * Parse the command line against `CLI_FLAGS`. An unknown flag, a missing or
 * empty value, or a value given to a switch throws a `UsageError`.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const options = Object.fromEntries(
    CLI_FLAGS.map((f) => [
      f.name,
      { type: f.kind, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageProblem(error));
  }
  for (const flag of CLI_FLAGS) {
    if (flag.kind !== 'string') continue;
    const raw = parsed.values[flag.name];
    const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (values.some((v) => typeof v === 'string' && v.trim() === ''))
      throw new UsageError(`--${flag.name} needs a ${flag.value ?? 'value'}, not an empty text.`);
  }
  return { files: parsed.positionals, flags: parsed.values as CliFlags };
}

function usageProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(?:-\w, )?(-{1,2}[^'\s<,]+)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take an argument/.test(message)
      ? `${option} takes no value.`
      : `${option} needs a value.`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${option}.`;
  return message;
}

/** The column roles the flags set; undefined when no role flag was given. */
export function rolesFromFlags(flags: CliFlags): ColumnRoles | undefined {
  const roles: ColumnRoles = { segments: [], excluded: [] };
  let any = false;
  for (const flag of CLI_FLAGS) {
    const value = flags[flag.name];
    if (!flag.role || value === undefined || typeof value === 'boolean') continue;
    any = true;
    if (flag.role === 'segments' || flag.role === 'excluded') roles[flag.role] = [...(value as string[])];
    else roles[flag.role] = value as string;
  }
  return any ? roles : undefined;
}

const USAGE_LINE = 'Usage: npm run audit -- <file> [<file>…] [options]';

export const EXIT_CODE_TEXT =
  'Exit codes: 0 Ready, 2 Not assessed (no target: set one), 3 Ready with conditions, 4 Not ready, 5 drift (with --fail-on-drift), 1 error or bad usage, 130/143 stopped by Ctrl-C/SIGTERM.';

/** The full `--help` text, generated from the flag table. */
export function helpText(): string {
  const left = (f: FlagSpec): string =>
    `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` <${f.value}>` : ''}`;
  const width = Math.max(...CLI_FLAGS.map((f) => left(f).length));
  return [
    'Sprint Zero: audit data files for ML readiness, offline, with the same engine as the app.',
    '',
    USAGE_LINE,
    '',
    'Reads CSV/TSV, Parquet, JSON/NDJSON, Arrow and Excel files and writes the versioned audit',
    'document (JSON). Without role flags, the roles suggested from the profile are applied and printed.',
    '',
    'Options:',
    ...CLI_FLAGS.map((f) => `  ${left(f).padEnd(width)}  ${f.help}`),
    '',
    EXIT_CODE_TEXT,
  ].join('\n');
}

/** The short message for a command line that cannot run. */
export function usageText(problem: string): string {
  return [`error: ${problem}`, USAGE_LINE, 'Run with --help to see every option.'].join('\n');
}
