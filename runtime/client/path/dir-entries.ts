/**
 * Directory contents on the wire (spec 2.7): a concatenation of entries, each a 4-byte big-endian
 * length and a MessagePack Stat of that length.
 */
import { decodeStat, encodeStat } from "../../../generated/sigmap/codec.js";
import { ErrCode, type Stat } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { pack, unpack } from "../../wire/index.js";

/** Decodes one directory read. A truncated entry is BadFcall: servers send whole entries only. */
export function decodeDirEntries(data: Uint8Array): Stat[] {
  const out: Stat[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < data.length) {
    if (at + 4 > data.length) throw truncated();
    const n = view.getUint32(at);
    at += 4;
    if (at + n > data.length) throw truncated();
    out.push(decodeStat(unpack(data.subarray(at, at + n))));
    at += n;
  }
  return out;
}

/** Encodes entries as a server would; tests and fake servers use it. */
export function encodeDirEntries(stats: readonly Stat[]): Uint8Array {
  const parts = stats.map((s) => pack(encodeStat(s)));
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

function truncated(): SigmaError {
  return new SigmaError(
    ErrCode.BadFcall,
    "directory entry",
    "bad fcall: truncated directory entry",
  );
}
