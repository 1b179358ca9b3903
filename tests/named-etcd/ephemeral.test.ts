/**
 * Ephemeral files on etcd: one goes when its session's lease runs out even while no named runs
 * at all (etcd removes it: object, data and entry are one key under the lease), and goes at once
 * when its session ends normally.
 */
import { describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { keysFor } from "../../runtime/fs-etcd/index.js";
import { needingEtcd } from "../support/needs-tool.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: ephemeral files");
const enc = new TextEncoder();
const dec = new TextDecoder();
const keys = keysFor("/sigma/rootrealm/");

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  it("an ephemeral file goes when its lease runs out, with every named down", async () => {
    await w.named.leader();
    const c = await w.connect();
    await c.putFile("name/tmp/eph", Perm.DMTMP | 0o644, 0, enc.encode("mine"));
    await c.putFile("name/tmp/durable", 0o644, 0, enc.encode("stays"));
    const id = (await c.stat("name/tmp/eph")).qid.path;
    const key = keys.obj(BigInt(id));
    const etcdc = w.etcd.client();
    expect((await etcdc.get(key.toString()).exec()).kvs).toHaveLength(1);
    const watch = await etcdc.watch().key(key).create();
    const gone = new Promise<void>((resolve) => watch.on("delete", () => resolve()));
    await w.named.stopAll();
    // No named runs: only etcd's lease expiry can remove it.
    await gone;
    await watch.cancel();
    expect(w.named.all.every((r) => r.proc.exitCode !== null || r.proc.signalCode !== null)).toBe(
      true,
    );
    await w.restartAll();
    await w.named.leader();
    const d = await w.connect();
    await expect(d.stat("name/tmp/eph")).rejects.toThrow(/not found/);
    expect(dec.decode(await d.getFile("name/tmp/durable"))).toBe("stays");
  }, 60_000);

  it("an ephemeral file goes at once when its session ends", async () => {
    await w.named.leader();
    const c = await FsLib.connect({ named: w.named.addrs, localIp: "127.0.0.1", uname: "t" });
    await c.putFile("name/tmp/eph2", Perm.DMTMP | 0o644, 0, enc.encode("mine"));
    const id = (await c.stat("name/tmp/eph2")).qid.path;
    const d = await w.connect();
    // The reply to Tdetach goes before the cleanup (spec 3.9): the removal is awaited as a watch.
    const removed = await d.setRemoveWatch("name/tmp/eph2");
    await c.exit();
    await removed.fired;
    await expect(d.stat("name/tmp/eph2")).rejects.toThrow(/not found/);
    const etcdc = w.etcd.client();
    expect((await etcdc.get(keys.obj(BigInt(id)).toString()).exec()).kvs).toHaveLength(0);
  }, 30_000);
});
