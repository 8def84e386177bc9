import type { DataSource } from './connector';
import { LoadError } from './errors';
import { MAX_DIGEST_BYTES, sha256Hex } from './sha256';

/** A dropped or picked `File` as a data source, read in chunks so progress and cancel work. */
export function browserFileSource(file: File): DataSource {
  return {
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
    file,
    blob: async () => file,
    head: async (length: number) => new Uint8Array(await file.slice(0, length).arrayBuffer()),
    // Only for files no loader reads whole (a CSV DuckDB streams from the File); larger ones go without.
    sha256: async () =>
      file.size <= MAX_DIGEST_BYTES ? sha256Hex(new Uint8Array(await file.arrayBuffer())) : undefined,
    bytes: async (onProgress, signal) => {
      let out: Uint8Array;
      try {
        out = new Uint8Array(file.size);
      } catch {
        throw new LoadError(
          'too-large',
          `“${file.name}” (${(file.size / 1e6).toFixed(0)} MB) does not fit in browser memory.`,
        );
      }
      const chunk = 16 * 1024 * 1024;
      for (let offset = 0; offset < file.size; offset += chunk) {
        if (signal?.aborted) throw new LoadError('cancelled', `Loading “${file.name}” was cancelled.`);
        const part = new Uint8Array(await file.slice(offset, offset + chunk).arrayBuffer());
        out.set(part, offset);
        onProgress?.(Math.min(file.size, offset + chunk), file.size);
      }
      return out;
    },
  };
}
