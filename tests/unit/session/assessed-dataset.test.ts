import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { useEngine, FIXTURES, ROOT } from '../../support/engine';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { fileSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import { primaryDatasetId, rolesOf } from '../../../src/lib/core/audit/edits';
import type { AuditDocument } from '../../../src/lib/core/model/audit';
import { isCheckId } from '../../../src/lib/core/readiness/check-ids';
import {
  AuditSession,
  memoryAuditStore,
  type AuditStorePort,
  type TaskState,
} from '../../../src/lib/session';

const conn = useEngine();
let session: AuditSession;
const saves: AuditDocument[] = [];
let churnId = '';
let irisId = '';

function recordingStore(): AuditStorePort {
  const inner = memoryAuditStore();
  return {
    load: (id) => inner.load(id),
    save: async (doc) => {
      saves.push(doc);
      return inner.save(doc);
    },
  };
}

/** The dataset ids the readiness findings of the open audit describe. */
function readinessDatasets(audit: AuditDocument): string[] {
  return [...new Set(audit.findings.filter((f) => isCheckId(f.check)).map((f) => f.datasetId))];
}

beforeAll(async () => {
  session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: recordingStore(),
  });
  const audit = newAudit('two files', 'assessed-dataset');
  audit.context.asOf = '2026-11-01';
  session.open(audit);
  const outcome = await session.addSources([
    await fileSource(join(ROOT, 'public/demo/customer-churn.csv')),
    await fileSource(join(FIXTURES, 'corpus/iris.csv')),
  ]);
  expect(outcome.failed).toEqual([]);
  [churnId, irisId] = outcome.loaded as [string, string];
}, 120_000);

describe('the assessed dataset', () => {
  it('is the first file added until the user chooses another; both files are profiled', () => {
    const audit = session.audit!;
    expect(primaryDatasetId(audit)).toBe(churnId);
    expect(audit.profiles[churnId]?.rows).toBe(12_000);
    expect(audit.profiles[irisId]?.rows).toBe(150);
    expect(readinessDatasets(audit)).toEqual([churnId]);
    expect(rolesOf(audit, churnId).target).toBe('churned');
  });

  it('switching it reruns readiness on the chosen file, with its own suggested roles, and saves the choice', async () => {
    const details: string[] = [];
    const off = session.on('task', (t: TaskState | undefined) => {
      if (t?.detail) details.push(t.detail);
    });
    await session.setPrimary(irisId);
    off();
    const audit = session.audit!;
    expect(audit.primaryDatasetId).toBe(irisId);
    expect(
      details.some((d) => d.startsWith('Readiness:')),
      'the readiness checks ran',
    ).toBe(true);
    expect(readinessDatasets(audit)).toEqual([irisId]);
    expect(rolesOf(audit, irisId).target).toBe('species');
    expect(audit.context.task).toBe('multiclass');
    expect(audit.verdict).toBeDefined();
    // The choice is in the saved document, not only in memory.
    expect(saves.at(-1)?.primaryDatasetId).toBe(irisId);
    // The churn file keeps its profile: it is profiled, not assessed.
    expect(audit.profiles[churnId]?.rows).toBe(12_000);
  }, 120_000);

  it('switching back assesses the first file again, with the roles it had', async () => {
    await session.setPrimary(churnId);
    const audit = session.audit!;
    expect(audit.primaryDatasetId).toBe(churnId);
    expect(readinessDatasets(audit)).toEqual([churnId]);
    expect(rolesOf(audit, churnId).target).toBe('churned');
    // The task follows the target again, its spellings (Yes, Y, yes…) counted as two classes.
    expect(audit.context.task).toBe('binary');
    expect(audit.findings.some((f) => f.check === 'leakage-single-feature' || f.area === 'leakage')).toBe(
      true,
    );
  }, 120_000);
});
