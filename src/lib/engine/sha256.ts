import type { DataSource } from './connector';

/**
 * Web Crypto's digest takes the whole input at once (it has no streaming form)
 * and copies it first. Above this size that copy, beside DuckDB's own memory,
 * could exhaust a browser tab, so such a file goes without a checksum rather
 * than risk the load. Node sources stream their hash and need no limit.
 */
export const MAX_DIGEST_BYTES = 256 * 1024 * 1024;

/** Hex SHA-256 of `bytes` through Web Crypto (browser and Node ≥ 20); undefined where it is unavailable (an insecure context) or too large. */
export async function sha256Hex(bytes: Uint8Array): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || bytes.byteLength > MAX_DIGEST_BYTES) return undefined;
  // digest() refuses views over a SharedArrayBuffer; slice() copies into a plain one.
  const plain = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  return hex(new Uint8Array(await subtle.digest('SHA-256', plain)));
}

export function hex(digest: Uint8Array): string {
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The file's SHA-256 at load time, from the bytes the loader already read
 * (`read`, hashed as soon as they arrive) or else from the source itself. A
 * checksum is metadata: any failure leaves it undefined and never fails the load.
 */
export async function fileSha256(
  source: DataSource,
  read: Promise<string | undefined> | undefined,
): Promise<string | undefined> {
  try {
    return (await read) ?? (await source.sha256?.());
  } catch {
    return undefined;
  }
}
