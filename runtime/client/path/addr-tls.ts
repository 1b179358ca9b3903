/**
 * Whether a mount record's address speaks TLS (docs/security.md, "TLS in mount records"). The
 * mark rides in `Taddr.net` as a `+tls` suffix (`rootrealm+tls`): realm and network names cannot
 * hold `+`, the field is already in every record, and an old client reading a marked record
 * only sees a network that is not its own and still dials the address (and fails its hello,
 * as it would have anyway). A record whose addresses disagree is refused: one session dials
 * them all, over one transport.
 */
import { ErrCode, type Taddr } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";

const TLS_MARK = "+tls";

/** How a session dials: as a mount record says, or (undefined) as the client was configured. */
export type Transport = "tls" | "plain" | undefined;

/** The `net` a server registers `net` with: marked when it serves TLS. */
export function netWithTls(net: string, tls: boolean): string {
  return tls && !net.endsWith(TLS_MARK) ? `${net}${TLS_MARK}` : net;
}

/** The network name of an address, without the TLS mark. */
export function netName(a: Taddr): string {
  return a.net.endsWith(TLS_MARK) ? a.net.slice(0, -TLS_MARK.length) : a.net;
}

/** The transport a record's addresses need; Inval when they mix TLS and plain. */
export function recordTransport(addrs: readonly Taddr[]): "tls" | "plain" {
  const marked = addrs.filter((a) => a.net.endsWith(TLS_MARK)).length;
  if (marked === 0) return "plain";
  if (marked === addrs.length) return "tls";
  const list = addrs.map((a) => `${a.addr} (${a.net})`).join(", ");
  throw new SigmaError(
    ErrCode.Inval,
    list,
    `invalid argument: bad mount record: its addresses mix TLS and plain: ${list}`,
  );
}
