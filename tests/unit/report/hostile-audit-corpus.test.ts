import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/lib/cli';
import { exportAuditFile } from '../../../src/lib/report/audit-file';
import { readAuditFileReply } from '../../../src/lib/report/import-audit';
import { HOSTILE_AUDIT_CASES } from '../../fixtures/hostile/audit-cases';
import { PLANTED_EMAIL, validAuditText } from '../../fixtures/large-audit';

const CONTROL_OR_BIDI =
  // eslint-disable-next-line no-control-regex -- the characters no output may hold
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const RAW_ERROR = /\n\s+at |node:internal|ZodError|"code":|"path":|SyntaxError|TypeError/;

let dir: string;
let base: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sprint-zero-hostile-audits-'));
  // The old side of every --diff: the valid audit without findings, so each case's findings print as new.
  base = join(dir, 'base.audit.json');
  writeFileSync(base, validAuditText({ emails: 5, findings: 0 }));
});

async function diffWith(path: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--diff', base, path], {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    writeFile: async () => {},
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('hostile audit files (issue 18 §6)', () => {
  it('has at least 20 cases with unique ids', () => {
    expect(HOSTILE_AUDIT_CASES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(HOSTILE_AUDIT_CASES.map((c) => c.id)).size).toBe(HOSTILE_AUDIT_CASES.length);
  });

  for (const c of HOSTILE_AUDIT_CASES) {
    it(`${c.id}: ${c.what}`, async () => {
      const bytes = c.bytes();
      const fileName = `${c.id}.audit.json`;
      const path = join(dir, fileName);
      writeFileSync(path, bytes);
      const reply = await readAuditFileReply(new File([bytes], fileName));
      const cli = await diffWith(path);
      expect(cli.err).not.toMatch(RAW_ERROR);
      if ('refused' in c.expect) {
        expect(reply.ok).toBe(false);
        expect(!reply.ok && reply.message).toMatch(c.expect.refused);
        expect(cli.code).toBe(1);
        expect(cli.out).toBe('');
        // One line: `error:`, the file, and the same message as the app's import.
        expect(cli.err.trimEnd().split('\n')).toHaveLength(1);
        expect(cli.err).toMatch(/^error: /);
        expect(cli.err).toContain(`“${path}”`);
        expect(cli.err).toMatch(c.expect.refused);
      } else {
        expect(reply.ok ? undefined : reply.message).toBeUndefined();
        const doc = reply.ok ? reply.document : undefined;
        expect(doc && c.expect.holds(doc)).toBe(true);
        const exported = exportAuditFile(doc!).text;
        expect(exported).not.toMatch(PLANTED_EMAIL);
        expect(JSON.parse(exported)).toBeTruthy();
        expect(exported).not.toMatch(CONTROL_OR_BIDI);
        expect(exported).not.toMatch(/\\u00(0[0-8]|1[0-9a-f])/i);
        expect(cli.code).toBe(0);
        const printed = `${cli.out}\n${cli.err}`;
        expect(printed).not.toMatch(PLANTED_EMAIL);
        expect(printed).not.toMatch(CONTROL_OR_BIDI);
        expect(printed).not.toMatch(/\\u00(0[0-8]|1[0-9a-f])/i);
        if (c.expect.diffHolds) expect(c.expect.diffHolds(printed)).toBe(true);
      }
    }, 60_000);
  }

  it('writes nothing but the case files: no path in any id was followed', () => {
    const expected = new Set(['base.audit.json', ...HOSTILE_AUDIT_CASES.map((c) => `${c.id}.audit.json`)]);
    expect(readdirSync(dir).filter((f) => !expected.has(f))).toEqual([]);
  });
});
