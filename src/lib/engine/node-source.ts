import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataSource } from './connector';

/** A local file as a data source; CSVs are read by DuckDB straight from disk. */
export async function fileSource(path: string): Promise<DataSource> {
  const info = await stat(path);
  return {
    name: basename(path),
    size: info.size,
    lastModified: info.mtimeMs,
    path,
    bytes: async () => new Uint8Array(await readFile(path)),
    blob: () => openAsBlob(path),
    sha256: () => streamSha256(path),
    head: async (length: number) => {
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(Math.min(length, info.size));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer;
      } finally {
        await handle.close();
      }
    },
  };
}

/** In-memory bytes as a data source, for tests and generated fixtures. */
export function bytesSource(name: string, content: Uint8Array | string, lastModified = 0): DataSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.byteLength,
    lastModified,
    bytes: async () => bytes,
    blob: async () => new Blob([bytes.slice()]),
    head: async (length: number) => bytes.subarray(0, length),
    sha256: async () => createHash('sha256').update(bytes).digest('hex'),
  };
}

/** A file's hex SHA-256, streamed so a file of any size is never held whole. */
async function streamSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
