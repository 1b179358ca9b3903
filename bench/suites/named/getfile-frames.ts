/**
 * The size of one framed Tgetfile of a named file and its Rread carrying the file's bytes, as the
 * session layer puts them on the wire (see session/frame-size.ts for the frame layout). The raw
 * TCP baseline moves exactly these byte counts, so that it carries what getFile carries.
 */
import { encodeHeader, encodeRread, encodeTgetfile } from "../../../generated/sigmap/codec.js";
import { MAXGETSET, Mode, MsgType, type Header } from "../../../generated/sigmap/types.js";
import { NO_DATA, pack } from "../../../runtime/wire/index.js";
import { LENGTH_PREFIX_BYTES } from "../session/frame-size.js";

export interface GetfileFrames {
  requestFrame: number;
  replyFrame: number;
}

/** `wnames`: the path below the mount (`tmp/bench/f0` -> three names); `fileBytes`: its size. */
export function getfileFrameSizes(wnames: readonly string[], fileBytes: number): GetfileFrames {
  // Random 64-bit ids and a seqno past 65535, as in session/frame-size.ts.
  const seqno = 100_000n;
  const header = (type: number): Header => ({
    type,
    tag: 0,
    client: 0x9e3779b97f4a7c15n,
    session: 0xc2b2ae3d27d4eb4fn,
    seqno,
    received: { start: seqno - 1n, end: seqno },
    fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
  });
  const request = pack([
    encodeHeader(header(MsgType.Tgetfile)),
    encodeTgetfile({
      fid: 1,
      mode: Mode.OREAD,
      offset: 0n,
      count: MAXGETSET,
      wnames: [...wnames],
      resolve: false,
    }),
    NO_DATA,
  ]);
  const reply = pack([
    encodeHeader(header(MsgType.Rread)),
    encodeRread({ data: NO_DATA }),
    new Uint8Array(fileBytes),
  ]);
  return {
    requestFrame: LENGTH_PREFIX_BYTES + request.length,
    replyFrame: LENGTH_PREFIX_BYTES + reply.length,
  };
}
