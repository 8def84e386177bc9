/**
 * ClickHouse failures in words, for both ClickHouse engines (embedded chDB and a
 * server through `@clickhouse/client`). Node only.
 */

/** An engine that cannot start or reach its data; the message is written for the user. */
export class EngineSetupError extends Error {
  override readonly name = 'EngineSetupError';
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The command that installs chDB, which `npm install` brings as a devDependency of a clone. */
export const CHDB_INSTALL = 'npm install --save-dev chdb';

/** ClickHouse's own error codes the CLI explains (ClickHouse src/Common/ErrorCodes.cpp). */
export const CLICKHOUSE_CODES = {
  UNKNOWN_TABLE: 60,
  UNKNOWN_DATABASE: 81,
  TIMEOUT_EXCEEDED: 159,
  UNKNOWN_USER: 192,
  REQUIRED_PASSWORD: 194,
  ACCESS_DENIED: 497,
  AUTHENTICATION_FAILED: 516,
} as const;

/** Network codes that mean the server was never reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

/** ClickHouse's numeric error code of an error: the client's `code`, chDB's `clickhouseCode`, or `Code: N.` in the text. */
export function clickhouseCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; clickhouseCode?: unknown; message?: unknown };
  for (const value of [e.clickhouseCode, e.code]) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  }
  const match = typeof e.message === 'string' ? /\bCode: (\d+)\./.exec(e.message) : null;
  return match ? Number(match[1]) : undefined;
}

/** Node's network error code of an error or its cause, such as `ECONNREFUSED`. */
function networkCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Where the engine reads: the server's URL and the audited table, for messages. */
export interface ClickHouseTarget {
  url: string;
  database: string;
  table: string;
  user: string;
}

/** The first line of ClickHouse's text, without the `Code: N. DB::Exception:` prefix or the trailing version. */
export function clickhouseMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n', 1)[0] ?? '')
    .replace(/^Code: \d+\.\s*/, '')
    .replace(/^DB::Exception:\s*/, '')
    .replace(/\s*\(version [^)]*\)\s*$/, '')
    .replace(/\s*\([A-Z_]+\)\s*$/, '')
    .trim();
}

/**
 * The one-line reason a ClickHouse server could not be used: unreachable, refused
 * credentials, a missing database or table, a timeout. Anything else keeps
 * ClickHouse's own first line.
 */
export function clickhouseProblem(error: unknown, target: ClickHouseTarget, timeoutSeconds?: number): string {
  const net = networkCode(error);
  if (net !== undefined && UNREACHABLE.has(net))
    return `cannot reach the ClickHouse server at ${target.url} (${net === 'ENOTFOUND' || net === 'EAI_AGAIN' ? 'no such host' : net === 'ECONNREFUSED' ? 'connection refused' : net}).`;
  const code = clickhouseCode(error);
  const table = `${target.database}.${target.table}`;
  switch (code) {
    case CLICKHOUSE_CODES.AUTHENTICATION_FAILED:
    case CLICKHOUSE_CODES.UNKNOWN_USER:
    case CLICKHOUSE_CODES.REQUIRED_PASSWORD:
      return `the ClickHouse server at ${target.url} refused user “${target.user}”: wrong user name or password (set it with --user and the CLICKHOUSE_PASSWORD environment variable).`;
    case CLICKHOUSE_CODES.UNKNOWN_DATABASE:
      return `the ClickHouse server at ${target.url} has no database “${target.database}”.`;
    case CLICKHOUSE_CODES.UNKNOWN_TABLE:
      return `the ClickHouse server at ${target.url} has no table “${table}”.`;
    case CLICKHOUSE_CODES.ACCESS_DENIED:
      return `user “${target.user}” may not read “${table}” on the ClickHouse server at ${target.url}.`;
    case CLICKHOUSE_CODES.TIMEOUT_EXCEEDED:
      return `a ClickHouse query ran longer than its time limit${timeoutSeconds ? ` of ${timeoutSeconds} s` : ''} and was stopped.`;
  }
  if (net === 'ETIMEDOUT' || /\btimeout\b/i.test(error instanceof Error ? error.message : ''))
    return `the ClickHouse server at ${target.url} did not answer within ${timeoutSeconds ?? '?'} s.`;
  const own = clickhouseMessage(error);
  return `the ClickHouse server at ${target.url} failed: ${own || 'no message'}.`;
}
