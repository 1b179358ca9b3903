/**
 * One "op" of the codec suite is a full exchange: encode and decode the request, then encode and
 * decode its reply. Three ways to do it over the same values: ours (generated codec + the
 * project's msgpack), the baseline (msgpackr on the plain object), and JSON (informational).
 */
import { pack as msgpackrPack, unpack as msgpackrUnpack } from "msgpackr";
import {
  decodeRread,
  decodeRwalk,
  decodeTgetfile,
  decodeTwalk,
  encodeRread,
  encodeRwalk,
  encodeTgetfile,
  encodeTwalk,
} from "../../../generated/sigmap/codec.js";
import type { Rread, Rwalk, Tgetfile, Twalk } from "../../../generated/sigmap/types.js";
import { readBytes } from "../../../runtime/contract/decode-helpers.js";
import { pack, unpack } from "../../../runtime/wire/msgpack.js";

export interface Exchange<Req, Rep> {
  req: Req;
  rep: Rep;
}

export function walkOurs(m: Exchange<Twalk, Rwalk>): Exchange<Twalk, Rwalk> {
  return {
    req: decodeTwalk(unpack(pack(encodeTwalk(m.req)))),
    rep: decodeRwalk(unpack(pack(encodeRwalk(m.rep)))),
  };
}

/**
 * A @data message travels as the frame payload `[body, data]` (spec 2.1; the session header is
 * the first element on the wire and is left out here, as it is for the baseline): the data is a
 * `bin` next to the positional body, copied once into msgpackr's output buffer and read back as a
 * view, exactly as msgpackr treats the baseline object's `data` field.
 */
export function getfileOurs(m: Exchange<Tgetfile, Rread>): Exchange<Tgetfile, Rread> {
  const req = decodeTgetfile(unpack(pack(encodeTgetfile(m.req))));
  const [body, data] = unpack(pack([encodeRread(m.rep), m.rep.data])) as [unknown, unknown];
  const rep = decodeRread(body, readBytes(data, "Rread", "data"));
  return { req, rep };
}

export function viaMsgpackr<Req, Rep>(m: Exchange<Req, Rep>): Exchange<Req, Rep> {
  return {
    req: msgpackrUnpack(msgpackrPack(m.req)) as Req,
    rep: msgpackrUnpack(msgpackrPack(m.rep)) as Rep,
  };
}

/**
 * JSON has no bigint or bytes. u64 values go as numbers (exact below 2^53, as here), converted
 * once up front by jsonReady, since a JSON protocol would hold numbers to begin with; the payload
 * goes as base64, converted inside the op, since a JSON peer would have to do that every time.
 */
export function viaJson(m: Exchange<unknown, unknown>): Exchange<unknown, unknown> {
  return { req: JSON.parse(JSON.stringify(m.req)), rep: JSON.parse(JSON.stringify(m.rep)) };
}

export function getfileViaJson(m: Exchange<unknown, Rread>): Exchange<unknown, Rread> {
  const req: unknown = JSON.parse(JSON.stringify(m.req));
  const data = Buffer.from(m.rep.data.buffer, m.rep.data.byteOffset, m.rep.data.length);
  const rep = JSON.parse(JSON.stringify({ data: data.toString("base64") })) as { data: string };
  return { req, rep: { data: Buffer.from(rep.data, "base64") } };
}

/** A copy of a message with bigints as numbers; bytes are left alone. */
export function jsonReady(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(jsonReady);
  if (value instanceof Uint8Array || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonReady(v)]));
}
