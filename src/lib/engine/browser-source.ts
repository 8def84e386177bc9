import type { DataSource } from './connector';
import { LoadError } from './errors';

/** A dropped or picked `File` as a data source, read in chunks so progress and cancel work. */
export function browserFileSource(file: File): DataSource {
  return {
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
    file,
    blob: async () => file,
    head: async (length: number) => new Uint8Array(await file.slice(0, length).arrayBuffer()),
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
