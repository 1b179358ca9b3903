/**
 * The 9P2000.L message set as data: one row per message (number, name, fields with their 9P wire
 * types), in the order of the specification (diod's protocol.md, Linux's v9fs). The generic
 * little-endian codec in codec.ts reads this table and nothing else, so moving these rows into a
 * schema file later is mechanical (docs/9p.md says what the DSL would need).
 *
 * Every frame is `size[4] type[1] tag[2]` followed by the fields below.
 */

/** A field's wire type: fixed-width little-endian integers, counted strings and arrays. */
export type WireType =
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  /** length[2] then that many UTF-8 bytes. */
  | "str"
  /** type[1] version[4] path[8]. */
  | "qid"
  /** count[4] then that many bytes. */
  | "data"
  /** n[2] then n strings. */
  | "strs"
  /** n[2] then n qids. */
  | "qids";

/** One field of a message: its name in the TypeScript object and its wire type. */
export type Field = readonly [name: string, type: WireType];

/** A table row's shape. */
export interface MessageRow {
  readonly num: number;
  readonly fields: readonly Field[];
}

/** The 9P2000.L messages, by name. Numbers and field order are the wire contract. */
export const MESSAGES = {
  Rlerror: { num: 7, fields: [["ecode", "u32"]] },
  Tstatfs: { num: 8, fields: [["fid", "u32"]] },
  Rstatfs: {
    num: 9,
    fields: [
      ["fsType", "u32"],
      ["bsize", "u32"],
      ["blocks", "u64"],
      ["bfree", "u64"],
      ["bavail", "u64"],
      ["files", "u64"],
      ["ffree", "u64"],
      ["fsid", "u64"],
      ["namelen", "u32"],
    ],
  },
  Tlopen: {
    num: 12,
    fields: [
      ["fid", "u32"],
      ["flags", "u32"],
    ],
  },
  Rlopen: {
    num: 13,
    fields: [
      ["qid", "qid"],
      ["iounit", "u32"],
    ],
  },
  Tlcreate: {
    num: 14,
    fields: [
      ["fid", "u32"],
      ["name", "str"],
      ["flags", "u32"],
      ["mode", "u32"],
      ["gid", "u32"],
    ],
  },
  Rlcreate: {
    num: 15,
    fields: [
      ["qid", "qid"],
      ["iounit", "u32"],
    ],
  },
  Tsymlink: {
    num: 16,
    fields: [
      ["fid", "u32"],
      ["name", "str"],
      ["symtgt", "str"],
      ["gid", "u32"],
    ],
  },
  Rsymlink: { num: 17, fields: [["qid", "qid"]] },
  Tmknod: {
    num: 18,
    fields: [
      ["dfid", "u32"],
      ["name", "str"],
      ["mode", "u32"],
      ["major", "u32"],
      ["minor", "u32"],
      ["gid", "u32"],
    ],
  },
  Rmknod: { num: 19, fields: [["qid", "qid"]] },
  Trename: {
    num: 20,
    fields: [
      ["fid", "u32"],
      ["dfid", "u32"],
      ["name", "str"],
    ],
  },
  Rrename: { num: 21, fields: [] },
  Treadlink: { num: 22, fields: [["fid", "u32"]] },
  Rreadlink: { num: 23, fields: [["target", "str"]] },
  Tgetattr: {
    num: 24,
    fields: [
      ["fid", "u32"],
      ["requestMask", "u64"],
    ],
  },
  Rgetattr: {
    num: 25,
    fields: [
      ["valid", "u64"],
      ["qid", "qid"],
      ["mode", "u32"],
      ["uid", "u32"],
      ["gid", "u32"],
      ["nlink", "u64"],
      ["rdev", "u64"],
      ["size", "u64"],
      ["blksize", "u64"],
      ["blocks", "u64"],
      ["atimeSec", "u64"],
      ["atimeNsec", "u64"],
      ["mtimeSec", "u64"],
      ["mtimeNsec", "u64"],
      ["ctimeSec", "u64"],
      ["ctimeNsec", "u64"],
      ["btimeSec", "u64"],
      ["btimeNsec", "u64"],
      ["gen", "u64"],
      ["dataVersion", "u64"],
    ],
  },
  Tsetattr: {
    num: 26,
    fields: [
      ["fid", "u32"],
      ["valid", "u32"],
      ["mode", "u32"],
      ["uid", "u32"],
      ["gid", "u32"],
      ["size", "u64"],
      ["atimeSec", "u64"],
      ["atimeNsec", "u64"],
      ["mtimeSec", "u64"],
      ["mtimeNsec", "u64"],
    ],
  },
  Rsetattr: { num: 27, fields: [] },
  Txattrwalk: {
    num: 30,
    fields: [
      ["fid", "u32"],
      ["newfid", "u32"],
      ["name", "str"],
    ],
  },
  Rxattrwalk: { num: 31, fields: [["size", "u64"]] },
  Txattrcreate: {
    num: 32,
    fields: [
      ["fid", "u32"],
      ["name", "str"],
      ["attrSize", "u64"],
      ["flags", "u32"],
    ],
  },
  Rxattrcreate: { num: 33, fields: [] },
  Treaddir: {
    num: 40,
    fields: [
      ["fid", "u32"],
      ["offset", "u64"],
      ["count", "u32"],
    ],
  },
  Rreaddir: { num: 41, fields: [["data", "data"]] },
  Tfsync: {
    num: 50,
    fields: [
      ["fid", "u32"],
      ["datasync", "u32"],
    ],
  },
  Rfsync: { num: 51, fields: [] },
  Tlock: {
    num: 52,
    fields: [
      ["fid", "u32"],
      ["lockType", "u8"],
      ["flags", "u32"],
      ["start", "u64"],
      ["length", "u64"],
      ["procId", "u32"],
      ["clientId", "str"],
    ],
  },
  Rlock: { num: 53, fields: [["status", "u8"]] },
  Tgetlock: {
    num: 54,
    fields: [
      ["fid", "u32"],
      ["lockType", "u8"],
      ["start", "u64"],
      ["length", "u64"],
      ["procId", "u32"],
      ["clientId", "str"],
    ],
  },
  Rgetlock: {
    num: 55,
    fields: [
      ["lockType", "u8"],
      ["start", "u64"],
      ["length", "u64"],
      ["procId", "u32"],
      ["clientId", "str"],
    ],
  },
  Tlink: {
    num: 70,
    fields: [
      ["dfid", "u32"],
      ["fid", "u32"],
      ["name", "str"],
    ],
  },
  Rlink: { num: 71, fields: [] },
  Tmkdir: {
    num: 72,
    fields: [
      ["dfid", "u32"],
      ["name", "str"],
      ["mode", "u32"],
      ["gid", "u32"],
    ],
  },
  Rmkdir: { num: 73, fields: [["qid", "qid"]] },
  Trenameat: {
    num: 74,
    fields: [
      ["olddirfid", "u32"],
      ["oldname", "str"],
      ["newdirfid", "u32"],
      ["newname", "str"],
    ],
  },
  Rrenameat: { num: 75, fields: [] },
  Tunlinkat: {
    num: 76,
    fields: [
      ["dirfid", "u32"],
      ["name", "str"],
      ["flags", "u32"],
    ],
  },
  Runlinkat: { num: 77, fields: [] },
  Tversion: {
    num: 100,
    fields: [
      ["msize", "u32"],
      ["version", "str"],
    ],
  },
  Rversion: {
    num: 101,
    fields: [
      ["msize", "u32"],
      ["version", "str"],
    ],
  },
  Tauth: {
    num: 102,
    fields: [
      ["afid", "u32"],
      ["uname", "str"],
      ["aname", "str"],
      ["nUname", "u32"],
    ],
  },
  Rauth: { num: 103, fields: [["aqid", "qid"]] },
  Tattach: {
    num: 104,
    fields: [
      ["fid", "u32"],
      ["afid", "u32"],
      ["uname", "str"],
      ["aname", "str"],
      ["nUname", "u32"],
    ],
  },
  Rattach: { num: 105, fields: [["qid", "qid"]] },
  Tflush: { num: 108, fields: [["oldtag", "u16"]] },
  Rflush: { num: 109, fields: [] },
  Twalk: {
    num: 110,
    fields: [
      ["fid", "u32"],
      ["newfid", "u32"],
      ["wnames", "strs"],
    ],
  },
  Rwalk: { num: 111, fields: [["wqids", "qids"]] },
  Tread: {
    num: 116,
    fields: [
      ["fid", "u32"],
      ["offset", "u64"],
      ["count", "u32"],
    ],
  },
  Rread: { num: 117, fields: [["data", "data"]] },
  Twrite: {
    num: 118,
    fields: [
      ["fid", "u32"],
      ["offset", "u64"],
      ["data", "data"],
    ],
  },
  Rwrite: { num: 119, fields: [["count", "u32"]] },
  Tclunk: { num: 120, fields: [["fid", "u32"]] },
  Rclunk: { num: 121, fields: [] },
  Tremove: { num: 122, fields: [["fid", "u32"]] },
  Rremove: { num: 123, fields: [] },
} as const satisfies Record<string, MessageRow>;

/** A directory entry inside Rreaddir's data: `qid[13] offset[8] type[1] name[s]`. */
export const DIRENT = [
  ["qid", "qid"],
  ["offset", "u64"],
  ["type", "u8"],
  ["name", "str"],
] as const satisfies readonly Field[];

/**
 * Requests of the classic 9P2000 dialect (Topen, Tcreate, Tstat, Twstat). They are well formed
 * 9P, so a 9P2000.L server answers them with EOPNOTSUPP rather than treating them as garbage.
 */
export const CLASSIC_REQUESTS: ReadonlySet<number> = new Set([112, 114, 124, 126]);

/** Bytes before the fields: size[4] type[1] tag[2]. */
export const HEADER_SIZE = 7;
/** The tag of Tversion, which precedes tag management. */
export const NOTAG = 0xffff;
/** "No fid": Tattach's afid without authentication. */
export const NOFID = 0xffffffff;
/** "No numeric user" in Tauth and Tattach. */
export const NONUNAME = 0xffffffff;
/** Most names one Twalk may carry. */
export const MAXWELEM = 16;
/** Bytes of Rread's and Twrite's fixed part (header, fid, offset, count), as the iounit rule uses. */
export const IOHDRSZ = 24;
/** The protocol this gateway speaks. */
export const VERSION_9P2000L = "9P2000.L";

/** qid.type bits (9P). */
export const QT = { DIR: 0x80, APPEND: 0x40, EXCL: 0x20, TMP: 0x04, SYMLINK: 0x02, FILE: 0 };
