import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/lib/cli';
import type { CliFlags } from '../../../src/lib/cli/flags';
import { datasetLabels } from '../../../src/lib/core/relations/labels';
import { formatCount, formatNumber, formatShare } from '../../../src/lib/core/format';
import { PLANTED_FILES, PLANTED_KEY, plantedRelations } from '../../fixtures/relations/planted';
import { sharedCliEngine } from '../../support/cli-engine';

/** One engine for this file's in-process CLI runs. */
const cliEngine = sharedCliEngine();

/**
 * `--relation` through the CLI's code path, on three small files whose
 * counts are worked out by hand below: the audit JSON carries `relations[]`
 * with the fields; a bad spec is a usage error (exit 1) that says
 * what is loaded; `--no-suggest` suggests nothing.
 */
let dir: string;

const rows = (header: string, lines: readonly string[]) => [header, ...lines].join('\n') + '\n';

// customers: keys 1–10, key 10 twice (one duplicated parent key); every snapshot on 2026-06-01.
const CUSTOMERS = rows('id,churned,snapshot_date', [
  ...Array.from({ length: 10 }, (_, i) => `${i + 1},${i % 3 === 0 ? 'yes' : 'no'},2026-06-01`),
  '10,no,2026-06-01',
]);
// subscriptions: customer 1 three rows, 2 two, 3–10 one each (13 matched rows over 10 keys);
// orphans 98 (one row) and 99 (two rows); one null key; two matched rows start after the snapshot.
const SUBSCRIPTIONS = rows('sub_id,customer_id,start_date', [
  ...[1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
    (c, i) => `${i + 1},${c},${i < 2 ? '2026-07-15' : '2026-01-10'}`,
  ),
  '14,98,2026-01-10',
  '15,99,2026-01-10',
  '16,99,2026-01-10',
  '17,,2026-01-10',
]);
const TICKETS = rows('ticket_id,customer_id,opened_at', [
  ...Array.from({ length: 12 }, (_, i) => `${i + 1},${(i % 10) + 1},2026-02-0${(i % 9) + 1}`),
]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sz-relations-cli-'));
  writeFileSync(join(dir, 'customers.csv'), CUSTOMERS);
  writeFileSync(join(dir, 'subscriptions.csv'), SUBSCRIPTIONS);
  writeFileSync(join(dir, 'tickets.csv'), TICKETS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROLES: CliFlags = {
  target: 'churned',
  time: 'snapshot_date',
  'as-of': '2026-11-01',
  'no-baseline': true,
};
const FILES = ['customers.csv', 'subscriptions.csv', 'tickets.csv'];

async function cli(flags: CliFlags, files = FILES) {
  const lines: string[] = [];
  const result = await runCli(
    files.map((f) => join(dir, f)),
    { ...ROLES, ...flags },
    (line) => lines.push(line),
    { engine: cliEngine },
  );
  return { ...result, lines };
}

describe('--relation', () => {
  it('measures each named relation: the audit JSON carries relations[] with the issue’s fields', async () => {
    const { exitCode, document, lines } = await cli({
      relation: [
        'subscriptions.csv:customer_id=customers.csv:id',
        'tickets.csv:customer_id=customers.csv:id',
      ],
    });
    expect(exitCode).not.toBe(1);
    const ids = Object.fromEntries(document!.datasets.map((d) => [d.fileName, d.id]));
    const subscriptions = document!.relations!.find((r) => r.child.dataset === ids['subscriptions.csv'])!;
    expect(subscriptions).toMatchObject({
      child: { dataset: ids['subscriptions.csv'], column: 'customer_id' },
      parent: { dataset: ids['customers.csv'], column: 'id' },
      childKeys: 12,
      orphanKeys: 2,
      orphanRows: 3,
      nullKeys: 1,
      duplicateParentKeys: 1,
      cardinality: 'n:m',
      rowsAfterParentTime: 2,
    });
    expect(subscriptions.orphanKeyShare).toBeCloseTo(2 / 12, 12);
    // Child rows per matched key: 3, 2 and eight 1s; p95 interpolates between the two largest.
    expect(subscriptions.fanout.mean).toBeCloseTo(13 / 10, 12);
    expect(subscriptions.fanout.p95).toBeCloseTo(2.55, 12);
    expect(subscriptions.fanout.max).toBe(3);
    expect(document!.relationState?.accepted.map((a) => a.origin)).toEqual(['user', 'user']);
    expect(document!.relations).toHaveLength(2);
    expect(lines).toContain('relations:');
    expect(lines.find((l) => l.includes('subscriptions.csv:customer_id=customers.csv:id'))).toMatch(
      /orphan keys 16\.7 % \(2 of 12\).*null keys 1 .*fan-out 1\.3 rows per parent \(p95 2\.55, max 3\)/,
    );
    // Named relations are the user's choice: suggestions are kept apart, not accepted.
    expect(document!.relationState?.accepted.every((a) => a.origin === 'user')).toBe(true);
  }, 180_000);

  it('without --relation accepts the suggested relations and prints them (planted extracts)', async () => {
    const planted = plantedRelations();
    mkdirSync(join(dir, 'planted'), { recursive: true });
    const files = Object.values(PLANTED_FILES).map((f) => `planted/${f}`);
    writeFileSync(join(dir, files[0]!), planted.customers);
    writeFileSync(join(dir, files[1]!), planted.subscriptions);
    writeFileSync(join(dir, files[2]!), planted.tickets);
    const { document, lines } = await cli({ time: 'snapshot_date' }, files);
    const ids = document!.datasets.map((d) => d.id);
    const accepted = document!.relationState!.accepted;
    expect(
      accepted.map((a) => [a.child.dataset, a.child.column, a.parent.dataset, a.parent.column, a.origin]),
    ).toEqual([ids[1], ids[2]].map((child) => [child, PLANTED_KEY, ids[0], PLANTED_KEY, 'suggested']));
    const [subscriptions, tickets] = document!.relations!;
    const { subscriptions: s, tickets: t } = planted.expected;
    expect(subscriptions).toMatchObject({
      orphanKeys: s.orphanKeys,
      nullKeys: s.nullKeys,
      duplicateParentKeys: 20,
    });
    expect(tickets).toMatchObject({ rowsAfterParentTime: t.rowsAfterParentTime, comparedAsText: true });
    expect(document!.verdict?.status).toBe('not-ready');
    const header = lines.indexOf(
      'relations suggested from the keys and accepted (pass --relation, or --no-suggest, to choose yourself):',
    );
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe(
      `  --relation “subscriptions.csv:customer_id=customers.csv:customer_id”: n:m; orphan keys ${formatShare(s.orphanKeyShare)} (${formatCount(s.orphanKeys)} of ${formatCount(s.childKeys)}); null keys ${formatCount(s.nullKeys)} (${formatShare(s.nullKeyShare)}); duplicate parent keys 20; fan-out ${formatNumber(s.fanout.mean, { digits: 2 })} rows per parent (p95 ${formatNumber(s.fanout.p95)}, max ${formatCount(s.fanout.max)}); 0 % of timed rows after the parent’s time (0 of ${formatCount(s.pointInTime.timedRows)})`,
    );
    expect(lines[header + 2]).toContain('of timed rows after the parent’s time');
  }, 180_000);

  it('--no-suggest suggests and accepts nothing', async () => {
    const { document, lines } = await cli({ 'no-suggest': true });
    expect(document!.relationState?.discovery).toBe('off');
    expect(document!.relationState?.suggestions).toEqual([]);
    expect(document!.relationState?.accepted).toEqual([]);
    expect(lines.some((l) => l.startsWith('relations'))).toBe(false);
  }, 180_000);

  it('a missing column is a usage error listing that file’s columns', async () => {
    const { exitCode, document, lines } = await cli({
      relation: ['subscriptions.csv:cust_id=customers.csv:id'],
    });
    expect(exitCode).toBe(1);
    expect(document).toBeUndefined();
    const error = lines.find((l) => l.startsWith('error:'));
    expect(error).toContain('has no column “cust_id”');
    expect(error).toContain('Columns: “sub_id”, “customer_id”, “start_date”');
  }, 60_000);

  it('an unknown file is a usage error listing the loaded files', async () => {
    const { exitCode, lines } = await cli({ relation: ['invoices.csv:customer_id=customers.csv:id'] });
    expect(exitCode).toBe(1);
    const error = lines.find((l) => l.startsWith('error:'))!;
    expect(error).toContain('no loaded file is “invoices.csv”');
    for (const file of FILES) expect(error).toContain(file);
  }, 60_000);

  it('a malformed spec says the expected form', async () => {
    const { exitCode, lines } = await cli({ relation: ['subscriptions.csv=customers.csv'] });
    expect(exitCode).toBe(1);
    expect(lines.find((l) => l.startsWith('error:'))).toContain('child.csv:column=parent.csv:column');
  }, 60_000);

  it('two files with the same name in different folders get distinct labels', async () => {
    mkdirSync(join(dir, 'crm'), { recursive: true });
    mkdirSync(join(dir, 'billing'), { recursive: true });
    writeFileSync(join(dir, 'crm/customers.csv'), CUSTOMERS);
    writeFileSync(join(dir, 'billing/customers.csv'), rows('id,plan', ['1,a', '2,b', '3,c']));
    const crm = join(dir, 'crm/customers.csv');
    const billing = join(dir, 'billing/customers.csv');
    const { document, lines } = await cli(
      { relation: [`subscriptions.csv:customer_id=${crm}:id`, `${billing}:id=${crm}:id`] },
      ['crm/customers.csv', 'billing/customers.csv', 'subscriptions.csv'],
    );
    const labels = datasetLabels(document!);
    expect(Object.values(labels).sort()).toEqual(['customers.csv', 'customers.csv (2)', 'subscriptions.csv']);
    const [crmId, billingId] = document!.datasets.map((d) => d.id);
    expect(document!.relations!.map((r) => [r.child.dataset, r.parent.dataset])).toContainEqual([
      billingId,
      crmId,
    ]);
    expect(lines.some((l) => l.includes('“customers.csv (2):id=customers.csv:id”'))).toBe(true);
    // By its bare name the file is ambiguous: the error names both paths.
    const ambiguous = await cli({ relation: ['subscriptions.csv:customer_id=customers.csv:id'] }, [
      'crm/customers.csv',
      'billing/customers.csv',
      'subscriptions.csv',
    ]);
    expect(ambiguous.exitCode).toBe(1);
    expect(ambiguous.lines.find((l) => l.startsWith('error:'))).toContain('names 2 loaded files');
  }, 180_000);
});
