/**
 * Which address of a mount record to dial first (spec 3.2): the first on the client's own network,
 * else the first in the root realm, then the rest in their order.
 */
import { RootRealm, type Taddr } from "../../../generated/sigmap/types.js";
import { netName } from "./addr-tls.js";

/** The addresses of `addrs` in dialing order for a client on network `net`. */
export function dialOrder(addrs: readonly Taddr[], net: string): string[] {
  let first = addrs.findIndex((a) => netName(a) === net);
  if (first < 0) first = addrs.findIndex((a) => netName(a) === RootRealm);
  const list = addrs.map((a) => a.addr);
  if (first <= 0) return list;
  const [chosen] = list.splice(first, 1);
  return chosen === undefined ? list : [chosen, ...list];
}

/** The host part of `host:port` (an IPv6 host may be bracketed). */
export function hostOf(addr: string): string {
  const colon = addr.lastIndexOf(":");
  const host = colon < 0 ? addr : addr.slice(0, colon);
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
