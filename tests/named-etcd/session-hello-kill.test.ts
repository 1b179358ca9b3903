/**
 * A session accepted is resumable (docs/named-etcd.md, "Sessions across failover"): named on
 * etcd answers a new session's hello only once the session's record committed in etcd, so a
 * leader that dies right after answering (the `hello-kill` failpoint: it SIGKILLs itself as the
 * answer leaves) leaves a record the next leader takes back. The client's next calls resume the
 * same session there; nothing closes it. Were the answer first, the record would still be on its
 * way to etcd when the leader died, and the resume would be refused (SessClosed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { Perm } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd: a leader killed right after a hello");
const enc = new TextEncoder();
const dec = new TextDecoder();
const SESSIONS = "/sigma/rootrealm/s/";
const LEASE_MS = 1000;

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, LEASE_MS, {
      ...process.env,
      SIGMA_FAILPOINTS: "hello-kill",
    });
    await named.start(2);
  }, 60_000);
  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  it("resumes at the next leader the session whose hello its dead leader answered", async () => {
    const etcdc = etcd.client();
    for (let round = 0; round < 2; round++) {
      const first = await named.leader();
      const before = new Set(await etcdc.getAll().prefix(SESSIONS).keys());
      const died = new Promise<void>((resolve) => first.proc.once("exit", () => resolve()));
      // named's session timeout is 3 × its election lease: the reconnect window outlasts the
      // failover.
      const c = await FsLib.connect({
        named: named.addrs,
        localIp: "127.0.0.1",
        uname: `c${round}`,
        sessionTimeoutMs: 3 * LEASE_MS,
      });
      clients.push(c);
      const closed: SessionClosedEvent[] = [];
      void (async () => {
        for await (const ev of c.sessionEvents()) closed.push(ev);
      })();
      await died;
      expect(first.proc.signalCode).toBe("SIGKILL");

      // The next calls go to the next leader, on the session the dead one accepted.
      await c.putFile(`name/tmp/eph-${round}`, Perm.DMTMP | 0o644, 0, enc.encode(`r${round}`));
      expect(dec.decode(await c.getFile(`name/tmp/eph-${round}`))).toBe(`r${round}`);
      const second = await named.leader();
      expect(second.addr).not.toBe(first.addr);
      expect(closed).toEqual([]);
      // The one record the dead leader committed before answering, the new leader's now.
      const records = await etcdc.getAll().prefix(SESSIONS).keys();
      expect(records.filter((k) => !before.has(k))).toHaveLength(1);
      await named.restart(named.all.indexOf(first));
    }
  }, 60_000);
});
