/**
 * Three named replicas on a three-member etcd cluster: one leads; SIGKILLed, another takes over
 * and new sessions and writes work, with what was written before still there. A leader
 * SIGSTOPped past its lease and continued writes nothing into etcd (checked on etcd directly):
 * its fence no longer matches.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: failover");
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 3, replicas: 3 });

  it("a SIGKILLed leader is replaced; old data stays, new sessions and writes work", async () => {
    const first = await w.named.leader();
    const a = await w.connect();
    await a.putFile("name/tmp/before", 0o644, 0, enc.encode("kept"));
    const v = (await a.stat("name/tmp/before")).qid.version;
    await w.named.kill(first);
    const second = await w.named.leader();
    expect(second.addr).not.toBe(first.addr);
    const b = await w.connect();
    expect(dec.decode(await b.getFile("name/tmp/before"))).toBe("kept");
    expect((await b.stat("name/tmp/before")).qid.version).toBe(v);
    await b.putFile("name/tmp/after", 0o644, 0, enc.encode("new"));
    expect(dec.decode(await b.getFile("name/tmp/after"))).toBe("new");
    await w.named.restart(w.named.all.indexOf(first));
  }, 30_000);

  it("a leader SIGSTOPped past its lease gets no write into etcd once continued", async () => {
    const old = await w.named.leader();
    const c = await w.connect();
    await c.putFile("name/tmp/paused", 0o644, 0, enc.encode("v1"));
    // A write in flight when the leader stops: it must not land after the pause.
    w.named.pause(old);
    const late = c
      .putFile("name/tmp/paused", 0o644, 0, enc.encode("late"))
      .catch((e: unknown) => e);
    const next = await w.named.leader();
    expect(next.addr).not.toBe(old.addr);
    // The client resumes its session on the new leader, which applies the write in flight (once):
    // settled before the old leader is continued, so that it is not counted against it.
    const lateResult = await late;
    const etcdc = w.etcd.client();
    const revBefore = (await etcdc.get("/sigma/rootrealm/leader").exec()).header.revision;
    old.proc.kill("SIGCONT");
    // The old leader notices its lost lease and steps down: then it can write nothing more.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (old.out.some((l) => / following \(/.test(l))) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    const after = await etcdc.get("/sigma/rootrealm/leader").exec();
    // Nothing was written by anyone since the new leader was elected and the old one resumed.
    expect(after.header.revision).toBe(revBefore);
    const d = await w.connect();
    // What the new leader acknowledged, or the old value: never the old leader's late write.
    const expected = lateResult instanceof Error ? "v1" : "late";
    expect(dec.decode(await d.getFile("name/tmp/paused"))).toBe(expected);
  }, 30_000);
});
