/**
 * The uncompressed size of the entries of a ZIP archive whose names match, read
 * from its central directory without inflating anything. An .xlsx is a ZIP, and
 * a small workbook can expand to gigabytes of XML (or be a zip bomb), so the
 * decoder checks this before handing the bytes to the parser.
 *
 * Returns `Infinity` when a size cannot be known without trusting more of the
 * archive: a ZIP64 end record, or an entry whose size is deferred to a ZIP64
 * field (both mean "more than 4 GB" or a crafted file; the reader would follow
 * them). Returns undefined when the bytes have no end-of-central-directory record
 * at all (not a ZIP), or its central directory cannot be read.
 */
export function zipExpandedSize(bytes: Uint8Array, include: (name: string) => boolean): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd === undefined) return undefined;
  // fflate walks as many entries as "entries on this disk" says; a crafted record can make it differ from the total.
  const entries = Math.max(view.getUint16(eocd + 8, true), view.getUint16(eocd + 10, true));
  const centralSize = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  // fflate (read-excel-file's unzipper) follows a ZIP64 record when any of these is saturated.
  if (
    entries === 0xffff ||
    centralSize === 0xffffffff ||
    offset === 0xffffffff ||
    hasZip64Locator(view, eocd)
  )
    return Number.POSITIVE_INFINITY;
  let total = 0;
  const utf8 = new TextDecoder();
  const latin1 = new TextDecoder('latin1');
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const flags = view.getUint16(offset + 8, true);
    const compressed = view.getUint32(offset + 20, true);
    const uncompressed = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    // Names are decoded as fflate does: UTF-8 only when the entry's UTF-8 flag (bit 11) is set.
    const name = (flags & 0x800 ? utf8 : latin1).decode(
      bytes.subarray(offset + 46, offset + 46 + nameLength),
    );
    // A stored entry is copied at its compressed size, so the larger of the two sizes is what lands in memory.
    if (include(name))
      total +=
        uncompressed === 0xffffffff || compressed === 0xffffffff
          ? Number.POSITIVE_INFINITY
          : Math.max(uncompressed, compressed);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return total;
}

/** Every entry read-excel-file inflates: it unzips all `.xml` and `.xml.rels` files, wherever they are. */
export function isInflatedByWorkbookReader(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.xml.rels');
}

function findEndOfCentralDirectory(view: DataView): number | undefined {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--)
    if (view.getUint32(at, true) === 0x06054b50) return at;
  return undefined;
}

/** A ZIP64 end-of-central-directory locator sits 20 bytes before the classic record. */
function hasZip64Locator(view: DataView, eocd: number): boolean {
  return eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50;
}
