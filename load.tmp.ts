import { startEtcd } from "./tests/support/etcd.js";
import { campaign, etcdClient, EtcdFs } from "./runtime/fs-etcd/index.js";
import type { Dir } from "./runtime/fs/index.js";
import { Perm } from "./generated/sigmap/types.js";
const etcd = await startEtcd(1);
const client = etcdClient(etcd.endpoints);
const key = Buffer.from("/p/leader");
const lead = await campaign({ client, key, value: "x", ttlSec: 5 });
const fs = await EtcdFs.open({ client, prefix: "/p/", fenceRev: lead.fenceRev, deadline: () => lead.deadline(), sessionTtlSec: 2 });
const dirs: Dir[] = [];
for (let i = 0; i < 64; i++) dirs.push((await fs.root.create(`d${i}`, Perm.DMDIR | 0o777, { owner: "" })) as Dir);
const data = new Uint8Array(100);
const N = Number(process.argv[2] ?? 100000);
await Promise.all(dirs.map(async (d, w) => { for (let k = w; k < N; k += 64) await d.create(`f${k}`, 0o644, { owner: "", content: data }); }));
console.log("filled", fs.objectCount);
fs.close(); await lead.resign();
const t0 = performance.now();
const lead2 = await campaign({ client, key, value: "y", ttlSec: 5 });
try {
  const fs2 = await EtcdFs.open({ client, prefix: "/p/", fenceRev: lead2.fenceRev, deadline: () => lead2.deadline(), sessionTtlSec: 2 });
  console.log("loaded", fs2.objectCount, (performance.now() - t0).toFixed(0), "ms");
  fs2.close();
} catch (e) { console.log("LOAD FAILED", e); }
await lead2.resign(); client.close(); await etcd.stop();
