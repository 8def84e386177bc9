import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { checkExportZip, checkExportZipName } from '../../../src/lib/report/check-exports';
import type { InteropFile } from '../../../src/lib/core/interop/spec';

const files: InteropFile[] = [
  { path: 'acme_churn.odcs.yaml', mimeType: 'application/yaml', text: 'apiVersion: v3.1.0\n' },
  { path: 'dbt/models/acme_churn.yml', mimeType: 'application/yaml', text: 'version: 2\n' },
  { path: 'dbt/tests/duplicate_rows_customers.sql', mimeType: 'text/plain', text: 'select 1 — “é”\n' },
];

describe('check exports as one zip', () => {
  it('keeps every file at its path with its exact text', () => {
    const entries = unzipSync(checkExportZip(files, '2026-12-04T10:00:00.000Z'));
    expect(Object.keys(entries).sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) expect(strFromU8(entries[f.path]!)).toBe(f.text);
  });

  it('gives the same bytes for the same files and update time, other bytes for another time', () => {
    const a = checkExportZip(files, '2026-12-04T10:00:00.000Z');
    expect(checkExportZip(files, '2026-12-04T10:00:00.000Z')).toEqual(a);
    expect(checkExportZip(files, '2026-12-05T10:00:00.000Z')).not.toEqual(a);
  });

  it('is named after the spec name the files share', () => {
    expect(checkExportZipName(files, 'all')).toBe('acme_churn.checks.zip');
    expect(checkExportZipName(files.slice(1), 'dbt')).toBe('acme_churn.dbt.zip');
  });
});
