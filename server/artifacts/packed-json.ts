/**
 * How JSON artifacts are stored. A value without long number arrays is stored as plain JSON text.
 * One with them (a random forest: millions of node thresholds, ids and leaf values) is stored as
 * a small JSON header plus those arrays as raw little-endian blocks of int8, int16, int32 (the
 * smallest that holds every element) or float64:
 *
 *   "PSJ" 0x01 | header length (uint32 LE) | header JSON | blocks, each starting at a multiple of 8
 *   header = { "blocks": [{ "type": "i8" | "i16" | "i32" | "f64", "length": n }, ...], "value": ... }
 *
 * where each packed array in `value` is replaced by { "$packed": block index }. Plain JSON never
 * starts with "P", so the two forms cannot be confused. Decoding gives back exactly what
 * JSON.parse(JSON.stringify(value)) would: only arrays of finite numbers are packed (NaN and
 * Infinity stay JSON nulls) and -0 is stored as 0.
 *
 * Why: V8 cannot make a string longer than ~512 MB, and a forest fitted on a million rows needs
 * more than that as JSON text (~45 characters per node), so it could not be stored at all.
 */

const MAGIC = [0x50, 0x53, 0x4a, 0x01]; // "PSJ" 1
/** Shorter number arrays stay in the JSON: packing them saves little. */
const PACK_MIN_LENGTH = 1024;
const MARKER = "$packed";

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("packed JSON artifacts assume a little-endian machine");

interface BlockInfo {
  type: BlockType;
  length: number;
}

/** The bytes to store for a JSON value. */
export function encodeJson(value: unknown): Uint8Array {
  const blocks: Block[] = [];
  let markerClash = false;
  const pack = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      if (v.length >= PACK_MIN_LENGTH) {
        const block = numberBlock(v);
        if (block) {
          blocks.push(block);
          return { [MARKER]: blocks.length - 1 };
        }
      }
      return v.map(pack);
    }
    if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v) && typeof (v as { toJSON?: unknown }).toJSON !== "function") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === MARKER) markerClash = true;
        out[k] = pack(x);
      }
      return out;
    }
    return v;
  };
  const packed = pack(value);
  if (blocks.length === 0 || markerClash) return Buffer.from(JSON.stringify(value) ?? "null");

  const header = Buffer.from(JSON.stringify({ blocks: blocks.map((b): BlockInfo => ({ type: blockType(b), length: b.length })), value: packed }));
  let size = align8(8 + header.length);
  for (const b of blocks) size = align8(size + b.byteLength);
  const out = Buffer.alloc(size);
  out.set(MAGIC, 0);
  out.writeUInt32LE(header.length, 4);
  out.set(header, 8);
  let offset = align8(8 + header.length);
  for (const b of blocks) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), offset);
    offset = align8(offset + b.byteLength);
  }
  return out;
}

/** The value stored by encodeJson (or plain JSON text). `what` names the artifact in errors. */
export function decodeJson(bytes: Buffer, what: string): unknown {
  if (!MAGIC.every((m, i) => bytes[i] === m)) return JSON.parse(bytes.toString("utf8"));
  const corrupt = (why: string): Error => new Error(`${what} is damaged (${why}); re-run the node that produced it.`);
  if (bytes.length < 8) throw corrupt("no header");
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) throw corrupt("the header runs past the end");
  const header = JSON.parse(bytes.toString("utf8", 8, 8 + headerLength)) as { blocks: BlockInfo[]; value: unknown };
  let offset = align8(8 + headerLength);
  const arrays = header.blocks.map(({ type, length }, i) => {
    const Type = BLOCK_TYPES[type];
    if (!Type) throw corrupt(`block ${i} has an unknown type`);
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.length) throw corrupt(`block ${i} runs past the end`);
    // A copy (Uint8Array.slice), so that the block starts aligned for its type.
    const copy = Uint8Array.prototype.slice.call(bytes, offset, offset + byteLength);
    offset = align8(offset + byteLength);
    return toPlainArray(new Type(copy.buffer, copy.byteOffset, length));
  });
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === MARKER) {
        const array = arrays[(v as Record<string, number>)[MARKER]!];
        if (!array) throw corrupt("a reference to a missing block");
        return array;
      }
      for (const k of keys) (v as Record<string, unknown>)[k] = revive((v as Record<string, unknown>)[k]);
    }
    return v;
  };
  return revive(header.value);
}

type Block = Int8Array | Int16Array | Int32Array | Float64Array;
const BLOCK_TYPES = { i8: Int8Array, i16: Int16Array, i32: Int32Array, f64: Float64Array } as const;
type BlockType = keyof typeof BLOCK_TYPES;

/**
 * The array as the smallest integer block that holds every element (node ids and feature indices
 * of a forest fit in 8 or 16 bits), as float64 when all are finite, or null (left to JSON).
 */
function numberBlock(v: unknown[]): Block | null {
  const out = new Float64Array(v.length);
  let min = 0;
  let max = 0;
  let ints = true;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) return null;
    out[i] = x + 0; // -0 becomes 0, as in JSON
    if (ints) {
      if (x !== Math.trunc(x)) ints = false;
      else if (x < min) min = x;
      else if (x > max) max = x;
    }
  }
  if (!ints || min < -(2 ** 31) || max >= 2 ** 31) return out;
  const type = min >= -128 && max < 128 ? Int8Array : min >= -32768 && max < 32768 ? Int16Array : Int32Array;
  return type.from(out);
}

function blockType(b: Block): BlockType {
  return b instanceof Int8Array ? "i8" : b instanceof Int16Array ? "i16" : b instanceof Int32Array ? "i32" : "f64";
}

/** A typed block as a plain array (what JSON.parse gives, and what the model code expects). */
function toPlainArray(block: Block): number[] {
  const out = new Array<number>(block.length);
  for (let i = 0; i < block.length; i++) out[i] = block[i]!;
  return out;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
