import { describe, it, expect } from 'vitest';
import { formatBytes, requestPersistentStorage, storageUse } from '../../../src/lib/store/storage-use';

describe('storage use and persistence', () => {
  it('asks for persistent storage only when it is not persistent yet', async () => {
    let asked = 0;
    const granted = await requestPersistentStorage({
      persisted: async () => false,
      persist: async () => {
        asked++;
        return true;
      },
    });
    expect(granted).toBe(true);
    expect(asked).toBe(1);
    expect(
      await requestPersistentStorage({ persisted: async () => true, persist: async () => ++asked > 0 }),
    ).toBe(true);
    expect(asked).toBe(1);
  });

  it('reports use, quota and persistence, and stays quiet where the browser has no API', async () => {
    expect(
      await storageUse({
        estimate: async () => ({ usage: 2_500_000, quota: 1e9 }),
        persisted: async () => false,
      }),
    ).toEqual({ usage: 2_500_000, quota: 1e9, persisted: false });
    expect(await storageUse(undefined)).toBeUndefined();
    expect(await storageUse({ estimate: () => Promise.reject(new Error('denied')) })).toBeUndefined();
    expect(await requestPersistentStorage({})).toBeUndefined();
  });

  it('formats bytes for people', () => {
    expect(formatBytes(850 * 1024)).toBe('850 KB');
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12.4 MB');
    expect(formatBytes(2.1 * 1024 ** 3)).toBe('2.1 GB');
  });
});
