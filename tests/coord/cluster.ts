/**
 * Fixtures for the coordination tests: named and a second memfs server registered in named at
 * `name/fs2`, both with a short session timeout, and clients that reach named either directly or
 * through a fault proxy (so one client can be partitioned from named while its direct session to
 * the second server lives on, which is exactly what fencing must handle).
 */
import { FsLib } from "../../runtime/client/index.js";
import { startMemfsd, type Memfsd } from "../../servers/memfsd/index.js";
import type { Named } from "../../servers/named/index.js";
import { FaultProxy } from "../support/fault-proxy.js";
import type { Store } from "../support/store-matrix.js";

/** Where the second server registers itself in named. */
export const FS2 = "name/fs2";

export interface Cluster {
  named: Named;
  fs2: Memfsd;
  timeoutMs: number;
  /** A client talking to named directly. */
  connect(): Promise<FsLib>;
  /** A client whose named session runs through its own fault proxy. */
  partitionable(): Promise<{ fsl: FsLib; proxy: FaultProxy }>;
  /** Exits every client, closes proxies and servers. */
  close(): Promise<void>;
}

/**
 * Starts named on `store` and fs2 with session timeout `timeoutMs`. Tests that partition use a
 * few hundred ms so hand-overs take a fraction of a second; the others keep the default 1000 ms,
 * since a short timeout only adds the risk of a starved test process losing a session it never
 * meant to lose.
 */
export async function startCluster(store: Store, timeoutMs = 1000): Promise<Cluster> {
  const named = await store.startNamed({ sessionTimeoutMs: timeoutMs });
  const fs2 = await startMemfsd({ named: named.addr, pn: FS2, sessionTimeoutMs: timeoutMs });
  const clients: FsLib[] = [];
  const proxies: FaultProxy[] = [];
  const open = async (addr: string): Promise<FsLib> => {
    const fsl = await FsLib.connect({
      named: addr,
      localIp: "127.0.0.1",
      sessionTimeoutMs: timeoutMs,
      // The silence deadline must stay below the session timeout (spec 3.7), but not so far below
      // that a busy test process (servers and clients share its event loop) looks like a dead link.
      session: { keepaliveMs: timeoutMs / 4, silenceDeadlineMs: (timeoutMs * 3) / 4 },
    });
    clients.push(fsl);
    return fsl;
  };
  return {
    named,
    fs2,
    timeoutMs,
    connect: () => open(named.addr),
    partitionable: async () => {
      const proxy = await FaultProxy.start({ target: named.addr });
      proxies.push(proxy);
      return { fsl: await open(proxy.addr), proxy };
    },
    close: async () => {
      // Partitioned clients would wait out their reconnect window on a Tdetach nobody answers.
      for (const p of proxies) p.up();
      await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
      await Promise.all(proxies.map((p) => p.close()));
      await fs2.close();
      await named.close();
    },
  };
}
