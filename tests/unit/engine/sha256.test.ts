import { describe, it, expect, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, loadFile, loadBytes, FIXTURES, ROOT } from '../../support/engine';
import { browserFileSource } from '../../../src/lib/engine/browser-source';
import { toDatasetRef } from '../../../src/lib/engine/dataset-ref';
import { MAX_DIGEST_BYTES, sha256Hex } from '../../../src/lib/engine/sha256';
import { AuditDocumentSchema, DatasetRefSchema } from '../../../src/lib/core/model/audit';
import { newAudit } from '../../../src/lib/core/model/document';
import { withDataset } from '../../../src/lib/core/audit/edits';
import { redactForExport } from '../../../src/lib/core/redact';
import { maskPatterns } from '../../../src/lib/core/redact/mask';

/** What `sha256sum` prints for the file, computed independently of the loader. */
const expected = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const conn = useEngine();

const FORMATS = join(FIXTURES, 'formats');
const DEMO_CSV = join(ROOT, 'public/demo/customer-churn.csv');

describe('the loaded file carries the sha256 of its bytes', () => {
  it.each([
    // Streamed by DuckDB: the Node source hashes the file itself.
    'tiny.csv',
    'tiny.tsv',
    // Read whole by the loader: hashed from those very bytes.
    'tiny.json',
    'tiny.ndjson',
    'tiny-snappy.parquet',
    'tiny.arrow',
    'tiny.xlsx',
  ])('%s', async (file) => {
    const path = join(FORMATS, file);
    const loaded = await loadFile(conn, path);
    expect(loaded.sha256).toBe(expected(readFileSync(path)));
  });

  it('the demo CSV, and its saved dataset reference validates with it', async () => {
    const loaded = await loadFile(conn, DEMO_CSV);
    const ref = toDatasetRef(loaded, []);
    expect(ref.sha256).toBe(expected(readFileSync(DEMO_CSV)));
    expect(DatasetRefSchema.parse(ref).sha256).toBe(ref.sha256);
  });

  it('in-memory bytes, and the hash changes with one byte', async () => {
    const text = 'id,amount\n1,10\n2,20\n';
    const a = await loadBytes(conn, 'a.csv', text);
    const b = await loadBytes(conn, 'b.csv', text.replace('20', '21'));
    expect(a.sha256).toBe(expected(new TextEncoder().encode(text)));
    expect(b.sha256).not.toBe(a.sha256);
  });

  it('the schema refuses a checksum that is not 64 hex digits', () => {
    const ref = { ...baseRef(), sha256: 'ABC' };
    expect(DatasetRefSchema.safeParse(ref).success).toBe(false);
    expect(DatasetRefSchema.safeParse(baseRef()).success).toBe(true);
  });
});

describe('the browser source', () => {
  it('hashes a dropped file through Web Crypto, as sha256sum does', async () => {
    const bytes = readFileSync(join(FORMATS, 'tiny.csv'));
    const source = browserFileSource(new File([bytes], 'tiny.csv'));
    expect(await source.sha256?.()).toBe(expected(bytes));
  });

  it('leaves a file above the digest limit without a checksum, and never reads it', async () => {
    const file = new File(['x'], 'huge.csv');
    Object.defineProperty(file, 'size', { value: MAX_DIGEST_BYTES + 1 });
    const read = vi.spyOn(file, 'arrayBuffer');
    expect(await browserFileSource(file).sha256?.()).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
  });

  it('hashes bytes over a SharedArrayBuffer (the decode worker hands those back)', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(5));
    shared.set([104, 101, 108, 108, 111]);
    expect(await sha256Hex(shared)).toBe(expected(new TextEncoder().encode('hello')));
  });
});

function baseRef(): Record<string, unknown> {
  return {
    id: 'd1',
    fileName: 'a.csv',
    format: 'csv',
    sizeBytes: 1,
    lastModified: 0,
    rowCount: 1,
    columns: [],
    fingerprint: 'f',
    loadedAt: '2026-01-01T00:00:00Z',
  };
}

describe('redaction', () => {
  it('keeps a checksum whose digits look like a phone number whole, so the export still validates', () => {
    // A real sha256 (of "338") with a 14-digit run that the phone pattern masks in ordinary text.
    const sha = '5d8f6cce532a7aeb57196be62344095936793400b3aeb3580d248b17d5518a86';
    expect(maskPatterns(sha).text).not.toBe(sha);
    const doc = withDataset(newAudit('a', 'a'), DatasetRefSchema.parse({ ...baseRef(), sha256: sha }));
    for (const mode of ['personal', 'strict'] as const) {
      const redacted = redactForExport(doc, mode);
      expect(redacted.datasets[0]!.sha256).toBe(sha);
      expect(AuditDocumentSchema.safeParse(redacted).success).toBe(true);
    }
  });
});
