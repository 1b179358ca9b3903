/**
 * A private one-member etcd and one store client on it for a whole file (beforeAll/afterAll),
 * for tests that drive the committer or dedup keys directly, without a named.
 */
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll } from "vitest";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { etcdClient } from "../../runtime/fs-etcd/index.js";

export function etcdClientWorld(): { readonly client: Etcd3 } {
  let etcd: EtcdCluster | undefined;
  let client: Etcd3 | undefined;
  beforeAll(async () => {
    etcd = await startEtcd(1);
    client = etcdClient(etcd.endpoints);
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });
  return {
    get client(): Etcd3 {
      if (client === undefined) throw new Error("etcdClientWorld: used outside a test");
      return client;
    },
  };
}
