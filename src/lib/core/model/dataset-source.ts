import type { ServerTable } from './audit';

/** What a dataset was read from, as the document records it: a file, or a table on a server. */
export interface DatasetSource {
  fileName: string;
  format: string;
  server?: ServerTable | undefined;
}

/** The dataset is a table read in place on a ClickHouse server, not a file. */
export function isServerTable(d: DatasetSource): boolean {
  return d.format === 'clickhouse';
}

/**
 * Where the data was read, in words: the file's name, or `ClickHouse table
 * sales.orders on ch.example.com:8443` (an audit saved before servers were
 * recorded names the table only).
 */
export function sourceWords(d: DatasetSource): string {
  if (!isServerTable(d)) return d.fileName;
  if (!d.server) return `ClickHouse table ${d.fileName}`;
  const { database, table, host, port } = d.server;
  return `ClickHouse table ${database}.${table} on ${host}:${port}`;
}
