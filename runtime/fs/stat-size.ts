/**
 * The byte size of one directory entry on the wire (spec 2.7): a 4-byte length, then the
 * MessagePack Stat that protsrv's statOf builds for the object (spec 4.5: mode 0777, plus DMDIR
 * for a directory; type, dev and atime 0; uid and gid the owner; muid empty). A directory's Stat
 * length is the sum of its entries' sizes (spec 4.5), which a store keeps up to date as entries
 * change instead of encoding every entry on each stat. MessagePack integers and strings take the
 * shortest form (msgpackr's, and the format's canonical one); tests/protsrv/stat-size.test.ts
 * checks this against the real encoder.
 */
import { Perm } from "../../generated/sigmap/types.js";

export interface EntryFields {
  /** Type and permission bits; qid.type is their top byte. */
  perm: number;
  version: number;
  id: bigint;
  /** Seconds. */
  mtime: number;
  /** File size, or a directory's listing size. */
  length: bigint;
  /** UTF-8 byte lengths. */
  nameBytes: number;
  ownerBytes: number;
}

const DIR_MODE = (Perm.DMDIR | 0o777) >>> 0;

export function entryBytes(e: EntryFields): number {
  const isDir = (e.perm & Perm.DMDIR) !== 0;
  return (
    4 + // length prefix
    1 + // array of 11
    1 + // type 0
    1 + // dev 0
    1 + // qid: array of 3
    uintBytes((e.perm >>> 24) & 0xff) +
    uintBytes(e.version) +
    u64Bytes(e.id) +
    uintBytes(isDir ? DIR_MODE : 0o777) +
    1 + // atime 0
    uintBytes(e.mtime) +
    u64Bytes(e.length) +
    strBytes(e.nameBytes) +
    2 * strBytes(e.ownerBytes) + // uid, gid
    1 // muid ""
  );
}

/** UTF-8 length of a string, without encoding it when it is ASCII. */
export function utf8Bytes(s: string): number {
  // eslint-disable-next-line no-control-regex -- the ASCII range, on purpose
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s, "utf8");
}

function uintBytes(n: number): number {
  if (n < 0x80) return 1;
  if (n <= 0xff) return 2;
  if (n <= 0xffff) return 3;
  return 5;
}

// The codec sends a u64 that fits 32 bits as a number, a larger one as a 64-bit integer.
function u64Bytes(n: bigint): number {
  return n <= 0xffff_ffffn ? uintBytes(Number(n)) : 9;
}

function strBytes(bytes: number): number {
  if (bytes <= 31) return 1 + bytes;
  if (bytes <= 0xff) return 2 + bytes;
  if (bytes <= 0xffff) return 3 + bytes;
  return 5 + bytes;
}
