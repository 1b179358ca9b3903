/**
 * The generic little-endian 9P codec: it walks the rows of messages.ts and knows nothing about any
 * one message. Decoding is strict (every length checked against the frame, no trailing bytes), so
 * a malformed frame is a `FrameError`, which the gateway answers by closing the connection.
 */
import {
  DIRENT,
  HEADER_SIZE,
  MESSAGES,
  type Field,
  type MessageRow,
  type WireType,
} from "./messages.js";

/** A qid: the server's identity of a file. */
export interface Qid {
  type: number;
  version: number;
  path: bigint;
}

/** The TypeScript value of each wire type. */
export type ValueOf<T extends WireType> = T extends "u8" | "u16" | "u32"
  ? number
  : T extends "u64"
    ? bigint
    : T extends "str"
      ? string
      : T extends "qid"
        ? Qid
        : T extends "data"
          ? Uint8Array
          : T extends "strs"
            ? string[]
            : Qid[];

/** The object shape of a list of fields. */
export type FieldsOf<F extends readonly Field[]> = {
  -readonly [K in F[number] as K[0]]: ValueOf<K[1]>;
};

/** Message names. */
export type MsgName = keyof typeof MESSAGES;

/** One message: its name, tag and fields. */
export type Msg<N extends MsgName> = { type: N; tag: number } & FieldsOf<
  (typeof MESSAGES)[N]["fields"]
>;

/** Any message, discriminated by `type`. */
export type AnyMsg = { [N in MsgName]: Msg<N> }[MsgName];

/** A directory entry of Rreaddir. */
export type Dirent = FieldsOf<typeof DIRENT>;

/** A frame that cannot be decoded; `reason` says why (it is logged when the connection closes). */
export class FrameError extends Error {
  constructor(readonly reason: string) {
    super(`malformed 9P frame: ${reason}`);
    this.name = "FrameError";
  }
}

const byNum = new Map<number, { name: MsgName; row: MessageRow }>();
for (const [name, row] of Object.entries(MESSAGES) as [MsgName, MessageRow][]) {
  byNum.set(row.num, { name, row });
}

/** The message number of a name. */
export function msgNum(name: MsgName): number {
  return MESSAGES[name].num;
}

/** The name of a message number, or undefined for numbers outside the table. */
export function msgName(num: number): MsgName | undefined {
  return byNum.get(num)?.name;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** Encodes one message as a whole frame, size prefix included. */
export function encodeMessage(msg: AnyMsg): Buffer {
  const row: MessageRow = MESSAGES[msg.type];
  const values = msg as unknown as Record<string, unknown>;
  const size = HEADER_SIZE + fieldsSize(row.fields, values);
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt32LE(size, 0);
  buf.writeUInt8(row.num, 4);
  buf.writeUInt16LE(msg.tag, 5);
  const end = writeFields(buf, HEADER_SIZE, row.fields, values);
  if (end !== size) throw new Error(`9P encode: ${msg.type} wrote ${end} of ${size} bytes`);
  return buf;
}

/** Payloads at least this long are sent beside the frame's head instead of copied into it. */
const SPLIT_DATA = 4096;

/**
 * Encodes one message as a frame head and, when its last field is a large `data`, that payload
 * by itself: the caller writes both (one writev), and the payload is never copied.
 */
export function encodeFrameParts(msg: AnyMsg): [Buffer] | [Buffer, Uint8Array] {
  const row: MessageRow = MESSAGES[msg.type];
  const last = row.fields[row.fields.length - 1];
  const values = msg as unknown as Record<string, unknown>;
  if (last === undefined || last[1] !== "data") return [encodeMessage(msg)];
  const data = values[last[0]] as Uint8Array;
  if (data.length < SPLIT_DATA) return [encodeMessage(msg)];
  const headFields = row.fields.slice(0, -1);
  const headSize = HEADER_SIZE + fieldsSize(headFields, values) + 4;
  const head = Buffer.allocUnsafe(headSize);
  head.writeUInt32LE(headSize + data.length, 0);
  head.writeUInt8(row.num, 4);
  head.writeUInt16LE(msg.tag, 5);
  const at = writeFields(head, HEADER_SIZE, headFields, values);
  head.writeUInt32LE(data.length, at);
  return [head, data];
}

/** Encodes directory entries back to back, as Rreaddir's data carries them. */
export function encodeDirents(entries: readonly Dirent[]): Buffer {
  const values = entries as unknown as Record<string, unknown>[];
  let size = 0;
  for (const e of values) size += fieldsSize(DIRENT, e);
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of values) at = writeFields(buf, at, DIRENT, e);
  return buf;
}

/** The encoded size of one directory entry. */
export function direntSize(name: string): number {
  return 13 + 8 + 1 + 2 + Buffer.byteLength(name, "utf8");
}

/** Decodes Rreaddir's data into entries. Errors: FrameError. */
export function decodeDirents(data: Uint8Array): Dirent[] {
  const r = new Reader(toBuffer(data), 0, data.length);
  const out: Dirent[] = [];
  while (r.at < data.length) out.push(r.fields(DIRENT) as unknown as Dirent);
  return out;
}

/**
 * Decodes one whole frame (size prefix included). Errors: FrameError for a bad size, a number
 * outside the table, or fields that overrun or underrun the frame.
 */
export function decodeMessage(frame: Uint8Array): AnyMsg {
  const buf = toBuffer(frame);
  if (buf.length < HEADER_SIZE) throw new FrameError(`frame of ${buf.length} bytes`);
  const size = buf.readUInt32LE(0);
  if (size !== buf.length) throw new FrameError(`size ${size} in a frame of ${buf.length} bytes`);
  const num = buf.readUInt8(4);
  const known = byNum.get(num);
  if (known === undefined) throw new FrameError(`unknown message type ${num}`);
  const r = new Reader(buf, HEADER_SIZE, size);
  const msg = r.fields(known.row.fields);
  if (r.at !== size) throw new FrameError(`${known.name}: ${size - r.at} trailing bytes`);
  msg["type"] = known.name;
  msg["tag"] = buf.readUInt16LE(5);
  return msg as unknown as AnyMsg;
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length);
}

function fieldsSize(fields: readonly Field[], v: Record<string, unknown>): number {
  let n = 0;
  for (const [name, type] of fields) n += valueSize(type, v[name], name);
  return n;
}

function valueSize(type: WireType, v: unknown, name: string): number {
  switch (type) {
    case "u8":
      return 1;
    case "u16":
      return 2;
    case "u32":
      return 4;
    case "u64":
      return 8;
    case "qid":
      return 13;
    case "str":
      return 2 + Buffer.byteLength(expect<string>(v, "string", name), "utf8");
    case "data":
      return 4 + expect<Uint8Array>(v, "object", name).length;
    case "strs": {
      let n = 2;
      for (const s of expect<string[]>(v, "object", name)) n += 2 + Buffer.byteLength(s, "utf8");
      return n;
    }
    case "qids":
      return 2 + 13 * expect<Qid[]>(v, "object", name).length;
  }
}

function expect<T>(v: unknown, kind: string, name: string): T {
  if (typeof v !== kind || v === null) throw new Error(`9P encode: field ${name} is not a ${kind}`);
  return v as T;
}

function writeFields(
  buf: Buffer,
  at: number,
  fields: readonly Field[],
  v: Record<string, unknown>,
): number {
  for (const [name, type] of fields) at = writeValue(buf, at, type, v[name]);
  return at;
}

function writeValue(buf: Buffer, at: number, type: WireType, v: unknown): number {
  switch (type) {
    case "u8":
      return buf.writeUInt8(v as number, at);
    case "u16":
      return buf.writeUInt16LE(v as number, at);
    case "u32":
      return buf.writeUInt32LE(v as number, at);
    case "u64":
      return buf.writeBigUInt64LE(v as bigint, at);
    case "qid":
      return writeQid(buf, at, v as Qid);
    case "str":
      return writeStr(buf, at, v as string);
    case "data": {
      const d = v as Uint8Array;
      at = buf.writeUInt32LE(d.length, at);
      buf.set(d, at);
      return at + d.length;
    }
    case "strs": {
      const list = v as string[];
      at = buf.writeUInt16LE(list.length, at);
      for (const s of list) at = writeStr(buf, at, s);
      return at;
    }
    case "qids": {
      const list = v as Qid[];
      at = buf.writeUInt16LE(list.length, at);
      for (const q of list) at = writeQid(buf, at, q);
      return at;
    }
  }
}

function writeQid(buf: Buffer, at: number, q: Qid): number {
  at = buf.writeUInt8(q.type, at);
  at = buf.writeUInt32LE(q.version, at);
  return buf.writeBigUInt64LE(q.path, at);
}

function writeStr(buf: Buffer, at: number, s: string): number {
  const n = buf.write(s, at + 2, "utf8");
  if (n > 0xffff) throw new Error("9P encode: string longer than 65535 bytes");
  buf.writeUInt16LE(n, at);
  return at + 2 + n;
}

/** A bounds-checked cursor over one frame. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public at: number,
    readonly end: number,
  ) {}

  fields(fields: readonly Field[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, type] of fields) out[name] = this.value(type, name);
    return out;
  }

  value(type: WireType, name: string): unknown {
    switch (type) {
      case "u8":
        return this.buf.readUInt8(this.take(1, name));
      case "u16":
        return this.buf.readUInt16LE(this.take(2, name));
      case "u32":
        return this.buf.readUInt32LE(this.take(4, name));
      case "u64":
        return this.buf.readBigUInt64LE(this.take(8, name));
      case "qid":
        return this.qid(name);
      case "str":
        return this.str(name);
      case "data": {
        const n = this.buf.readUInt32LE(this.take(4, name));
        const at = this.take(n, name);
        return this.buf.subarray(at, at + n);
      }
      case "strs": {
        const n = this.buf.readUInt16LE(this.take(2, name));
        const out: string[] = [];
        for (let i = 0; i < n; i++) out.push(this.str(name));
        return out;
      }
      case "qids": {
        const n = this.buf.readUInt16LE(this.take(2, name));
        const out: Qid[] = [];
        for (let i = 0; i < n; i++) out.push(this.qid(name));
        return out;
      }
    }
  }

  qid(name: string): Qid {
    const at = this.take(13, name);
    return {
      type: this.buf.readUInt8(at),
      version: this.buf.readUInt32LE(at + 1),
      path: this.buf.readBigUInt64LE(at + 5),
    };
  }

  str(name: string): string {
    const n = this.buf.readUInt16LE(this.take(2, name));
    const at = this.take(n, name);
    try {
      return utf8Strict.decode(this.buf.subarray(at, at + n));
    } catch {
      throw new FrameError(`field ${name}: invalid UTF-8`);
    }
  }

  /** Reserves `n` bytes and returns where they start. */
  take(n: number, name: string): number {
    const at = this.at;
    if (n > this.end - at) throw new FrameError(`field ${name} overruns the frame`);
    this.at = at + n;
    return at;
  }
}
