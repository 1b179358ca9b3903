/**
 * The reply to a mutation that an earlier server of a replica group applied and whose reply was
 * lost (named on etcd, docs/named-etcd.md "Exactly-once across failover"): built from the
 * resent request and what the store recorded, without running the request again (its fids are
 * gone with the old server, and running it would apply it twice). A mutation's reply is its
 * request's data length (writes), the new object's qid (create), or nothing.
 */
import * as d from "../../generated/sigmap/registry.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { NO_DATA, type RawReply } from "../contract/index.js";

/** What the store recorded of an applied mutation. */
export interface AppliedOutcome {
  /** The id of the object it created, if it created one. */
  created?: bigint;
}

/** The reply, or a SigmaError saying the request was applied though no reply can be rebuilt. */
export function replayReply(
  type: number,
  body: unknown,
  data: Uint8Array,
  applied: AppliedOutcome,
): RawReply | SigmaError {
  switch (type) {
    case d.TputfileDesc.type:
    case d.TwriteVDesc.type: {
      const count = (type === d.TputfileDesc.type ? d.TputfileDesc : d.TwriteVDesc).decode(
        body,
        data,
      ).data.length;
      return raw(d.RwriteDesc, { count });
    }
    case d.TcreateDesc.type: {
      const perm = d.TcreateDesc.decode(body, data).perm;
      if (applied.created !== undefined) {
        // A new object's first version is 1 (spec 4.3).
        const qid = { type: (perm >>> 24) & 0xff, version: 1, path: applied.created };
        return raw(d.RcreateDesc, { qid, iounit: 0 });
      }
      break;
    }
    case d.TremoveDesc.type:
    case d.TremovefileDesc.type:
      return raw(d.RremoveDesc, {});
    case d.TwstatDesc.type:
      return raw(d.RwstatDesc, {});
    case d.TrenameatDesc.type:
      return raw(d.RrenameatDesc, {});
  }
  return new SigmaError(
    ErrCode.Error,
    String(type),
    `request type ${type} was applied by the previous leader and its reply was lost; it is not run again`,
  );
}

function raw<R>(desc: { type: number; encode(m: R): unknown }, m: R): RawReply {
  return { type: desc.type, body: desc.encode(m), data: NO_DATA };
}
