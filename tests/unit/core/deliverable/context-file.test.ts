import { describe, it, expect } from 'vitest';
import { newAudit } from '../../../../src/lib/core/model/document';
import {
  applyContextFile,
  parseContextFile,
  ContextFileError,
} from '../../../../src/lib/core/deliverable/context-file';
import { demoDeliverable } from '../../../../src/lib/core/deliverable/demo';

describe('context file (--context)', () => {
  it('sets only the context fields it names and replaces the deliverable', () => {
    const audit = newAudit('x', 'a', new Date('2026-11-01T00:00:00Z'));
    audit.context.task = 'regression';
    const file = parseContextFile(
      JSON.stringify({ context: { decision: 'Call list' }, deliverable: demoDeliverable() }),
    );
    const out = applyContextFile(audit, file);
    expect(out.context).toEqual({ ...audit.context, decision: 'Call list' });
    expect(out.context.task).toBe('regression');
    expect(out.deliverable?.integration?.sources.map((s) => s.name)).toEqual([
      'crm_eu',
      'crm_us',
      'legacy_billing',
    ]);
    expect(audit.deliverable).toBeUndefined();
  });

  it('refuses text that is not JSON, unknown fields and out-of-schema values, saying where', () => {
    expect(() => parseContextFile('{')).toThrow(ContextFileError);
    expect(() => parseContextFile(JSON.stringify({ contxt: {} }))).toThrow(/does not follow the schema/);
    expect(() =>
      parseContextFile(
        JSON.stringify({ deliverable: { integration: { serving: { mode: 'carrier-pigeon' } } } }),
      ),
    ).toThrow(/deliverable\.integration\.serving\.mode/);
    expect(() => parseContextFile(JSON.stringify({ context: { asOf: 'yesterday' } }))).toThrow(
      /context\.asOf/,
    );
  });
});
