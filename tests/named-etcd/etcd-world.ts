/**
 * The world most named-on-etcd tests run in: a private etcd (one member or a cluster), named
 * replicas on it, and FsLib clients of them, all started before the suite and stopped after it.
 */
import { afterAll, beforeAll } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";

export interface EtcdWorld {
  etcd: EtcdCluster;
  named: Replicas;
  /** A client of every replica (it follows the leader); closed after the suite. */
  connect(): Promise<FsLib>;
  /** Stops and starts every replica, one after another. */
  restartAll(): Promise<void>;
}

/** Registers the suite's beforeAll/afterAll; call inside `describe`. */
export function etcdWorld(opts: { members: number; replicas: number }): EtcdWorld {
  const clients: FsLib[] = [];
  const w = {
    async connect(): Promise<FsLib> {
      const c = await FsLib.connect({ named: w.named.addrs, localIp: "127.0.0.1", uname: "t" });
      clients.push(c);
      return c;
    },
    async restartAll(): Promise<void> {
      for (let i = 0; i < w.named.all.length; i++) await w.named.restart(i);
    },
  } as EtcdWorld;
  beforeAll(async () => {
    w.etcd = await startEtcd(opts.members);
    w.named = new Replicas(w.etcd.endpoints, 1000);
    await w.named.start(opts.replicas);
  }, 60_000);
  afterAll(async () => {
    await w.named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await w.etcd?.stop();
  });
  return w;
}
