/**
 * Exactly-once across a named failover (docs/named-etcd.md): a mutation the leader committed but
 * whose reply never left (the `reply-lost` failpoint: the leader SIGKILLs itself after applying a
 * Tputfile or Tcreate) is answered by the next leader from the dedup key the same transaction
 * wrote, not applied again: an append appears once, a create does not report Exists. A session's
 * dedup keys are bounded: acknowledged ones are deleted by its next transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { Mode, NoOffset } from "../../generated/sigmap/types.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd: exactly-once across failover");
const enc = new TextEncoder();
const dec = new TextDecoder();
const DEDUP = "/sigma/rootrealm/d/";
/** Each mutation here kills a leader, and replicas restart meanwhile: a failover under that load
 * takes seconds, and a session outlives it only within named's session timeout (3 × this). */
const LEASE_MS = 2000;

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];
  const connect = async (): Promise<FsLib> => {
    // named's session timeout is 3 × its election lease; the client's reconnect window (twice
    // its own) must outlast the failover.
    const c = await FsLib.connect({
      named: named.addrs,
      localIp: "127.0.0.1",
      uname: "t",
      sessionTimeoutMs: 3 * LEASE_MS,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, LEASE_MS, {
      ...process.env,
      SIGMA_FAILPOINTS: "reply-lost",
    });
    await named.start(3);
  }, 60_000);
  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  /** Restarts every replica the failpoint killed. */
  const restartDead = async (): Promise<void> => {
    for (let i = 0; i < named.all.length; i++) {
      const r = named.all[i]!;
      if (r.proc.exitCode !== null || r.proc.signalCode !== null) await named.restart(i);
    }
  };

  it("an append whose reply was lost with its leader appears once", async () => {
    const first = await named.leader();
    const a = await connect();
    // The leader applies each append and dies before replying; the resend reaches the next one.
    expect(await a.setFile("name/tmp/log", enc.encode("x1\n"), Mode.OAPPEND, NoOffset)).toBe(3);
    expect(first.proc.signalCode).toBe("SIGKILL");
    const second = await named.leader();
    expect(second.addr).not.toBe(first.addr);
    await restartDead();
    expect(await a.setFile("name/tmp/log", enc.encode("x2\n"), Mode.OAPPEND, NoOffset)).toBe(3);
    expect(second.proc.signalCode).toBe("SIGKILL");
    expect(dec.decode(await a.getFile("name/tmp/log"))).toBe("x1\nx2\n");
    await restartDead();
  }, 40_000);

  it("a create whose reply was lost with its leader does not report Exists to the resend", async () => {
    const before = await named.leader();
    const a = await connect();
    const fd = await a.create("name/tmp/made", 0o644, Mode.OWRITE);
    expect(before.proc.signalCode).toBe("SIGKILL");
    // The fd's fid died with that leader: the library makes it again (walk, open) for the close.
    await a.close(fd);
    const st = await a.stat("name/tmp/made");
    expect(st.qid.version).toBe(1);
    expect(st.length).toBe(0n);
    await restartDead();
  }, 40_000);

  it("keeps a session's dedup keys bounded: acknowledged ones go", async () => {
    // Without the failpoint's deaths: a plain replica group.
    await named.stopAll();
    named = new Replicas(etcd.endpoints, 1000);
    await named.start(1);
    await named.leader();
    const c = await connect();
    for (let i = 0; i < 200; i++) {
      await c.putFile(`name/tmp/bound-${i % 4}`, 0o644, Mode.OTRUNC, enc.encode(`v${i}`));
    }
    const etcdc = etcd.client();
    const keys = await etcdc.getAll().prefix(DEDUP).keys();
    // Sequential calls: at most the few whose acks have not reached a transaction yet.
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(16);
    expect(dec.decode(await c.getFile("name/tmp/bound-3"))).toBe("v199");
  }, 40_000);
});
