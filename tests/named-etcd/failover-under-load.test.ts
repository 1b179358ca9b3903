/**
 * Failover under load, issue 14's shape at full size: 8 clients × 2,000 appends to their own
 * files while the leader named is SIGKILLed every few seconds and restarted, and once SIGSTOPped
 * past its lease, the next leader acknowledging appends meanwhile, then continued. Afterwards:
 * every append was acknowledged, and each file holds them exactly once and in order; no client's
 * session closed (each resumed on the next leader); and etcd itself, watched from before the load,
 * shows every revision written by the leader of that moment, so the continued old leader got no
 * write in (tests/named-etcd/term-audit.ts; each transaction carries its writer's fence).
 * session-failover-load.test.ts is the small, fast case of the same shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { Mode, NoOffset } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas, type Replica } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";
import { TermAudit } from "./term-audit.js";

const { title, missing } = needingEtcd("named on etcd: failover under load, 8 × 2,000");
const enc = new TextEncoder();
const dec = new TextDecoder();
const CLIENTS = 8;
const APPENDS = 2000;
const LEASE_MS = 2000;
/**
 * Not named's default (3 × the lease): a session survives a failover only if the next leader
 * takes it back within the session timeout of the old leader's last keepalive of its lease, which
 * is up to a third of the timeout old, and clients here resumed up to 3.4 s after a kill on a
 * loaded machine: with 6 s that left under a second, and 1 run in 10 closed a session. This test
 * is about fencing and exactly-once, not that margin (docs/named-etcd.md, "Failover under load").
 */
const SESSION_TIMEOUT_MS = 5 * LEASE_MS;
/** Appends each leader acknowledges before it is killed (about a second's worth). */
const PER_TERM = 1500;
/** The term (counted from 0) whose leader is SIGSTOPped instead of killed. */
const STOPPED_TERM = 2;
/** Appends the next leader acknowledges while the old one is stopped. */
const WHILE_STOPPED = 500;
const PREFIX = "/sigma/rootrealm/";

/** The fence revision a replica said it leads at, in its last "leading" line. */
function fenceOf(r: Replica): number {
  const line = [...r.out].reverse().find((l) => / leading \(/.test(l));
  const m = /fence revision (\d+)/.exec(line ?? "");
  if (m === null) throw new Error(`${r.addr} said no fence: ${line ?? "no leading line"}`);
  return Number(m[1]);
}

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

  it("acknowledged appends are there once and in order; only the leader of the moment wrote etcd", async () => {
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
    const audit = await TermAudit.start(etcd.client(), PREFIX);
    const started = performance.now();

    let done = 0;
    /** A writer's failure ends the schedule at once; it is rethrown below. */
    let failed = false;
    const acked = clients.map(() => 0);
    const total = (): number => acked.reduce((a, b) => a + b, 0);
    let wake = (): void => {};
    const writers = Promise.all(
      clients.map(async (c, i) => {
        for (let n = 0; n < APPENDS; n++) {
          await c.setFile(`name/tmp/load-${i}`, enc.encode(`${n}\n`), Mode.OAPPEND, NoOffset);
          acked[i] = n + 1;
          wake();
        }
        done++;
        wake();
      }),
    );
    writers.catch(() => {
      failed = true;
      wake();
    });
    const over = (): boolean => done === CLIENTS || failed;
    /** Resolves once the writers acknowledged `more` appends beyond `at`, or are over. */
    const progress = (at: number, more: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (total() >= at + more || over()) resolve();
          else wake = check;
        };
        check();
      });

    // Each term: the leader acknowledges PER_TERM appends, then is killed and restarted, except
    // STOPPED_TERM's, which is stopped until the next leader acknowledged WHILE_STOPPED (the next
    // leads only once the stopped one's lease is gone: the stop outlasts it).
    let kills = 0;
    /** ms from each fault to the next leader's "leading" line. */
    const failovers: number[] = [];
    let stopped: { fence: number; next: number; said: string } | undefined;
    /** Appends/s of each term, from its leader's "leading" line to its PER_TERM-th ack. */
    const rates: number[] = [];
    for (let term = 0; !over(); term++) {
      const leader = await named.leader();
      const leads = performance.now();
      await progress(total(), PER_TERM);
      if (over()) break;
      rates.push(PER_TERM / ((performance.now() - leads) / 1000));
      const fault = performance.now();
      if (term === STOPPED_TERM) {
        named.pause(leader);
        const next = await named.leader();
        failovers.push(performance.now() - fault);
        await progress(total(), WHILE_STOPPED);
        const from = leader.out.length;
        named.resume(leader);
        // Its own word that it stepped down; the audit below is etcd's.
        const said = await leader.printed(/ following \(/, from);
        stopped = { fence: fenceOf(leader), next: fenceOf(next), said };
      } else {
        await named.kill(leader);
        kills++;
        await named.restart(named.all.indexOf(leader));
        await named.leader();
        failovers.push(performance.now() - fault);
      }
    }
    const failure = await writers.then(
      () => undefined,
      (e: unknown) => e,
    );
    const seconds = (performance.now() - started) / 1000;
    await audit.finish();
    process.stdout.write(
      `failover-under-load: ${CLIENTS * APPENDS} appends in ${seconds.toFixed(1)} s, ` +
        `${kills} SIGKILLs + 1 SIGSTOP, failovers ${failovers.map((f) => Math.round(f)).join(" ")} ms, ` +
        `terms at ${rates.map((r) => Math.round(r)).join(" ")} appends/s, ` +
        `${audit.fences.length} terms, revisions audited up to ${audit.last}; ` +
        `the continued one said: ${stopped?.said ?? "nothing"}\n`,
    );
    // A writer fails when its session closed; the audit tells whether the session's lease ran
    // out before a leader took it back (its record deleted without a writer mark).
    expect(failure, `a writer failed; unmarked deletes: ${audit.unmarkedDeletes.join(", ")}`).toBe(
      undefined,
    );

    expect(kills).toBeGreaterThanOrEqual(3);
    expect(stopped).toBeDefined();
    expect(closed).toEqual([]);

    // Every revision since the load began was written by the leader of that revision.
    expect(audit.violations).toEqual([]);
    // No session lease ran out or was revoked (the stopped leader's included).
    expect(audit.unmarkedDeletes).toEqual([]);
    const { fence, next, said } = stopped!;
    // The next leader took over, at a fence after the stopped one's, and wrote under it...
    expect(audit.fences).toContain(next);
    expect(next).toBeGreaterThan(fence);
    expect(audit.writesOf(next).length).toBeGreaterThan(0);
    // ...and the stopped leader, continued, got no write in after the next leader's term began.
    expect(audit.writesOf(fence, next)).toEqual([]);
    // Its lease's end seen by its clock or by etcd, or its first transaction refused.
    expect(said).toMatch(/lease|deposed/);

    const reader = clients[0]!;
    for (let i = 0; i < CLIENTS; i++) {
      const lines = dec.decode(await reader.getFile(`name/tmp/load-${i}`)).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toEqual(Array.from({ length: APPENDS }, (_, n) => String(n)));
    }
  }, 150_000);
});
