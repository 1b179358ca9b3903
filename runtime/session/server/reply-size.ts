/**
 * How many bytes a reply takes, to budget the reply table and to keep every reply inside the
 * frame limit (a reply over it would close the connection on every resend and wedge the client).
 * `replySizeBound` is cheap and never below the encoded size, so the hot path never encodes
 * twice; only a reply whose bound is over the limit is encoded to learn its exact size.
 */
import { decodeRerror, encodeRerror } from "../../../generated/sigmap/codec.js";
import { ErrCode } from "../../../generated/sigmap/types.js";
import { HeaderMaxBytes } from "../../../generated/sigmap/header.js";
import { pack } from "../../wire/msgpack.js";
import { NO_DATA, type RawReply } from "../../contract/index.js";

/** The payload array marker and the data's `bin` prefix, around header, body and data. */
const FRAME_OVERHEAD = 1 + HeaderMaxBytes + 5;

/** Error replies above this bound have their texts cut to ERROR_TEXT_CHARS each. */
export const MAX_ERROR_REPLY_BYTES = 16 * 1024;
export const ERROR_TEXT_CHARS = 1024;

/** An upper bound of the frame payload `reply` encodes to. */
export function replySizeBound(reply: RawReply): number {
  return FRAME_OVERHEAD + reply.data.length + valueBound(reply.body, 0);
}

/** An upper bound of the memory a received request's body and data hold. */
export function requestSizeBound(body: unknown, data: Uint8Array): number {
  return FRAME_OVERHEAD + data.length + valueBound(body, 0);
}

/** The exact frame payload size (encodes the body). */
export function replySizeExact(reply: RawReply): number {
  return FRAME_OVERHEAD + reply.data.length + pack(reply.body).length;
}

// msgpack: a string of n UTF-16 units takes at most 3n bytes plus a 5-byte prefix; numbers and
// bigints at most 9; containers a 5-byte prefix plus their parts.
function valueBound(v: unknown, depth: number): number {
  switch (typeof v) {
    case "string":
      return 5 + 3 * v.length;
    case "number":
    case "bigint":
      return 9;
    case "boolean":
    case "undefined":
      return 1;
    case "object": {
      if (v === null) return 1;
      // Far deeper than any schema type: a cycle or a hostile shape, counted as unencodable.
      if (depth > 64) return Infinity;
      if (Array.isArray(v)) {
        let n = 5;
        for (let i = 0; i < v.length; i++) n += valueBound(v[i], depth + 1);
        return n;
      }
      if (v instanceof Uint8Array) return 5 + v.length;
      if (v instanceof Map) {
        let n = 5;
        for (const [k, x] of v) n += valueBound(k, depth + 1) + valueBound(x, depth + 1);
        return n;
      }
      let n = 5;
      for (const [k, x] of Object.entries(v)) n += 5 + 3 * k.length + valueBound(x, depth + 1);
      return n;
    }
    default:
      return Infinity;
  }
}

/** `s` cut to `max` characters, saying how much was left out. */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/**
 * The error reply with its echoed name and text cut short (a Notfound for a 9 MB name names it
 * twice), keeping its code; null if `reply` is not a decodable error reply.
 */
export function truncatedError(errorType: number, reply: RawReply): RawReply | null {
  if (reply.type !== errorType) return null;
  try {
    const e = decodeRerror(reply.body);
    return {
      type: errorType,
      body: encodeRerror({
        errCode: e.errCode,
        obj: truncateText(e.obj, ERROR_TEXT_CHARS),
        err: truncateText(e.err, ERROR_TEXT_CHARS),
      }),
      data: NO_DATA,
    };
  } catch {
    return null;
  }
}

/** What replaces a reply that cannot be sent: an error naming the limit, small enough to fit. */
export function oversizeReply(
  errorType: number,
  name: string,
  size: number,
  maxFrame: number,
): RawReply {
  const bytes = Number.isFinite(size) ? `${size} bytes` : "an unencodable size";
  return {
    type: errorType,
    body: encodeRerror({
      errCode: ErrCode.Badcount,
      obj: "maxFrame",
      err: `${name} reply of ${bytes} exceeds maxFrame (${maxFrame}); ask for less`,
    }),
    data: NO_DATA,
  };
}
