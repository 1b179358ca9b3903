/**
 * The client's own IP, for `~local` union elements: the first non-internal IPv4 address, else the
 * loopback address.
 */
import { networkInterfaces } from "node:os";

/** The first non-internal IPv4 address of this host, or `127.0.0.1`. */
export function defaultLocalIp(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}
