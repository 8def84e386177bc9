import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/engine';
import { checksMarkdown } from '../../../scripts/lib/checks-doc';
import { READINESS_CHECKS } from '../../../src/lib/core/readiness/registry';
import { READINESS_THRESHOLDS } from '../../../src/lib/core/thresholds';

describe("the README's list of readiness checks", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('is the one written from the registry and thresholds.ts (run `npm run checks-doc` after changing a check)', () => {
    expect(readme).toContain(checksMarkdown());
  });

  it('names every registered check and every readiness threshold', () => {
    for (const check of READINESS_CHECKS) expect(readme).toContain(`\`${check.id}\``);
    for (const key of Object.keys(READINESS_THRESHOLDS)) expect(readme).toContain(`\`${key}\``);
  });
});
