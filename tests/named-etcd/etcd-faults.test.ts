/**
 * etcd member faults under named: with one of three members killed (a follower of etcd's Raft,
 * so that etcd itself need not elect), writes through named go on without a named failover, and
 * every acknowledged write is there once afterwards. A transaction sent to the dead member has
 * an unknown outcome; the store sends it again, which its compares make safe. With two of three
 * killed, a call fails with a clear error (the leader steps down, its sessions close) and, once
 * the members are back, new sessions see everything acknowledged before.
 */
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { startEtcd, type EtcdCluster, type EtcdMember } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";
import { Replicas } from "../../devtools/replicas.js";

const { title, missing } = needingEtcd("named on etcd: etcd member faults");
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A member that is not etcd's Raft leader. */
async function raftFollower(etcd: EtcdCluster): Promise<EtcdMember> {
  for (const m of etcd.members) {
    const c = new Etcd3({ hosts: `http://${m.endpoint}` });
    try {
      const st = await c.maintenance.status();
      if (st.header.member_id !== st.leader) return m;
    } finally {
      c.close();
    }
  }
  throw new Error("no etcd follower");
}

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  let fsl: FsLib | undefined;

  beforeAll(async () => {
    etcd = await startEtcd(3);
    named = new Replicas(etcd.endpoints, 2000);
    await named.start(2);
  }, 60_000);

  afterAll(async () => {
    await named?.stopAll();
    await fsl?.exit().catch(() => undefined);
    await etcd?.stop();
  });

  it("one of three members killed: writes go on, the leader stays, nothing is lost", async () => {
    const leader = await named.leader();
    fsl = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    await fsl.mkDir("name/tmp/faults");
    const acked: string[] = [];
    for (let i = 0; i < 200; i++) {
      if (i === 50) await (await raftFollower(etcd)).kill();
      const path = `name/tmp/faults/f${i}`;
      await fsl.putFile(path, 0o644, 0, enc.encode(`v${i}`));
      acked.push(path);
    }
    // Every replica says "following" once before its first campaign; none may after leading.
    const led = leader.out.findIndex((l) => / leading \(/.test(l));
    expect(led).toBeGreaterThanOrEqual(0);
    expect(leader.out.slice(led).some((l) => / following \(/.test(l))).toBe(false);
    expect(leader.leading).toBe(true);
    for (const [i, p] of acked.entries()) expect(dec.decode(await fsl.getFile(p))).toBe(`v${i}`);
    const st = await fsl.stat("name/tmp/faults/f0");
    expect(st.qid.version).toBe(1);
  }, 60_000);

  it("two of three members killed: a call fails clearly; with them back, all is there", async () => {
    const c = fsl!;
    const down = etcd.members.filter((m) => !m.running);
    const alive = etcd.members.filter((m) => m.running);
    expect(down).toHaveLength(1);
    await alive[0]!.kill();
    const failed = await c
      .putFile("name/tmp/faults/late", 0o644, 0, enc.encode("x"))
      .catch((e: unknown) => e);
    expect(isErr(failed, ErrCode.SessClosed) || isErr(failed, ErrCode.Unreachable)).toBe(true);
    for (const m of etcd.members.filter((m) => !m.running)) await m.restart();
    await named.leader();
    const d = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    try {
      for (let i = 0; i < 200; i++) {
        expect(dec.decode(await d.getFile(`name/tmp/faults/f${i}`))).toBe(`v${i}`);
      }
      await d.putFile("name/tmp/faults/after", 0o644, 0, enc.encode("ok"));
      expect(dec.decode(await d.getFile("name/tmp/faults/after"))).toBe("ok");
    } finally {
      await d.exit();
    }
  }, 60_000);
});
