/**
 * Coordination over named on etcd: a contender's leader file (ephemeral, spec 7) moves to the
 * next contender after the named replica its holder talked to is SIGKILLed. The holder's session
 * does not survive the failover (docs/named-etcd.md, Limits), so its file goes when its
 * session's etcd lease runs out, and the new leader's watch wakes the waiting contender.
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

  it("moves to the next contender once the holder's named replica died", async () => {
    const first = await w.named.leader();
    const a = await w.connect();
    await new ElectClnt(a, "name/tmp/leader-file").acquireLeadership(enc.encode("a"));
    expect(dec.decode(await a.getFile("name/tmp/leader-file"))).toBe("a");
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
