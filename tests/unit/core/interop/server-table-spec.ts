import type { CheckSpec } from '../../../../src/lib/core/interop/spec';
import { handSpec } from './odcs-spec';

/** The server both tables live on: HTTPS on a non-default port, as a cluster's load balancer often is. */
export const SERVER = { protocol: 'https', host: 'ch.example.com', port: 8443, database: 'sales' } as const;

/**
 * The hand-made spec with its two datasets read in place on ClickHouse
 * (`--engine clickhouse`): `sales.customers` and `sales.subscriptions_v2`,
 * the second's object named `subscriptions` as before, so its table name differs.
 */
export function serverSpec(): CheckSpec {
  const spec = handSpec();
  const tables: Record<string, string> = { customers: 'customers', subscriptions: 'subscriptions_v2' };
  spec.objects = spec.objects.map(({ sha256: _, ...o }) => ({
    ...o,
    fileName: `${SERVER.database}.${tables[o.objectName]!}`,
    format: 'clickhouse',
    sizeBytes: 0,
    server: { ...SERVER, table: tables[o.objectName]! },
  }));
  return spec;
}
