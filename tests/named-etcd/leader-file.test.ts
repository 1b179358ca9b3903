/**
 * Coordination over named on etcd: a contender's leader file (ephemeral, spec 7) moves to the
 * next contender after the named replica its holder talked to is SIGKILLed. The holder's session
 * does not survive the failover (docs/named-etcd.md, Limits), so its file goes when its
 * session's etcd lease runs out, and the new leader's watch wakes the waiting contender.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElectClnt } from "../../runtime/coord/index.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { needingEtcd, startEtcd, type EtcdCluster } from "../support/etcd.js";
import { Replicas } from "./replicas.js";

const { title, missing } = needingEtcd("named on etcd: a leader file after its named dies");
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];
  const connect = async (): Promise<FsLib> => {
    const c = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, 1000);
    await named.start(2);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await named?.stopAll();
    await etcd?.stop();
  });

  it("moves to the next contender once the holder's named replica died", async () => {
    const first = await named.leader();
    const a = await connect();
    await new ElectClnt(a, "name/tmp/leader-file").acquireLeadership(enc.encode("a"));
    expect(dec.decode(await a.getFile("name/tmp/leader-file"))).toBe("a");
    await named.kill(first);
    const second = await named.leader();
    expect(second.addr).not.toBe(first.addr);
    const b = await connect();
    // Blocks while a's file exists (OWATCH create), i.e. until a's session lease runs out.
    await new ElectClnt(b, "name/tmp/leader-file").acquireLeadership(enc.encode("b"), {
      timeoutMs: 20_000,
    });
    expect(dec.decode(await b.getFile("name/tmp/leader-file"))).toBe("b");
  }, 40_000);
});
