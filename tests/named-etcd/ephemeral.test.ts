/**
 * Ephemeral files on etcd: one goes when its session's lease runs out even while no named runs
 * at all (etcd removes it: object, data and entry are one key under the lease), and goes at once
 * when its session ends normally.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { keysFor } from "../../runtime/fs-etcd/index.js";
import { needingEtcd, startEtcd, type EtcdCluster } from "../support/etcd.js";
import { Replicas } from "./replicas.js";

const { title, missing } = needingEtcd("named on etcd: ephemeral files");
const enc = new TextEncoder();
const dec = new TextDecoder();
const keys = keysFor("/sigma/rootrealm/");

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];
  const connect = async (): Promise<FsLib> => {
    const c = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    clients.push(c);
    return c;
  };
  const restartAll = async (): Promise<void> => {
    for (let i = 0; i < named.all.length; i++) await named.restart(i);
  };

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, 1000);
    await named.start(2);
  }, 60_000);

  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  it("an ephemeral file goes when its lease runs out, with every named down", async () => {
    await named.leader();
    const c = await connect();
    await c.putFile("name/tmp/eph", Perm.DMTMP | 0o644, 0, enc.encode("mine"));
    await c.putFile("name/tmp/durable", 0o644, 0, enc.encode("stays"));
    const id = (await c.stat("name/tmp/eph")).qid.path;
    const key = keys.obj(BigInt(id));
    const etcdc = etcd.client();
    expect((await etcdc.get(key.toString()).exec()).kvs).toHaveLength(1);
    const watch = await etcdc.watch().key(key).create();
    const gone = new Promise<void>((resolve) => watch.on("delete", () => resolve()));
    await named.stopAll();
    // No named runs: only etcd's lease expiry can remove it.
    await gone;
    await watch.cancel();
    expect(named.all.every((r) => r.proc.exitCode !== null || r.proc.signalCode !== null)).toBe(
      true,
    );
    await restartAll();
    await named.leader();
    const d = await connect();
    await expect(d.stat("name/tmp/eph")).rejects.toThrow(/not found/);
    expect(dec.decode(await d.getFile("name/tmp/durable"))).toBe("stays");
  }, 60_000);

  it("an ephemeral file goes at once when its session ends", async () => {
    await named.leader();
    const c = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    await c.putFile("name/tmp/eph2", Perm.DMTMP | 0o644, 0, enc.encode("mine"));
    const id = (await c.stat("name/tmp/eph2")).qid.path;
    const d = await connect();
    // The reply to Tdetach goes before the cleanup (spec 3.9): the removal is awaited as a watch.
    const removed = await d.setRemoveWatch("name/tmp/eph2");
    await c.exit();
    await removed.fired;
    await expect(d.stat("name/tmp/eph2")).rejects.toThrow(/not found/);
    const etcdc = etcd.client();
    expect((await etcdc.get(keys.obj(BigInt(id)).toString()).exec()).kvs).toHaveLength(0);
  }, 30_000);
});
