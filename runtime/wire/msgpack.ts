import { Packr, Unpackr, type Options } from "msgpackr";
import { DecodeError } from "../contract/decode-error.js";

/**
 * The project's one MessagePack configuration. Peers in other languages must be able to read
 * every frame, so it is standard MessagePack only: no records, no structured clone, no extension
 * types; maps stay `Map` (keys may be integers), 64-bit integers stay exact as bigint, and byte
 * arrays are `bin`.
 */
const OPTIONS: Options = {
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: false,
  int64AsType: "bigint",
  // msgpackr would otherwise write undefined as a private extension.
  encodeUndefinedAsNil: true,
  useBigIntExtension: false,
  largeBigIntToFloat: false,
  largeBigIntToString: false,
};

const packr = new Packr(OPTIONS);
const unpackr = new Unpackr(OPTIONS);

/** Encodes one value; the result may be a view into a larger buffer. */
export function pack(value: unknown): Uint8Array {
  return packr.pack(value);
}

/**
 * Decodes exactly one value. Malformed, truncated or over-long input throws DecodeError (never
 * msgpackr's own errors), so callers handle one failure type: the session layer closes the
 * connection on it, as the spec requires for an undecodable frame.
 */
export function unpack(bytes: Uint8Array): unknown {
  try {
    return unpackr.unpack(bytes);
  } catch (e) {
    throw new DecodeError(
      "",
      `malformed MessagePack: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
