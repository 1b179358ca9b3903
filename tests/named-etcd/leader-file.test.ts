/**
 * Coordination over named on etcd: a contender's leader file (ephemeral, spec 7) whose holder
 * is gone (its client cut off) while the named replica it talked to is SIGKILLed moves to the
 * next contender: no client resumes the session on the new leader, so its file goes when the
 * session's etcd lease runs out, and the new leader's watch wakes the waiting contender. (A
 * holder that lives on keeps its file across the failover: session-failover.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { ElectClnt } from "../../runtime/coord/index.js";
import { needingEtcd } from "../support/etcd.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: a leader file after its named dies");
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  it("moves to the next contender once the holder and its named replica died", async () => {
    const first = await w.named.leader();
    const a = await w.connect();
    await new ElectClnt(a, "name/tmp/leader-file").acquireLeadership(enc.encode("a"));
    expect(dec.decode(await a.getFile("name/tmp/leader-file"))).toBe("a");
    // The holder goes silent as its leader dies: nobody resumes its session.
    await a.disconnect("name");
    await w.named.kill(first);
    const second = await w.named.leader();
    expect(second.addr).not.toBe(first.addr);
    const b = await w.connect();
    // Blocks while a's file exists (OWATCH create), i.e. until a's session lease runs out.
    await new ElectClnt(b, "name/tmp/leader-file").acquireLeadership(enc.encode("b"), {
      timeoutMs: 20_000,
    });
    expect(dec.decode(await b.getFile("name/tmp/leader-file"))).toBe("b");
  }, 40_000);
});
