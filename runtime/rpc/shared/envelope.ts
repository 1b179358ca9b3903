/**
 * The RPC envelope (spec 8), MessagePack: `Request [method str, args bin]` and
 * `Reply [res bin, error str]`, args and res being encoded records. A failed call appends the
 * error's code and object, `[res, error, code, obj]`: a peer that knows only the two-element reply
 * still reads the text, ours rebuild the handler's error exactly.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { pack, unpack } from "../../wire/index.js";
import {
  allocEnvelope,
  binHeaderSize,
  EnvelopeReader,
  strHeaderSize,
  writeBinHeader,
  writeStrHeader,
} from "./envelope-bytes.js";
import { methodText } from "./method-text.js";
import { RemoteError } from "./remote-error.js";

const NO_RES: Uint8Array = new Uint8Array(0);
const FIXARRAY_2 = 0x92;
const EMPTY_STR = 0xa0;
const utf8 = new TextEncoder();

// A client calls few distinct methods; their UTF-8 is worth keeping rather than re-encoding.
const methodBytes = new Map<string, Uint8Array>();
const METHOD_CACHE_MAX = 256;

export function encodeRequest(method: string, args: unknown[]): Uint8Array {
  let m = methodBytes.get(method);
  if (m === undefined) {
    m = utf8.encode(method);
    if (methodBytes.size < METHOD_CACHE_MAX) methodBytes.set(method, m);
  }
  const rec = pack(args);
  const out = allocEnvelope(
    1 + strHeaderSize(m.length) + m.length + binHeaderSize(rec.length) + rec.length,
  );
  out[0] = FIXARRAY_2;
  let at = writeStrHeader(out, 1, m.length);
  out.set(m, at);
  at = writeBinHeader(out, at + m.length, rec.length);
  out.set(rec, at);
  return out;
}

export interface DecodedRequest {
  method: string;
  /** The request record, decoded from MessagePack but not yet checked against its type. */
  args: unknown;
}

/** Throws SigmaError(BadFcall) for anything but a well-formed Request. */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  try {
    const r = new EnvelopeReader(bytes);
    if (r.arrayLength() < 2) throw new RangeError("too short");
    const method = methodText(r.bytes("str"));
    return { method, args: unpack(r.bytes("bin")) };
  } catch (e) {
    return badFcall("Request", `not [method str, args bin]: ${String(e)}`);
  }
}

export function encodeReply(res: unknown[]): Uint8Array {
  const rec = pack(res);
  const out = allocEnvelope(1 + binHeaderSize(rec.length) + rec.length + 1);
  out[0] = FIXARRAY_2;
  const at = writeBinHeader(out, 1, rec.length);
  out.set(rec, at);
  out[at + rec.length] = EMPTY_STR;
  return out;
}

export function encodeErrorReply(e: SigmaError): Uint8Array {
  // An empty text would read as success.
  const message = e.message === "" ? `error ${e.code}` : e.message;
  return pack([NO_RES, message, e.code, e.obj]);
}

/**
 * The reply record, decoded from MessagePack. A reported failure throws RemoteError; a malformed
 * reply throws SigmaError(BadFcall).
 */
export function decodeReply(method: string, bytes: Uint8Array): unknown {
  let res: Uint8Array;
  let error: Uint8Array;
  try {
    const r = new EnvelopeReader(bytes);
    if (r.arrayLength() < 2) throw new RangeError("too short");
    res = r.bytes("bin");
    error = r.bytes("str");
  } catch (e) {
    return badFcall("Reply", `not [res bin, error str]: ${String(e)}`);
  }
  if (error.length > 0) throw remoteError(method, bytes);
  try {
    return unpack(res);
  } catch {
    return badFcall("Reply", "res is malformed MessagePack");
  }
}

// Failures are rare: the general decoder reads the optional code and object.
function remoteError(method: string, bytes: Uint8Array): SigmaError {
  const [, error, code, obj] = unpack(bytes) as [unknown, string, unknown, unknown];
  return new RemoteError(
    method,
    typeof code === "number" ? code : ErrCode.Error,
    typeof obj === "string" ? obj : "",
    error,
  );
}

function badFcall(what: string, why: string): never {
  throw new SigmaError(ErrCode.BadFcall, what, `bad fcall: ${what}: ${why}`);
}
