import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
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
    blob: async () => new FileRangeBlob(path, 0, info.size),
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

/**
 * A file as a Blob that reads only the range asked for, with positioned reads.
 * Not `openAsBlob`: Node 20 wraps its size and offsets at 2^32, so a 6.0 GB CSV
 * reported 1.7 GB and its parts past 4 GiB read short.
 */
class FileRangeBlob implements Blob {
  readonly type = '';

  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  /** Blob.slice's rules: offsets relative to this slice, negative ones from its end, clamped. */
  slice(start = 0, end = this.size): Blob {
    const at = (offset: number): number =>
      Math.min(this.size, Math.max(0, offset < 0 ? this.size + offset : offset));
    const from = at(start);
    return new FileRangeBlob(this.path, this.start + from, this.start + Math.max(from, at(end)));
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const buffer = new Uint8Array(this.size);
    const handle = await open(this.path, 'r');
    try {
      for (let done = 0; done < buffer.length;) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, this.start + done);
        if (bytesRead === 0)
          throw new Error(`${basename(this.path)} ended before byte ${this.start + done}.`);
        done += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    if (this.size === 0) return new Blob([]).stream();
    const chunks = createReadStream(this.path, { start: this.start, end: this.end - 1 });
    return Readable.toWeb(chunks) as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}
