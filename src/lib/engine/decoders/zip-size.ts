/**
 * What a ZIP archive's central directory says the entries a reader would inflate add up to,
 * read without inflating anything. An .xlsx is a ZIP, and a small workbook can expand to
 * gigabytes of XML (or be a zip bomb), so the decoder checks this before the parser runs.
 *
 * - `sizes`: the total, the larger of each entry's compressed and uncompressed size, and every
 *   entry's name (as fflate decodes it).
 * - `damaged`: no end-of-central-directory record (not a ZIP), or a directory that cannot be walked.
 * - `zip64-unreadable`: a ZIP64 archive (meant for more than 4 GB) whose ZIP64 records are
 *   missing, cut short or impossible, so its real sizes cannot be known; `reason` says which.
 */
export type ZipDirectoryReading =
  | { kind: 'sizes'; expanded: number; zip64: boolean; names: string[] }
  | { kind: 'damaged' }
  | { kind: 'zip64-unreadable'; reason: string };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_RECORD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const ZIP64_EXTRA_ID = 0x0001;
const SATURATED_32 = 0xffffffff;
const SATURATED_16 = 0xffff;

/**
 * Reads the central directory the way fflate (read-excel-file's unzipper) walks it, so the
 * guard sizes exactly what the reader would allocate: it follows a ZIP64 end record whenever a
 * locator points to one, and reads an entry's saturated sizes from its ZIP64 extra field.
 */
export function readZipDirectory(bytes: Uint8Array, include: (name: string) => boolean): ZipDirectoryReading {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd === undefined) return { kind: 'damaged' };
  // fflate walks as many entries as "entries on this disk" says; a crafted record can make it differ from the total.
  const entries = Math.max(view.getUint16(eocd + 8, true), view.getUint16(eocd + 10, true));
  const offset = view.getUint32(eocd + 16, true);
  const saturated =
    view.getUint16(eocd + 8, true) === SATURATED_16 ||
    view.getUint16(eocd + 10, true) === SATURATED_16 ||
    view.getUint32(eocd + 12, true) === SATURATED_32 ||
    offset === SATURATED_32;

  const zip64 = eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_END_LOCATOR;
  if (zip64) {
    const record = view.getBigUint64(eocd - 12, true);
    // Without the record fflate falls back to the classic one, which a ZIP64 archive leaves saturated.
    if (record + 56n > BigInt(eocd - 20) || view.getUint32(Number(record), true) !== ZIP64_END_RECORD)
      return classic(view, bytes, include, entries, offset, saturated);
    const at = Number(record);
    const onDisk = view.getBigUint64(at + 24, true);
    const total = view.getBigUint64(at + 32, true);
    const start = view.getBigUint64(at + 48, true);
    // Each central header takes at least 46 bytes, and the directory sits before the end record.
    if (onDisk * 46n > BigInt(at) || total * 46n > BigInt(at) || start >= BigInt(at))
      return {
        kind: 'zip64-unreadable',
        reason: 'its ZIP64 end record states more entries, or a later directory, than the file holds',
      };
    return walk(view, bytes, include, Math.max(Number(onDisk), Number(total)), Number(start), true);
  }
  return classic(view, bytes, include, entries, offset, saturated);
}

/** A walk by the classic record; saturated fields there mean a ZIP64 archive that lost its ZIP64 record. */
function classic(
  view: DataView,
  bytes: Uint8Array,
  include: (name: string) => boolean,
  entries: number,
  offset: number,
  saturated: boolean,
): ZipDirectoryReading {
  const reading = walk(view, bytes, include, entries, offset, false);
  return reading.kind === 'damaged' && saturated
    ? { kind: 'zip64-unreadable', reason: 'its ZIP64 end record is missing' }
    : reading;
}

function walk(
  view: DataView,
  bytes: Uint8Array,
  include: (name: string) => boolean,
  entries: number,
  offset: number,
  zip64: boolean,
): ZipDirectoryReading {
  const damaged: ZipDirectoryReading = zip64
    ? { kind: 'zip64-unreadable', reason: 'its central directory is not where the ZIP64 end record says' }
    : { kind: 'damaged' };
  let total = 0;
  const names: string[] = [];
  const utf8 = new TextDecoder();
  const latin1 = new TextDecoder('latin1');
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== CENTRAL_HEADER) return damaged;
    const flags = view.getUint16(offset + 8, true);
    let compressed = view.getUint32(offset + 20, true);
    let uncompressed = view.getUint32(offset + 24, true);
    const localOffset = view.getUint32(offset + 42, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const extraStart = offset + 46 + nameLength;
    if (extraStart + extraLength > view.byteLength) return damaged;
    // Names are decoded as fflate does: UTF-8 only when the entry's UTF-8 flag (bit 11) is set.
    const name = (flags & 0x800 ? utf8 : latin1).decode(bytes.subarray(offset + 46, extraStart));
    names.push(name);
    const wide = [uncompressed, compressed, localOffset].filter((v) => v === SATURATED_32).length;
    // In a ZIP64 archive a saturated field means "see the ZIP64 extra field"; elsewhere it is literal.
    if (zip64 && wide > 0) {
      const field = zip64Field(view, extraStart, extraStart + extraLength);
      if (field === undefined)
        return {
          kind: 'zip64-unreadable',
          reason: `entry ${JSON.stringify(name.slice(0, 80))} defers its size to a ZIP64 field it does not have`,
        };
      if (field.length < 8 * wide)
        return {
          kind: 'zip64-unreadable',
          reason: `the ZIP64 field of entry ${JSON.stringify(name.slice(0, 80))} is cut short`,
        };
      // The field holds only the saturated values, in this order: uncompressed, compressed, offset.
      const saturatedUncompressed = uncompressed === SATURATED_32;
      if (saturatedUncompressed) uncompressed = uint64(view, field.data);
      if (compressed === SATURATED_32)
        compressed = uint64(view, field.data + (saturatedUncompressed ? 8 : 0));
    }
    // A stored entry is copied at its compressed size, so the larger of the two sizes is what lands in memory.
    if (include(name)) total += Math.max(uncompressed, compressed);
    offset = extraStart + extraLength + commentLength;
  }
  return { kind: 'sizes', expanded: total, zip64, names };
}

/** The first ZIP64 extended-information field among an entry's extra fields, as fflate finds it. */
function zip64Field(view: DataView, from: number, end: number): { data: number; length: number } | undefined {
  for (let at = from; at + 4 <= end; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== ZIP64_EXTRA_ID) continue;
    return { data: at + 4, length: Math.min(view.getUint16(at + 2, true), end - at - 4) };
  }
  return undefined;
}

/** An unsigned 64-bit size as a number; beyond 2^53 it loses precision, not magnitude. */
function uint64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

/**
 * The expanded size `readZipDirectory` finds, or undefined when the archive's directory (or its
 * ZIP64 records) cannot be read.
 */
export function zipExpandedSize(bytes: Uint8Array, include: (name: string) => boolean): number | undefined {
  const reading = readZipDirectory(bytes, include);
  return reading.kind === 'sizes' ? reading.expanded : undefined;
}

/** Every entry read-excel-file inflates: it unzips all `.xml` and `.xml.rels` files, wherever they are. */
export function isInflatedByWorkbookReader(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.xml.rels');
}

function findEndOfCentralDirectory(view: DataView): number | undefined {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--)
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
  return undefined;
}
