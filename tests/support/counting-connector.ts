import type { Connector } from '../../src/lib/engine/connector';

/** `inner`, counting the statements sent through it whose SQL matches `pattern`; everything else unchanged. */
export function countingConnector(
  inner: Connector,
  pattern: RegExp,
): { conn: Connector; count: () => number } {
  let matched = 0;
  const seen = (sql: string): void => {
    if (pattern.test(sql)) matched++;
  };
  return {
    conn: {
      ...inner,
      query: (sql) => (seen(sql), inner.query(sql)),
      queryArrow: (sql) => (seen(sql), inner.queryArrow(sql)),
      exec: (sql) => (seen(sql), inner.exec(sql)),
    },
    count: () => matched,
  };
}
