import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, FIXTURES } from '../../support/engine';
import { nodeDecoders } from '../../../src/lib/engine/node-decoders';
import { bytesSource, fileSource } from '../../../src/lib/engine/node-source';
import { newAudit } from '../../../src/lib/core/model/document';
import { primaryDatasetId, rolesOf, setContext } from '../../../src/lib/core/audit/edits';
import type { RoleSuggestions } from '../../../src/lib/core/readiness/roles';
import { AuditSession, memoryAuditStore } from '../../../src/lib/session';
import { generateChurnDataset } from '../../../scripts/lib/synthetic';

/** The session fills in suggested roles and the inferred task, and only offers a source system. */

const conn = useEngine();

function newSession(): { session: AuditSession; suggested: RoleSuggestions[] } {
  const session = new AuditSession({
    engine: { connector: conn, decoders: nodeDecoders },
    store: memoryAuditStore(),
  });
  const suggested: RoleSuggestions[] = [];
  session.on('roles-suggested', (e) => suggested.push(e.suggestions));
  return { session, suggested };
}

describe('suggested roles applied by the session', () => {
  it('offers the churn demo’s source_system but does not apply it; the other roles are applied', async () => {
    const { session, suggested } = newSession();
    session.open(setContext(newAudit('churn', 'churn'), { asOf: '2026-11-01' }));
    const csv = generateChurnDataset({ rows: 1500 }).csv;
    await session.addSources([bytesSource('churn.csv', csv)], {}, { analyse: false });
    expect(await session.analyse()).toBe('done');
    expect(suggested).toHaveLength(1);
    expect(suggested[0]!.roles.source).toBe('source_system');
    const roles = rolesOf(session.audit!, primaryDatasetId(session.audit!)!);
    expect(roles.source).toBeUndefined();
    expect(roles.target).toBe('churned');
    expect(session.audit!.findings.some((f) => f.check === 'labels-by-source')).toBe(false);
    expect(session.audit!.context.task).toBe('binary');
  });

  it('iris: species is the target and the task becomes multiclass, so no “binary with 3 classes” finding', async () => {
    const { session } = newSession();
    session.open(newAudit('iris', 'iris'));
    expect(session.audit!.context.task).toBe('binary');
    await session.addSources([await fileSource(join(FIXTURES, 'corpus/iris.csv'))], {}, { analyse: false });
    expect(await session.analyse()).toBe('done');
    expect(rolesOf(session.audit!, primaryDatasetId(session.audit!)!).target).toBe('species');
    expect(session.audit!.context.task).toBe('multiclass');
    // With the default binary task the audit would raise “Binary task, but “species” has 3 classes” (major).
    expect(session.audit!.findings.filter((f) => f.id.endsWith(':class-count')).map((f) => f.title)).toEqual(
      [],
    );
  });

  it('keepTask leaves the task the user chose (the CLI’s --task)', async () => {
    const { session } = newSession();
    session.open(newAudit('iris', 'iris'));
    await session.addSources([await fileSource(join(FIXTURES, 'corpus/iris.csv'))], {}, { analyse: false });
    expect(await session.analyse({ keepTask: true })).toBe('done');
    expect(rolesOf(session.audit!, primaryDatasetId(session.audit!)!).target).toBe('species');
    expect(session.audit!.context.task).toBe('binary');
    expect(session.audit!.findings.some((f) => f.id.endsWith(':class-count'))).toBe(true);
  });
});
