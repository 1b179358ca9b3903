import { DecodeError } from "./decode-error.js";
import { cachedBigInt } from "./bigint-cache.js";

/**
 * Typed readers for generated decoders; they run once per field of every message, so the happy
 * path does no allocation beyond the value itself. Every reader takes the path of the record it
 * reads from and the field name, and only joins them when it has something to report.
 */

/** Reads one value found at `path` + `.` + `field` (`field` is empty for the value at `path`). */
export type Reader<T> = (v: unknown, path: string, field: string) => T;

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7fff_ffff_ffff_ffffn;

/** Where a field lives, for error messages. */
export function fieldPath(path: string, field: string): string {
  if (field === "") return path;
  return path === "" ? field : `${path}.${field}`;
}

/**
 * A record: an array of at least `min` elements. Longer arrays come from peers with a newer
 * schema (fields are only appended), so the tail is ignored.
 */
export function expectArray(v: unknown, min: number, path: string): unknown[] {
  if (!Array.isArray(v)) throw new DecodeError(path, `expected an array, got ${kindOf(v)}`);
  if (v.length < min) {
    throw new DecodeError(path, `expected at least ${min} elements, got ${v.length}`);
  }
  return v;
}

export function readU8(v: unknown, path: string, field: string): number {
  if (typeof v === "number" && (v & 0xff) === v) return v;
  return smallInt(v, 0xff, "u8", path, field);
}

export function readU16(v: unknown, path: string, field: string): number {
  if (typeof v === "number" && (v & 0xffff) === v) return v;
  return smallInt(v, 0xffff, "u16", path, field);
}

export function readU32(v: unknown, path: string, field: string): number {
  if (typeof v === "number" && v >>> 0 === v) return v;
  return smallInt(v, 0xffff_ffff, "u32", path, field);
}

export function readU64(v: unknown, path: string, field: string): bigint {
  if (typeof v === "bigint") {
    if (v >= 0n && v <= U64_MAX) return v;
  } else if (typeof v === "number") {
    // Integers above 2^53 that arrive as numbers were floats on the wire and lost bits.
    // Small u64s (offsets, counts, seqnos) recur constantly: reuse their bigints.
    if (Number.isSafeInteger(v) && v >= 0) return cachedBigInt(v);
  }
  throw new DecodeError(fieldPath(path, field), `expected u64, got ${kindOf(v)}`);
}

export function readI64(v: unknown, path: string, field: string): bigint {
  if (typeof v === "bigint") {
    if (v >= I64_MIN && v <= I64_MAX) return v;
  } else if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return BigInt(v);
  }
  throw new DecodeError(fieldPath(path, field), `expected i64, got ${kindOf(v)}`);
}

export function readBool(v: unknown, path: string, field: string): boolean {
  if (typeof v === "boolean") return v;
  throw new DecodeError(fieldPath(path, field), `expected bool, got ${kindOf(v)}`);
}

export function readString(v: unknown, path: string, field: string): string {
  if (typeof v === "string") return v;
  throw new DecodeError(fieldPath(path, field), `expected string, got ${kindOf(v)}`);
}

/** A `bin` value. It is a view into the received frame, not a copy. */
export function readBytes(v: unknown, path: string, field: string): Uint8Array {
  // msgpackr yields Buffers; hand out plain views so that Buffer's non-copying slice() never
  // surprises a caller who expects Uint8Array semantics. Still a view: no copy.
  if (v instanceof Uint8Array) {
    return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new DecodeError(fieldPath(path, field), `expected bytes, got ${kindOf(v)}`);
}

export function readArrayOf<T>(v: unknown, path: string, field: string, item: Reader<T>): T[] {
  if (!Array.isArray(v)) {
    throw new DecodeError(fieldPath(path, field), `expected an array, got ${kindOf(v)}`);
  }
  const out = new Array<T>(v.length);
  let i = 0;
  try {
    for (; i < v.length; i++) out[i] = item(v[i], path, field);
  } catch (e) {
    throw within(e, fieldPath(path, field), `[${i}]`);
  }
  return out;
}

/**
 * A `string[]`, the commonest list on the wire (path names). The decoded array is freshly made
 * by the unpacker and owned by the decoder, so it is validated in place and returned as is,
 * sparing an array per message.
 */
export function readStringArray(v: unknown, path: string, field: string): string[] {
  if (!Array.isArray(v)) {
    throw new DecodeError(fieldPath(path, field), `expected an array, got ${kindOf(v)}`);
  }
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "string") {
      throw new DecodeError(
        `${fieldPath(path, field)}[${i}]`,
        `expected string, got ${kindOf(v[i])}`,
      );
    }
  }
  return v as string[];
}

export function readMapOf<K, V>(
  v: unknown,
  path: string,
  field: string,
  key: Reader<K>,
  value: Reader<V>,
): Map<K, V> {
  if (!(v instanceof Map)) {
    throw new DecodeError(fieldPath(path, field), `expected a map, got ${kindOf(v)}`);
  }
  const out = new Map<K, V>();
  let i = 0;
  let part = ".key";
  try {
    for (const [k, val] of v) {
      part = ".key";
      const dk = key(k, path, field);
      part = ".value";
      out.set(dk, value(val, path, field));
      i++;
    }
  } catch (e) {
    throw within(e, fieldPath(path, field), `[#${i}]${part}`);
  }
  return out;
}

/** An optional value: nil (or a missing element) is `undefined`. */
export function readOptional<T>(
  v: unknown,
  path: string,
  field: string,
  item: Reader<T>,
): T | undefined {
  return v === null || v === undefined ? undefined : item(v, path, field);
}

/** Rejects a value that is not one of an enum's members. */
export function expectMember<T extends number | bigint>(
  v: T,
  members: ReadonlySet<number | bigint>,
  name: string,
  path: string,
  field: string,
): T {
  if (members.has(v)) return v;
  throw new DecodeError(fieldPath(path, field), `${String(v)} is not a ${name}`);
}

// The slow path of the small unsigned readers: a conforming peer may encode a small value in a
// wider MessagePack int format, which msgpackr hands over as a bigint.
function smallInt(v: unknown, max: number, type: string, path: string, field: string): number {
  if (typeof v === "bigint" && v >= 0n && v <= BigInt(max)) return Number(v);
  throw new DecodeError(fieldPath(path, field), `expected ${type}, got ${kindOf(v)}`);
}

// Inserts an element marker into the path of an error raised inside a container, so that
// `Twalk.wnames` becomes `Twalk.wnames[2]` without building paths on the happy path.
function within(e: unknown, containerPath: string, marker: string): unknown {
  if (!(e instanceof DecodeError) || !e.path.startsWith(containerPath)) return e;
  const rest = e.path.slice(containerPath.length);
  return new DecodeError(containerPath + marker + rest, e.reason);
}

function kindOf(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) ? `integer ${v}` : `float ${v}`;
    case "bigint":
      return `integer ${v}`;
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "undefined":
      return "nothing";
    case "object":
      if (v === null) return "nil";
      if (Array.isArray(v)) return "array";
      if (v instanceof Uint8Array) return "bytes";
      if (v instanceof Map) return "map";
      return "object";
    default:
      return typeof v;
  }
}
