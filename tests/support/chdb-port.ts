import type * as Chdb from 'chdb';
import type { Row } from '../../src/lib/core/pipeline/stage';
import type { QueryPort } from '../../src/lib/session/query-runner';

/** A QueryPort on a chDB session (rows as JSONEachRow), with a log of the statements that failed. */
export function chdbPort(session: Chdb.Session): QueryPort & { failures: { sql: string; error: string }[] } {
  const failures: { sql: string; error: string }[] = [];
  const run = (sql: string, format: string): string => {
    try {
      return session.query(sql, format);
    } catch (error) {
      failures.push({ sql, error: String(error).slice(0, 400) });
      throw error;
    }
  };
  return {
    failures,
    query: async (sql) =>
      run(sql, 'JSONEachRow')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Row),
    exec: async (sql) => {
      run(sql, 'TSV');
    },
    cancel: async () => {},
  };
}
