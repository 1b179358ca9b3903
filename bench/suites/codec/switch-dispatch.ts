/**
 * The baselines of the dispatch cases: what sigma gen emitted before descriptors, a switch over
 * every request type with one reply function per request, and an async client method per
 * request. Kept here, written as the generator wrote them, so that the runtime's descriptor
 * dispatcher and ProtocolClient are measured against the switch they replaced in the same run.
 * The cases the benchmark sends (Tclunk, Twalk, Tstat, Tgetfile) are complete; the others only
 * take their place in the switch.
 */
import * as c from "../../../generated/sigmap/codec.js";
import type { SigmapHandlers } from "../../../generated/sigmap/server.js";
import { ErrCode, MsgType } from "../../../generated/sigmap/types.js";
import type * as t from "../../../generated/sigmap/types.js";
import { errorText, isSigmaError, SigmaError } from "../../../runtime/errors/index.js";
import { NO_DATA, type RawReply, type Transport } from "../../../runtime/contract/index.js";

export function switchDispatch<Ctx>(
  h: SigmapHandlers<Ctx>,
  type: number,
  body: unknown,
  data: Uint8Array,
  ctx: Ctx,
): Promise<RawReply> {
  try {
    switch (type) {
      case MsgType.Tauth:
        return Promise.resolve(h.auth(c.decodeTauth(body), ctx)).then(unused, errorReply);
      case MsgType.Tattach:
        return Promise.resolve(h.attach(c.decodeTattach(body), ctx)).then(unused, errorReply);
      case MsgType.Twalk:
        return Promise.resolve(h.walk(c.decodeTwalk(body), ctx)).then(replyTwalk, errorReply);
      case MsgType.Tclunk:
        return Promise.resolve(h.clunk(c.decodeTclunk(body), ctx)).then(replyTclunk, errorReply);
      case MsgType.Tremove:
        return Promise.resolve(h.remove(c.decodeTremove(body), ctx)).then(unused, errorReply);
      case MsgType.Tstat:
        return Promise.resolve(h.stat(c.decodeTstat(body), ctx)).then(replyTstat, errorReply);
      case MsgType.Topen:
        return Promise.resolve(h.open(c.decodeTopen(body), ctx)).then(unused, errorReply);
      case MsgType.Tcreate:
        return Promise.resolve(h.create(c.decodeTcreate(body), ctx)).then(unused, errorReply);
      case MsgType.TreadV:
        return Promise.resolve(h.readV(c.decodeTreadV(body), ctx)).then(unused, errorReply);
      case MsgType.TwriteV:
        return Promise.resolve(h.writeV(c.decodeTwriteV(body, data), ctx)).then(unused, errorReply);
      case MsgType.Twatch:
        return Promise.resolve(h.watch(c.decodeTwatch(body), ctx)).then(unused, errorReply);
      case MsgType.Twstat:
        return Promise.resolve(h.wstat(c.decodeTwstat(body), ctx)).then(unused, errorReply);
      case MsgType.Trenameat:
        return Promise.resolve(h.renameat(c.decodeTrenameat(body), ctx)).then(unused, errorReply);
      case MsgType.Tremovefile:
        return Promise.resolve(h.removefile(c.decodeTremovefile(body), ctx)).then(
          unused,
          errorReply,
        );
      case MsgType.Tgetfile:
        return Promise.resolve(h.getfile(c.decodeTgetfile(body), ctx)).then(
          replyTgetfile,
          errorReply,
        );
      case MsgType.Tputfile:
        return Promise.resolve(h.putfile(c.decodeTputfile(body, data), ctx)).then(
          unused,
          errorReply,
        );
      case MsgType.Tdetach:
        return Promise.resolve(h.detach(c.decodeTdetach(body), ctx)).then(unused, errorReply);
      case MsgType.Twriteread:
        return Promise.resolve(h.writeread(c.decodeTwriteread(body, data), ctx)).then(
          unused,
          errorReply,
        );
    }
    return Promise.resolve(errorReply(new SigmaError(ErrCode.BadFcall, String(type))));
  } catch (e) {
    return Promise.resolve(errorReply(e));
  }
}

function replyTwalk(rep: t.Rwalk): RawReply {
  try {
    return { type: MsgType.Rwalk, body: c.encodeRwalk(rep), data: NO_DATA };
  } catch (e) {
    return errorReply(e);
  }
}

function replyTclunk(rep: t.Rclunk): RawReply {
  try {
    return { type: MsgType.Rclunk, body: c.encodeRclunk(rep), data: NO_DATA };
  } catch (e) {
    return errorReply(e);
  }
}

function replyTstat(rep: t.Rstat): RawReply {
  try {
    return { type: MsgType.Rstat, body: c.encodeRstat(rep), data: NO_DATA };
  } catch (e) {
    return errorReply(e);
  }
}

function replyTgetfile(rep: t.Rread): RawReply {
  try {
    return { type: MsgType.Rread, body: c.encodeRread(rep), data: rep.data };
  } catch (e) {
    return errorReply(e);
  }
}

function unused(): RawReply {
  throw new Error("switchDispatch: a case the benchmark does not send");
}

function errorReply(e: unknown): RawReply {
  const err = isSigmaError(e) ? e : new SigmaError(ErrCode.Error, errorText(e));
  const body = c.encodeRerror({ errCode: err.code, obj: err.obj, err: err.message });
  return { type: MsgType.Rerror, body, data: NO_DATA };
}

/** The generated client's shape before descriptors: one async method per request. */
export class SwitchClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  async walk(req: t.Twalk): Promise<t.Rwalk> {
    const r = await this.#transport.call(MsgType.Twalk, c.encodeTwalk(req), null);
    if (r.type !== MsgType.Rwalk) throw failedCall(r, "Rwalk");
    return c.decodeRwalk(r.body);
  }

  async clunk(req: t.Tclunk): Promise<t.Rclunk> {
    const r = await this.#transport.call(MsgType.Tclunk, c.encodeTclunk(req), null);
    if (r.type !== MsgType.Rclunk) throw failedCall(r, "Rclunk");
    return c.decodeRclunk(r.body);
  }

  async stat(req: t.Tstat): Promise<t.Rstat> {
    const r = await this.#transport.call(MsgType.Tstat, c.encodeTstat(req), null);
    if (r.type !== MsgType.Rstat) throw failedCall(r, "Rstat");
    return c.decodeRstat(r.body);
  }

  async getfile(req: t.Tgetfile): Promise<t.Rread> {
    const r = await this.#transport.call(MsgType.Tgetfile, c.encodeTgetfile(req), null);
    if (r.type !== MsgType.Rread) throw failedCall(r, "Rread");
    return c.decodeRread(r.body, r.data);
  }
}

function failedCall(r: RawReply, expected: string): SigmaError {
  if (r.type === MsgType.Rerror) {
    const e = c.decodeRerror(r.body);
    return new SigmaError(e.errCode, e.obj, e.err === "" ? undefined : e.err);
  }
  return new SigmaError(ErrCode.BadFcall, expected, `expected ${expected}, got ${r.type}`);
}
