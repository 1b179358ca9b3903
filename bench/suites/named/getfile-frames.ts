/**
 * The size of one framed Tgetfile of a named file and its Rread carrying the file's bytes, as the
 * session layer puts them on the wire (see session/frame-size.ts for the frame layout). The raw
 * TCP baseline moves exactly these byte counts, so that it carries what getFile carries.
 */
import { encodeRread, encodeTgetfile } from "../../../generated/sigmap/codec.js";
import { MAXGETSET, Mode, MsgType } from "../../../generated/sigmap/types.js";
import { NO_DATA } from "../../../runtime/contract/index.js";
import { LENGTH_PREFIX_BYTES, payloadBytes } from "../session/frame-size.js";

export interface GetfileFrames {
  requestFrame: number;
  replyFrame: number;
}

/** `wnames`: the path below the mount (`tmp/bench/f0` -> three names); `fileBytes`: its size. */
export function getfileFrameSizes(wnames: readonly string[], fileBytes: number): GetfileFrames {
  const request = payloadBytes(
    MsgType.Tgetfile,
    encodeTgetfile({
      fid: 1,
      mode: Mode.OREAD,
      offset: 0n,
      count: MAXGETSET,
      wnames: [...wnames],
      resolve: false,
    }),
  );
  const reply = payloadBytes(
    MsgType.Rread,
    encodeRread({ data: NO_DATA }),
    new Uint8Array(fileBytes),
  );
  return {
    requestFrame: LENGTH_PREFIX_BYTES + request,
    replyFrame: LENGTH_PREFIX_BYTES + reply,
  };
}
