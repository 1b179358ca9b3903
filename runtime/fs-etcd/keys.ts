/**
 * The key layout of the etcd store (docs/named-etcd.md), all under one prefix per realm:
 *
 *   <prefix>leader        the election key: value the leader's address, under its election lease;
 *                         its create revision is the leader's fence
 *   <prefix>writer        the fence revision of the leader whose transaction committed last: every
 *                         transaction puts it (committer.ts), so that a watch of the prefix can
 *                         attribute each revision to the leader term that wrote it
 *   <prefix>nextid        object ids reserved so far (decimal): ids are never reused
 *   <prefix>o/<id>        one object: its record (metadata, parent id, name) and its content, in one
 *                         value, so that one key is the object, its data and its directory entry,
 *                         and an ephemeral object is one key under its session's lease
 *   <prefix>s/<session>   one live session (session-records.ts), under the session's lease
 *   <prefix>d/<session>/<seqno>  a mutation the session's request applied (dedup-keys.ts), under
 *                         the session's lease
 *   <prefix>f/<fence id>  one client fence (spec 4.9, fence-keys.ts): its highest epoch and its
 *                         owner, under no lease (a fence outlives the sessions that present it);
 *                         written (through the committer) when the table creates or raises it,
 *                         compared unchanged by every mutation of a request holding it
 *
 * Ids are 16 hex digits so that keys sort by id.
 */
import type { ObjKind } from "../fs/index.js";

export interface Keys {
  readonly prefix: string;
  readonly leader: Buffer;
  readonly writer: Buffer;
  readonly nextId: Buffer;
  /** First key of the object range. */
  readonly objStart: Buffer;
  /** Key after the object range (etcd range_end). */
  readonly objEnd: Buffer;
  obj(id: bigint): Buffer;
  /** The id in an object key, or undefined for another key. */
  idOf(key: Buffer): bigint | undefined;
  readonly sessStart: Buffer;
  readonly sessEnd: Buffer;
  sess(id: bigint): Buffer;
  /** The session id in a session key, or undefined for another key. */
  sessionOf(key: Buffer): bigint | undefined;
  readonly dedupStart: Buffer;
  readonly dedupEnd: Buffer;
  dedup(session: bigint, seqno: bigint): Buffer;
  dedupOf(key: Buffer): { session: bigint; seqno: bigint } | undefined;
  readonly fenceStart: Buffer;
  readonly fenceEnd: Buffer;
  fence(id: bigint): Buffer;
  /** The fence id in a fence key, or undefined for another key. */
  fenceOf(key: Buffer): bigint | undefined;
}

export function keysFor(prefix: string): Keys {
  const objPrefix = `${prefix}o/`;
  const sessPrefix = `${prefix}s/`;
  const dedupPrefix = `${prefix}d/`;
  const fencePrefix = `${prefix}f/`;
  const hex16 = (n: bigint): string => n.toString(16).padStart(16, "0");
  return {
    prefix,
    leader: Buffer.from(`${prefix}leader`),
    writer: Buffer.from(`${prefix}writer`),
    nextId: Buffer.from(`${prefix}nextid`),
    objStart: Buffer.from(objPrefix),
    objEnd: Buffer.from(`${prefix}o0`), // "0" follows "/"
    obj: (id) => Buffer.from(objPrefix + id.toString(16).padStart(16, "0")),
    idOf(key) {
      const s = key.toString();
      if (!s.startsWith(objPrefix)) return undefined;
      const hex = s.slice(objPrefix.length);
      return /^[0-9a-f]{16}$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
    },
    sessStart: Buffer.from(sessPrefix),
    sessEnd: Buffer.from(`${prefix}s0`),
    sess: (id) => Buffer.from(sessPrefix + id.toString(16).padStart(16, "0")),
    sessionOf(key) {
      const s = key.toString();
      if (!s.startsWith(sessPrefix)) return undefined;
      const hex = s.slice(sessPrefix.length);
      return /^[0-9a-f]{16}$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
    },
    dedupStart: Buffer.from(dedupPrefix),
    dedupEnd: Buffer.from(`${prefix}d0`),
    dedup: (session, seqno) => Buffer.from(`${dedupPrefix}${hex16(session)}/${hex16(seqno)}`),
    dedupOf(key) {
      const m = /^([0-9a-f]{16})\/([0-9a-f]{16})$/.exec(key.toString().slice(dedupPrefix.length));
      if (m === null || !key.toString().startsWith(dedupPrefix)) return undefined;
      return { session: BigInt(`0x${m[1]!}`), seqno: BigInt(`0x${m[2]!}`) };
    },
    fenceStart: Buffer.from(fencePrefix),
    fenceEnd: Buffer.from(`${prefix}f0`),
    fence: (id) => Buffer.from(fencePrefix + hex16(id)),
    fenceOf(key) {
      const s = key.toString();
      if (!s.startsWith(fencePrefix)) return undefined;
      const hex = s.slice(fencePrefix.length);
      return /^[0-9a-f]{16}$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
    },
  };
}

/** What an object key holds besides the content. */
export interface ObjRecord {
  kind: Exclude<ObjKind, "pipe" | "device">;
  perm: number;
  owner: string;
  version: number;
  mtime: number;
  name: string;
  /** The parent's id; undefined for the root. */
  parent: bigint | undefined;
}

interface Header {
  k: ObjRecord["kind"];
  p: number;
  o: string;
  v: number;
  m: number;
  n: string;
  d?: string;
}

/** A 4-byte header length, the header as JSON, then the content bytes. */
export function encodeRecord(r: ObjRecord, content?: Uint8Array): Buffer {
  const h: Header = { k: r.kind, p: r.perm, o: r.owner, v: r.version, m: r.mtime, n: r.name };
  if (r.parent !== undefined) h.d = r.parent.toString(16);
  const head = Buffer.from(JSON.stringify(h));
  const out = Buffer.allocUnsafe(4 + head.length + (content?.length ?? 0));
  out.writeUInt32BE(head.length, 0);
  head.copy(out, 4);
  if (content !== undefined) out.set(content, 4 + head.length);
  return out;
}

export function decodeRecord(value: Buffer): { record: ObjRecord; content: Uint8Array } {
  const len = value.readUInt32BE(0);
  const h = JSON.parse(value.subarray(4, 4 + len).toString()) as Header;
  return {
    record: {
      kind: h.k,
      perm: h.p,
      owner: h.o,
      version: h.v,
      mtime: h.m,
      name: h.n,
      parent: h.d === undefined ? undefined : BigInt(`0x${h.d}`),
    },
    content: new Uint8Array(value.subarray(4 + len)),
  };
}
