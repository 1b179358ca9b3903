/**
 * Sessions across a named failover (docs/named-etcd.md, "Sessions across failover"): a client
 * whose leader is SIGKILLed resumes the same session on the next leader, which took back the
 * session's record and lease from etcd. Its ephemeral file and its leader file stay, and its next
 * calls (on fids the dead leader held) succeed without the application reopening anything.
 */
import { describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { ElectClnt } from "../../runtime/coord/index.js";
import { Perm } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { needingEtcd } from "../support/etcd.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: sessions across failover");
const enc = new TextEncoder();
const dec = new TextDecoder();
const SESSIONS = "/sigma/rootrealm/s/";

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  it("keeps its session, ephemeral file and leader file across a SIGKILL of its leader", async () => {
    const first = await w.named.leader();
    // The client's session timeout is named's (3 × its 1 s election lease): the reconnect
    // window must outlast the failover.
    const a = await FsLib.connect({
      named: w.named.addrs,
      localIp: "127.0.0.1",
      uname: "a",
      sessionTimeoutMs: 3000,
    });
    const closed: SessionClosedEvent[] = [];
    void (async () => {
      for await (const ev of a.sessionEvents()) closed.push(ev);
    })();
    await a.putFile("name/tmp/eph", Perm.DMTMP | 0o644, 0, enc.encode("mine"));
    await new ElectClnt(a, "name/tmp/leader-a").acquireLeadership(enc.encode("a"));
    const ephId = (await a.stat("name/tmp/eph")).qid.path;
    const etcdc = w.etcd.client();
    const before = await etcdc.getAll().prefix(SESSIONS).keys();
    expect(before.length).toBeGreaterThan(0);
    const fd = await a.open("name/tmp/eph", 0);

    await w.named.kill(first);
    const second = await w.named.leader();
    expect(second.addr).not.toBe(first.addr);

    // Calls on fids the dead leader held: the mount's root, an open fd.
    expect(dec.decode(await a.getFile("name/tmp/eph"))).toBe("mine");
    expect(dec.decode(await a.read(fd, 100))).toBe("mine");
    await a.putFile("name/tmp/after", 0o644, 0, enc.encode("new"));
    expect((await a.stat("name/tmp/eph")).qid.path).toBe(ephId);
    expect(closed).toEqual([]);
    // Another client sees a's ephemeral and leader files, and a's record in etcd is the same.
    const b = await w.connect();
    expect(dec.decode(await b.getFile("name/tmp/leader-a"))).toBe("a");
    expect(dec.decode(await b.getFile("name/tmp/eph"))).toBe("mine");
    const after = await etcdc.getAll().prefix(SESSIONS).keys();
    for (const k of before) expect(after).toContain(k);

    // When a's session ends, its files go (the lease the new leader kept is revoked); the reply
    // to Tdetach goes before the cleanup (spec 3.9), so the removal is awaited as a watch.
    const removed = await b.setRemoveWatch("name/tmp/eph");
    await a.exit();
    await removed.fired;
    await expect(b.stat("name/tmp/eph")).rejects.toThrow(/not found/);
    await w.named.restart(w.named.all.indexOf(first));
  }, 40_000);
});
