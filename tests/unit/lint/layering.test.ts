import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/** The rules that enforce the README's layering (`eslint.config.js`). */
const LAYERING_RULES = new Set([
  'import-x/no-restricted-paths',
  'layering/value-import-paths',
  'import-x/no-nodejs-modules',
]);

const CORE_FILE = 'src/lib/core/readiness/probe.ts';

let eslint: ESLint;

beforeAll(() => {
  // One instance for every case: loading the config and the resolver is the slow part.
  eslint = new ESLint({ cwd: process.cwd() });
});

/** The layering errors ESLint reports for `code` written into `filePath`. */
async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.severity === 2 && LAYERING_RULES.has(message.ruleId ?? ''))
    .map((message) => message.message);
}

describe('layering lint by resolved path', () => {
  it.each([
    ['a folder index', "import { AuditSession } from '../../session';\nexport const s = AuditSession;\n"],
    ['a path through ./', "import * as c from './../../engine/connector';\nexport const s = c;\n"],
    ['the DuckDB package', "import * as d from '@duckdb/duckdb-wasm';\nexport const s = d;\n"],
    ['a Node builtin', "import fs from 'node:fs';\nexport const s = fs;\n"],
    ['a dynamic Node import', "export const s = () => import('node:fs');\n"],
    ['Svelte', "import { mount } from 'svelte';\nexport const s = mount;\n"],
    ['Dexie', "import Dexie from 'dexie';\nexport const s = Dexie;\n"],
  ])('rejects %s in a core file', async (_what, code) => {
    expect(await layeringErrors(CORE_FILE, code)).toHaveLength(1);
  });

  it('accepts a core file importing core', async () => {
    const code = "import { quoteIdent } from '../sql/quote';\nexport const s = quoteIdent;\n";
    expect(await layeringErrors(CORE_FILE, code)).toEqual([]);
  });

  it('says which rule of the README an import breaks', async () => {
    const [message] = await layeringErrors(
      CORE_FILE,
      "import { x } from '../../session';\nexport const s = x;\n",
    );
    expect(message).toMatch(/Layering: core is pure TypeScript.*README, "Architecture"/);
  });

  it.each([
    ['src/lib/session/x.ts', "import { auditDB } from '../store/db';"],
    ['src/lib/session/x.ts', "import * as d from '@duckdb/duckdb-wasm';"],
    ['src/lib/report/x.ts', "import fs from 'node:fs';"],
    ['src/lib/report/x.ts', "import { AuditSession } from '../session/index.ts';"],
    ['src/lib/engine/x.ts', "import { AuditSession } from '../session';"],
    ['src/lib/store/x.ts', "import { runAudit } from '../cli/run';"],
    ['src/lib/cli/x.ts', "import { auditDB } from '../store/db';"],
    ['src/lib/ui/dataset/x.ts', "import { createBrowserConnector } from '../../engine/browser-connector';"],
    ['src/lib/ui/dataset/x.ts', "import Dexie from 'dexie';"],
    ['src/lib/core/model/x.ts', "import { READINESS_THRESHOLDS } from '../thresholds';"],
    ['src/lib/core/sql/x.ts', "import { verdictOf } from '../readiness/verdict';"],
  ])('rejects, in %s, %s', async (filePath, line) => {
    expect(await layeringErrors(filePath, `${line}\nexport const s = 1;\n`)).toHaveLength(1);
  });

  it('rejects a Dexie import in a Svelte component of the UI', async () => {
    const code = `<script lang="ts">\n  import Dexie from 'dexie';\n  console.log(Dexie);\n</script>\n`;
    expect(await layeringErrors('src/lib/ui/dataset/X.svelte', code)).toHaveLength(1);
  });

  it.each([
    ['src/lib/ui/dataset/x.ts', "import type { Connector } from '../../engine/connector';"],
    ['src/lib/ui/live.svelte.ts', "import type { Observable } from 'dexie';"],
    ['src/lib/ui/engine-session.ts', "import { createBrowserConnector } from '../engine/browser-connector';"],
    ['src/lib/ui/dataset/x.ts', "import { savedAudits } from '../../store/audits';"],
    ['src/lib/session/x.ts', "import type { Connector } from '../engine/connector';"],
    ['src/lib/core/model/x.ts', "import { z } from 'zod';"],
    ['src/lib/cli/x.ts', "import { readFileSync } from 'node:fs';"],
  ])('accepts, in %s, %s', async (filePath, line) => {
    expect(await layeringErrors(filePath, `${line}\nexport const s = 1;\n`)).toEqual([]);
  });
});
