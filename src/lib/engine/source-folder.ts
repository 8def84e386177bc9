import { rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Connector, DataSource } from './connector';

/**
 * A Node engine that reads files by path (native DuckDB, chDB): registered
 * sources become files in `folder`, a path linked in place, bytes written out.
 */
export function sourceFolder(folder: string): Pick<
  Connector,
  'registerSource' | 'registerBuffer' | 'unregister'
> & {
  fileFor: (virtualName: string) => string;
} {
  const fileFor = (virtualName: string): string => join(folder, basename(virtualName));
  return {
    fileFor,
    registerSource: async (virtualName: string, source: DataSource) => {
      const target = fileFor(virtualName);
      await rm(target, { force: true });
      if (source.path) await symlink(resolve(source.path), target);
      else await writeFile(target, await source.bytes());
    },
    registerBuffer: async (virtualName: string, bytes: Uint8Array) => {
      await writeFile(fileFor(virtualName), bytes);
    },
    unregister: async (virtualName: string) => {
      await unlink(fileFor(virtualName)).catch(() => {});
    },
  };
}
