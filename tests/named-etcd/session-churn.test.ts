/**
 * Session churn on named-on-etcd (issue 14, "a refused session lease deposes the leader"): many
 * sessions connect, make at most one call and exit at once, concurrently, while a long-lived
 * client writes. Each session's record is put under its lease in the background; ending the
 * session revokes that lease only after the put settled, and a put etcd refuses for a lease
 * gone fails only its own mutation (docs/named-etcd.md, "Sessions across failover"). Afterwards
 * the leader never stepped down, the long-lived session never closed and all its writes landed,
 * and nothing of the exited sessions remains: no ephemeral file, no session record.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { Perm } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd: session churn");
const enc = new TextEncoder();
const dec = new TextDecoder();
const SESSIONS = "/sigma/rootrealm/s/";
const CHURN = 100;
/** Long: a named starved by the churn on a shared machine must not lose its lease for that. */
const LEASE_MS = 5000;

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, LEASE_MS);
    await named.start(1);
  }, 60_000);
  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  const connect = async (uname: string): Promise<FsLib> =>
    FsLib.connect({
      named: named.addrs,
      localIp: "127.0.0.1",
      uname,
      sessionTimeoutMs: 3 * LEASE_MS,
    });

  it("sessions exiting right after connecting leave the leader leading", async () => {
    const leader = await named.leader();
    const keeper = await connect("keeper");
    clients.push(keeper);
    const closed: SessionClosedEvent[] = [];
    void (async () => {
      for await (const ev of keeper.sessionEvents()) closed.push(ev);
    })();
    await keeper.putFile("name/tmp/keeper-eph", Perm.DMTMP | 0o644, 0, enc.encode("keeper"));

    let churning = true;
    const written: string[] = [];
    const writes = (async () => {
      for (let n = 0; churning || n < 5; n++) {
        const path = `name/tmp/keeper-${n}`;
        await keeper.putFile(path, 0o644, 0, enc.encode(`w${n}`));
        written.push(path);
      }
    })();
    // Half exit at once (the race: the record's put still queued behind others' mutations), a
    // quarter first make an ephemeral file, a quarter first write a file.
    const churn = await Promise.allSettled(
      Array.from({ length: CHURN }, async (_, i) => {
        const c = await connect(`churn${i}`);
        if (i % 4 === 1) {
          await c.putFile(`name/tmp/eph-${i}`, Perm.DMTMP | 0o644, 0, enc.encode("gone"));
        } else if (i % 4 === 3) {
          await c.putFile(`name/tmp/file-${i}`, 0o644, 0, enc.encode("stays"));
        }
        await c.exit();
      }),
    );
    churning = false;
    await writes;

    expect(churn.filter((r) => r.status === "rejected")).toEqual([]);
    const led = leader.out.findIndex((l) => / leading \(/.test(l));
    expect(led).toBeGreaterThanOrEqual(0);
    expect(leader.out.slice(led).filter((l) => / following \(/.test(l))).toEqual([]);
    expect(closed).toEqual([]);
    expect(written.length).toBeGreaterThanOrEqual(5);
    for (const [n, path] of written.entries()) {
      expect(dec.decode(await keeper.getFile(path))).toBe(`w${n}`);
    }
    const names = (await keeper.getDir("name/tmp")).map((st) => st.name);
    expect(names.filter((n) => n.startsWith("eph-"))).toEqual([]);
    const files = Array.from({ length: CHURN }, (_, i) => i).filter((i) => i % 4 === 3);
    expect(names.filter((n) => n.startsWith("file-")).sort()).toEqual(
      files.map((i) => `file-${i}`).sort(),
    );
    expect(names).toContain("keeper-eph");

    // Each exited session's lease is revoked once its record's put settled, taking the record
    // with it: only the keeper's record stays.
    await recordsSettle(etcd, 1);
    expect(await etcd.client().getAll().prefix(SESSIONS).keys()).toHaveLength(1);
  }, 60_000);
});

/** Resolves once etcd holds `n` session records; revokes run after exit() returned. */
async function recordsSettle(etcd: EtcdCluster, n: number): Promise<void> {
  const c = etcd.client(); // closed by etcd.stop()
  const watch = await c.watch().prefix(SESSIONS).create();
  try {
    const count = async (): Promise<number> => (await c.getAll().prefix(SESSIONS).keys()).length;
    if ((await count()) === n) return;
    await new Promise<void>((resolve, reject) => {
      watch.on("delete", () => {
        count().then((k) => k === n && resolve(), reject);
      });
    });
  } finally {
    await watch.cancel();
  }
}
