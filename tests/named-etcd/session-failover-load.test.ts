/**
 * Failover under load (issue 14's shape, CI-sized): clients append to their own files while the
 * leader named is SIGKILLed every couple of seconds and restarted. Every acknowledged append is
 * present exactly once and in order, and no client's session closed: each resumed on the next
 * leader (sessions across failover), and an append the dead leader had applied was answered from
 * its dedup key, not applied again (exactly-once across failover). The full size (8 × 2,000,
 * SIGKILLs and a SIGSTOP, etcd audited) is failover-under-load.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { Mode, NoOffset } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd: failover under load");
const enc = new TextEncoder();
const dec = new TextDecoder();
const CLIENTS = 4;
const APPENDS = 150;
const KILLS = 3;
const LEASE_MS = 2000;
/**
 * Not named's default 3 × lease: with it the next leader has 6 s less the age of the dead one's
 * last lease keepalive to take a session back, and CI saw one close (docs/named-etcd.md,
 * "Failover under load"); this test is about exactly-once and order across failovers.
 */
const SESSION_TIMEOUT_MS = 5 * LEASE_MS;

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, LEASE_MS, process.env, [
      "--session-timeout",
      String(SESSION_TIMEOUT_MS),
    ]);
    await named.start(3);
  }, 60_000);
  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  it("every acknowledged append is there once and in order across SIGKILLs of the leader", async () => {
    await named.leader();
    const closed: SessionClosedEvent[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const c = await FsLib.connect({
        named: named.addrs,
        localIp: "127.0.0.1",
        uname: `c${i}`,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
      });
      clients.push(c);
      void (async () => {
        for await (const ev of c.sessionEvents()) closed.push(ev);
      })();
    }
    let done = 0;
    const acked = clients.map(() => 0);
    const total = (): number => acked.reduce((a, b) => a + b, 0);
    let wake = (): void => {};
    const writers = clients.map(async (c, i) => {
      for (let n = 0; n < APPENDS; n++) {
        await c.setFile(`name/tmp/load-${i}`, enc.encode(`${n}\n`), Mode.OAPPEND, NoOffset);
        acked[i] = n + 1;
        wake();
      }
      done++;
      wake();
    });
    /** Resolves once the writers acknowledged `more` appends beyond `at`, or all finished. */
    const progress = (at: number, more: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (total() >= at + more || done === CLIENTS) resolve();
          else wake = check;
        };
        check();
      });
    // Kill the leader once the writers have made progress since the last kill, KILLS times.
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await progress(total(), 20);
      if (done === CLIENTS) break;
      const leader = await named.leader();
      await named.kill(leader);
      kills++;
      await named.restart(named.all.indexOf(leader));
    }
    await Promise.all(writers);
    expect(kills).toBe(KILLS);
    expect(closed).toEqual([]);
    const reader = clients[0]!;
    for (let i = 0; i < CLIENTS; i++) {
      const lines = dec.decode(await reader.getFile(`name/tmp/load-${i}`)).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toEqual(Array.from({ length: APPENDS }, (_, n) => String(n)));
    }
  }, 120_000);
});
