/**
 * The few facts of a Parquet footer the loader needs before decoding: rows,
 * top-level columns and the uncompressed size of every row group. Read with a
 * small Thrift compact-protocol walker (the footer's encoding), so a file can
 * be refused before parquet-wasm inflates it into memory.
 */
export interface ParquetFooterFacts {
  rows: number;
  /** Top-level columns (the schema root's children). */
  columns: number;
  rowGroups: number;
  /** Rows of each row group, in file order. */
  rowGroupRows: number[];
  /** Sum of every row group's `total_byte_size`: its column data, uncompressed. */
  uncompressedBytes: number;
  /** Sum of every column chunk's `total_uncompressed_size`, a second opinion on the same figure. */
  columnChunkBytes: number;
  /**
   * The least memory the decoded Arrow columns take: rows × the fixed width of
   * every leaf column (4 bytes of offsets for text). Dictionary and run-length
   * encoding make the stored sizes above far smaller than this for repetitive
   * data, so a file of 500 million identical numbers is caught here.
   */
  decodedFloorBytes: number;
}

/** Bytes per value in Arrow of Parquet's physical types (BOOLEAN 0 … FIXED_LEN_BYTE_ARRAY 7). */
const PHYSICAL_WIDTH = [1, 4, 8, 12, 4, 8, 4, 0];

/**
 * Why the footer could not be read. `damaged` when the file itself is wrong
 * (no end marker, a footer length the file cannot hold): the decoder refuses
 * it. Otherwise the walker met something it does not know, and the decoder
 * lets parquet-wasm produce its own answer.
 */
export class ParquetFooterError extends Error {
  override readonly name = 'ParquetFooterError';
  constructor(
    message: string,
    readonly damaged = false,
  ) {
    super(message);
  }
}

const MAGIC = [0x50, 0x41, 0x52, 0x31];

/** Facts from the footer of a complete Parquet file held in memory. */
export function readParquetFooter(bytes: Uint8Array): ParquetFooterFacts {
  const n = bytes.byteLength;
  if (n < 12 || !MAGIC.every((b, i) => bytes[n - 4 + i] === b))
    throw new ParquetFooterError(
      'it does not end with the “PAR1” marker, so its footer (the index of its contents) is missing',
      true,
    );
  // Written as an unsigned 32-bit length; read signed so a negative one can be named as such.
  const length = new DataView(bytes.buffer, bytes.byteOffset, n).getInt32(n - 8, true);
  if (length <= 0 || length > n - 12)
    throw new ParquetFooterError(
      length <= 0
        ? `its footer (the index of its contents) gives an impossible length of ${length.toLocaleString('en-US')} bytes`
        : `its footer (the index of its contents) claims ${length.toLocaleString('en-US')} bytes, more than the ${n.toLocaleString('en-US')}-byte file holds`,
      true,
    );
  const reader = new CompactReader(bytes.subarray(n - 8 - length, n - 8));
  const facts: ParquetFooterFacts = {
    rows: 0,
    columns: 0,
    rowGroups: 0,
    rowGroupRows: [],
    uncompressedBytes: 0,
    columnChunkBytes: 0,
    decodedFloorBytes: 0,
  };
  let rowWidth = 0;
  // FileMetaData: 2 schema (list<SchemaElement>), 3 num_rows (i64), 4 row_groups (list<RowGroup>).
  reader.struct((field, type) => {
    if (field === 2 && type === LIST) {
      let first = true;
      reader.list(() => {
        // SchemaElement 1: physical type (leaves only), 2: type_length, 5: num_children; the first element is the root.
        let physical: number | undefined;
        let typeLength = 0;
        reader.struct((f, t) => {
          if (first && f === 5 && t === I32) facts.columns = reader.int();
          else if (f === 1 && t === I32) physical = reader.int();
          else if (f === 2 && t === I32) typeLength = reader.int();
          else reader.skip(t);
        });
        if (!first && physical !== undefined)
          rowWidth += physical === 7 ? Math.max(0, typeLength) : (PHYSICAL_WIDTH[physical] ?? 0);
        first = false;
      });
    } else if (field === 3 && type === I64) facts.rows = reader.int();
    else if (field === 4 && type === LIST)
      reader.list(() => {
        facts.rowGroups += 1;
        facts.rowGroupRows.push(0);
        // RowGroup: 1 columns (list<ColumnChunk>), 2 total_byte_size (i64), 3 num_rows (i64).
        reader.struct((f, t) => {
          if (f === 2 && t === I64) facts.uncompressedBytes += reader.int();
          else if (f === 3 && t === I64) facts.rowGroupRows[facts.rowGroups - 1] = reader.int();
          else if (f === 1 && t === LIST)
            reader.list(() =>
              // ColumnChunk 3: meta_data (ColumnMetaData), whose 6 is total_uncompressed_size.
              reader.struct((cf, ct) => {
                if (cf === 3 && ct === STRUCT)
                  reader.struct((mf, mt) => {
                    if (mf === 6 && mt === I64) facts.columnChunkBytes += reader.int();
                    else reader.skip(mt);
                  });
                else reader.skip(ct);
              }),
            );
          else reader.skip(t);
        });
      });
    else reader.skip(type);
  });
  facts.decodedFloorBytes = facts.rows * rowWidth;
  return facts;
}

const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

/** Thrift compact protocol, read-only, just enough to walk and skip. */
class CompactReader {
  #at = 0;
  #depth = 0;
  constructor(private readonly bytes: Uint8Array) {}

  #byte(): number {
    if (this.#at >= this.bytes.length) throw new ParquetFooterError('footer ends early');
    return this.bytes[this.#at++]!;
  }

  /** Unsigned LEB128 varint, as a JS number (exact up to 2^53). */
  #varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ParquetFooterError('varint too long');
  }

  /** A zigzag-encoded i16/i32/i64. */
  int(): number {
    const v = this.#varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** Read a struct's fields, handing each one's id and type to `onField`, which must consume it. */
  struct(onField: (field: number, type: number) => void): void {
    if (++this.#depth > 64) throw new ParquetFooterError('footer nested too deeply');
    let last = 0;
    for (;;) {
      const header = this.#byte();
      if (header === 0) break;
      const type = header & 0x0f;
      const delta = header >> 4;
      const field = delta === 0 ? this.int() : last + delta;
      last = field;
      if (type === TRUE || type === FALSE) continue;
      onField(field, type);
    }
    this.#depth--;
  }

  /** Read a list or set, calling `onItem` once per element; `onItem` must consume it. */
  list(onItem: (type: number) => void): void {
    const header = this.#byte();
    const size = header >> 4 === 0x0f ? this.#varint() : header >> 4;
    const type = header & 0x0f;
    for (let i = 0; i < size; i++) {
      if (type === TRUE || type === FALSE) this.#byte();
      else onItem(type);
    }
  }

  skip(type: number): void {
    switch (type) {
      case TRUE:
      case FALSE:
        return;
      case BYTE:
        this.#byte();
        return;
      case I16:
      case I32:
      case I64:
        this.#varint();
        return;
      case DOUBLE:
        this.#advance(8);
        return;
      case BINARY:
        this.#advance(this.#varint());
        return;
      case LIST:
      case SET:
        this.list((t) => this.skip(t));
        return;
      case MAP: {
        const size = this.#varint();
        if (size === 0) return;
        const types = this.#byte();
        for (let i = 0; i < size; i++) {
          this.skip(types >> 4);
          this.skip(types & 0x0f);
        }
        return;
      }
      case STRUCT:
        this.struct((_, t) => this.skip(t));
        return;
      default:
        throw new ParquetFooterError(`unknown Thrift type ${type}`);
    }
  }

  #advance(n: number): void {
    if (this.#at + n > this.bytes.length) throw new ParquetFooterError('footer ends early');
    this.#at += n;
  }
}
