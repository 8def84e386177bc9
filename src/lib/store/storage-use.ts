/** How much this site stores in the browser, and whether the browser may clear it. */
export interface StorageUse {
  /** Bytes used by this site (IndexedDB, caches), as the browser estimates them. */
  usage: number;
  /** Bytes this site may use. */
  quota: number;
  /** True when the browser keeps the data until the user clears it, false when it may evict it. */
  persisted: boolean;
}

/** The slice of `navigator.storage` used here, so tests and older browsers can stand in. */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

function manager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManagerLike | undefined);
}

/**
 * Ask the browser to keep saved audits instead of evicting them when disk
 * runs low. Resolves to whether storage is persistent; undefined where the
 * browser has no such API. Never throws.
 */
export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = manager(),
): Promise<boolean | undefined> {
  try {
    if (!storage?.persisted) return undefined;
    if (await storage.persisted()) return true;
    return (await storage.persist?.()) ?? false;
  } catch {
    return undefined;
  }
}

/** This site's storage use and quota, or undefined where the browser cannot estimate them. Never throws. */
export async function storageUse(
  storage: StorageManagerLike | undefined = manager(),
): Promise<StorageUse | undefined> {
  try {
    if (!storage?.estimate) return undefined;
    const { usage = 0, quota = 0 } = await storage.estimate();
    const persisted = (await storage.persisted?.()) ?? false;
    return { usage, quota, persisted };
  } catch {
    return undefined;
  }
}

/** Bytes as a short human figure: `850 KB`, `12.4 MB`, `2.1 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(0, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
