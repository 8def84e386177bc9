/**
 * The uncompressed size of the entries of a ZIP archive whose names match, read
 * from its central directory without inflating anything. An .xlsx is a ZIP, and
 * a small workbook can expand to gigabytes of XML (or be a zip bomb), so the
 * decoder checks this before handing the bytes to the parser.
 * Returns undefined when the archive has no readable central directory.
 */
export function zipExpandedSize(bytes: Uint8Array, include: (name: string) => boolean): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd === undefined) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  let total = 0;
  const decoder = new TextDecoder();
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const uncompressed = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    // 0xFFFFFFFF means the real size is in a ZIP64 record: more than 4 GB.
    if (include(name)) total += uncompressed === 0xffffffff ? Number.POSITIVE_INFINITY : uncompressed;
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return total;
}

function findEndOfCentralDirectory(view: DataView): number | undefined {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--)
    if (view.getUint32(at, true) === 0x06054b50) return at;
  return undefined;
}
