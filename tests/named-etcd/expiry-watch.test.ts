/**
 * An ephemeral object whose session's lease runs out while another leader serves: the leader
 * sees etcd delete it, drops it from its cache, moves the object's and the parent's versions as
 * a remove would, and wakes protsrv's watches on it. Two stores in this process stand for two
 * replicas; the first dies by stopping (no keepalives) and resigning its election.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { Dir } from "../../runtime/fs/index.js";
import { campaign, etcdClient, EtcdFs, type EtcdFsOptions } from "../../runtime/fs-etcd/index.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/file-server.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd store: lease expiry under a live leader");
const PREFIX = "/x/";
const KEY = Buffer.from(`${PREFIX}leader`);

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  const undo: (() => unknown)[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(1);
  }, 30_000);
  afterAll(async () => {
    for (const fn of undo.reverse()) await fn();
    await etcd?.stop();
  });

  const leader = async (onRemoved?: EtcdFsOptions["onRemoved"]) => {
    const client = etcdClient(etcd.endpoints);
    undo.push(() => client.close());
    const lead = await campaign({ client, key: KEY, value: "r", ttlSec: 5 });
    const fs = await EtcdFs.open({
      client,
      prefix: PREFIX,
      fenceRev: lead.fenceRev,
      deadline: () => lead.deadline(),
      sessionTtlSec: 2,
      onRemoved,
    });
    undo.push(() => fs.close());
    return { fs, lead };
  };

  it("a watch on it fires, and the parent's version moves once", async () => {
    const a = await leader();
    const dir = (await a.fs.root.create("w", Perm.DMDIR | 0o777, { owner: "" })) as Dir;
    const eph = await dir.create("eph", Perm.DMTMP | 0o644, { owner: "", session: 7n });
    // The first leader dies: no more keepalives for its sessions' leases, its election key gone.
    a.fs.close();
    await a.lead.resign();

    const held: { server?: FileServer } = {};
    const b = await leader((d, o) => held.server?.protsrv.storeRemoved(d, o));
    const server = await startFileServer({ root: b.fs.root, host: "127.0.0.1", port: 0 });
    held.server = server;
    undo.push(() => server.close());
    const c = await FsLib.connect({ named: server.addr, uname: "t" });
    undo.push(() => c.exit());
    const before = (await c.stat("name/w")).qid.version;
    const v = (await c.stat("name/w/eph")).qid.version;
    const watch = await c.setRemoveWatch("name/w/eph");
    await watch.fired;
    await expect(c.stat("name/w/eph")).rejects.toThrow(/not found/);
    expect((await c.stat("name/w")).qid.version).toBe(before + 1);
    const gone = await etcd.client().get(b.fs.keys.obj(eph.id).toString()).exec();
    expect(gone.kvs).toHaveLength(0);
    expect(v).toBe(1);
  }, 30_000);
});
