import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '../../../src/lib/engine/node-source';

/**
 * A file's blob in Node reads the range asked for, at any offset: Node 20's
 * `openAsBlob` wrapped sizes and offsets at 2^32, so the CSV loader's parts of
 * a 6.0 GB file past 4 GiB read short. The large file here is sparse: it takes
 * no disk beyond its marker.
 */

const MARKER = 'past-four-GiB';
const AT = 2 ** 32 + 12_345;
let dir: string;
let large: string;
let small: string;
const SMALL = 'abcdefghijklmnopqrstuvwxyz0123456789';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sz-blob-'));
  large = join(dir, 'large.csv');
  const handle = await open(large, 'w');
  try {
    await handle.write(MARKER, AT);
  } finally {
    await handle.close();
  }
  small = join(dir, 'small.csv');
  await writeFile(small, SMALL);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fileSource().blob() in Node', () => {
  it('knows the size of a file past 4 GiB and reads a slice beyond it', async () => {
    const blob = await (await fileSource(large)).blob!();
    expect(blob.size).toBe(AT + MARKER.length);
    expect(await blob.slice(AT, AT + MARKER.length).text()).toBe(MARKER);
    // A slice of a slice keeps its offsets relative to its parent.
    const tail = blob.slice(AT - 10);
    expect(tail.size).toBe(10 + MARKER.length);
    expect(await tail.slice(10).text()).toBe(MARKER);
    expect(await tail.slice(-MARKER.length, -4).text()).toBe(MARKER.slice(0, -4));
  });

  it('slices as a Blob does, negative and out-of-range offsets included', async () => {
    const blob = await (await fileSource(small)).blob!();
    const reference = new Blob([SMALL]);
    const cases: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [0, 5],
      [5, 2],
      [-6, undefined],
      [-6, -2],
      [30, 100],
      [-100, 3],
      [40, 50],
    ];
    for (const [start, end] of cases) {
      const got = blob.slice(start, end);
      const want = reference.slice(start, end);
      expect({ start, end, size: got.size, text: await got.text() }).toEqual({
        start,
        end,
        size: want.size,
        text: await want.text(),
      });
    }
    expect(new Uint8Array(await blob.slice(26).arrayBuffer())).toEqual(
      new TextEncoder().encode('0123456789'),
    );
    expect(await new Response(blob.slice(3, 9).stream()).text()).toBe('defghi');
  });
});
