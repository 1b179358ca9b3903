/**
 * The messages the codec suite moves: a realistic path walk and a 4 KiB whole-file read. Values
 * are fixed so that runs are comparable with each other.
 */
import type { Rread, Rwalk, Tgetfile, Twalk } from "../../../generated/sigmap/types.js";

const PATH = ["name", "users", "alice", "notes", "todo.txt"];

const QTDIR = 0x80;
const QTFILE = 0x00;

export const twalk: Twalk = { fid: 7, newFid: 8, wnames: PATH };

export const rwalk: Rwalk = {
  qids: PATH.map((_, i) => ({
    type: i === PATH.length - 1 ? QTFILE : QTDIR,
    version: 3 + i,
    path: 1_000_000n + BigInt(i),
  })),
};

export const tgetfile: Tgetfile = {
  fid: 1,
  mode: 0, // OREAD
  offset: 0n,
  count: 4096,
  wnames: PATH,
  resolve: true,
};

export const rread: Rread = { data: filledBytes(4096) };

/** Bytes that do not compress to a pattern a codec could shortcut. */
function filledBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
