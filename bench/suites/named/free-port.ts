/**
 * Loopback ports nobody listens on, for a server (etcd) that must be told its ports up front.
 * The kernel picks them; between closing our probe and etcd binding, another process could take
 * one, which etcd then reports as a bind error.
 */
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";

export async function freePorts(count: number): Promise<number[]> {
  // All probes stay open until every port is known, so that the kernel hands out distinct ones.
  const servers = Array.from({ length: count }, () => createServer());
  try {
    for (const s of servers) {
      s.listen(0, "127.0.0.1");
      await once(s, "listening");
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
