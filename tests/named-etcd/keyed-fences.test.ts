/**
 * Fences at a keyed named on etcd (docs/security.md, "Fences from the epoch file"): the leader
 * finds a fence's epoch file by id in its cache (runtime/fs-etcd/id-index.ts), so a non-admin's
 * fence is checked against the file as at a memfs named, and `.epochs` says what the file holds.
 * The leader's fence works; another user's squat of its fence id is Stale and creates nothing; a
 * removed epoch file's id is no fence. After a SIGKILL failover the new leader starts from the
 * fences in etcd (fence-keys.ts), and every creation or raise is checked against the epoch file
 * it loaded from etcd: a squat above the leader's epoch is Stale, the leader raises as usual; and
 * memfsd in front of the new leader checks fences against the same file through its `.epochs`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { issueToken, type Role } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { EpochClnt } from "../../runtime/coord/index.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas } from "../../devtools/replicas.js";
import { startMemfsd } from "../../servers/memfsd/index.js";
import { expectLeaderFences, expectSquatStale, fenceNames } from "../auth/fence-squat.js";
import { newKey, ring, type TestKey } from "../auth/helpers.js";
import { codeOf, REALM } from "../auth/servers.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd with keys: fences from the epoch file");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  let key: TestKey;
  let keyDir: string;
  // Long-lived sessions, resumed across the failover: alice's for its epoch file, the leader's
  // (alice's too) that fences, mallory's that squats, and an admin's that checks.
  let alice: FsLib;
  let leader: FsLib;
  let mallory: FsLib;
  let ops: FsLib;
  const clients: FsLib[] = [];

  const token = (user: string, role: Role = "user"): string =>
    issueToken(key.privateKey, { user, realm: REALM, role });
  /** A client of every replica (it follows the leader) as `user`; `at`: another server. */
  const connect = async (user: string, role: Role = "user", at?: string): Promise<FsLib> => {
    const c = await FsLib.connect({
      named: at ?? named.addrs,
      localIp: "127.0.0.1",
      token: token(user, role),
    });
    clients.push(c);
    return c;
  };
  const facts = async (epochs: EpochClnt): Promise<unknown> => {
    const { qid } = await ops.stat(epochs.name());
    return JSON.parse(dec(await ops.getFile(`name/.epochs/${qid.path.toString(16)}`)));
  };

  beforeAll(async () => {
    etcd = await startEtcd(1);
    key = newKey();
    keyDir = mkdtempSync(join(tmpdir(), "keyed-fences-"));
    const pub = join(keyDir, "realm-key.pub");
    writeFileSync(pub, key.publicKey.export({ type: "spki", format: "pem" }));
    // Sessions outlive the failover (election lease plus the load), so alice's resumes.
    const flags = ["--auth-keys", pub, "--session-timeout", "10000"];
    named = new Replicas(etcd.endpoints, 1000, process.env, flags);
    await named.start(2);
    await named.leader();
    alice = await connect("alice");
    leader = await connect("alice");
    mallory = await connect("mallory");
    ops = await connect("ops", "admin");
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await named?.stopAll();
    await etcd?.stop();
    if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
  });

  const epochs = (): EpochClnt => new EpochClnt(alice, "name/tmp/etcd-leader");

  it("the leader's fence works; a squat of its fence id is Stale and creates nothing", async () => {
    const e = epochs();
    expect(await e.advanceEpoch()).toBe(1n);
    expect(await facts(e)).toEqual({ owner: "alice", perm: 0o644, epoch: "1" });
    expect(await ops.getDir("name/.epochs")).toEqual([]);
    await expectSquatStale(mallory, ops, e, "name/tmp");
    expect(await expectLeaderFences(leader, ops, e, "name/ux", "etcd-state")).toBe(2n);
    expect(await facts(e)).toEqual({ owner: "alice", perm: 0o644, epoch: "2" });
  }, 30_000);

  it("a removed epoch file's id is no fence: Stale, nothing created", async () => {
    const e = new EpochClnt(alice, "name/tmp/gone-leader");
    expect(await e.advanceEpoch()).toBe(1n);
    const fence = await e.getFence(1n);
    await alice.remove(e.name());
    const id = fence.fenceid.path.toString(16);
    const c = await connect("alice");
    c.fenceDir("name/ux", fence);
    await expect(c.putFile("name/ux/gone", 0o644, Mode.OWRITE, enc("x"))).rejects.toThrow(
      `stale fence: ${id}:1: no epoch file with this fence id at this server`,
    );
    expect(await codeOf(ops.stat("name/ux/gone"))).toBe(ErrCode.Notfound);
    expect(await codeOf(ops.getFile(`name/.epochs/${id}`))).toBe(ErrCode.Notfound);
    expect(await fenceNames(ops)).not.toContain(id);
  }, 30_000);

  it("after a SIGKILL failover the new leader checks every fence against the file in etcd", async () => {
    const e = epochs();
    const was = await named.leader();
    await named.kill(was);
    const now = await named.leader();
    expect(now.addr).not.toBe(was.addr);
    // The sessions resumed there; the leader's fence came back from etcd at its epoch.
    expect(await e.readEpoch()).toBe(2n);
    const { qid } = await ops.stat(e.name());
    const entry = (await ops.getDir("name/.fences")).find((s) => s.name === qid.path.toString(16));
    expect(entry?.uid).toBe("alice");
    expect(await facts(e)).toEqual({ owner: "alice", perm: 0o644, epoch: "2" });
    // Older is Stale as for any fence; newer is checked against the file.
    await expectSquatStale(mallory, ops, e, "name/tmp", [1n, 3n, 2n ** 64n - 1n]);
    expect(await expectLeaderFences(leader, ops, e, "name/ux", "etcd-state")).toBe(3n);
    expect(dec(await ops.getFile("name/ux/etcd-state"))).toBe("epoch 3");
    expect(await facts(e)).toEqual({ owner: "alice", perm: 0o644, epoch: "3" });
  }, 30_000);

  it("memfsd in front of it checks fences against the epoch file through .epochs", async () => {
    const memfsd = await startMemfsd({
      named: named.addrs,
      pn: "name/m1",
      authKeys: ring(key),
      client: { token: token("memfsd-svc"), localIp: "127.0.0.1" },
    });
    try {
      const e = epochs();
      const fence = await e.getFence(await e.readEpoch());
      const id = fence.fenceid.path.toString(16);
      // Straight to memfsd (its root is the client's `name`): named sees none of these requests.
      const squatter = await connect("mallory", "user", memfsd.addr);
      squatter.fenceDir("name", fence);
      await expect(squatter.putFile("name/squat", 0o644, Mode.OWRITE, enc("m"))).rejects.toThrow(
        `stale fence: ${id}:3: mallory may not write its epoch file, so does not hold its epoch`,
      );
      expect(await codeOf(ops.stat("name/m1/squat"))).toBe(ErrCode.Notfound);
      const owner = await connect("alice", "user", memfsd.addr);
      owner.fenceDir("name", fence);
      await owner.putFile("name/state", 0o644, Mode.OWRITE, enc("epoch 3"));
      expect(dec(await ops.getFile("name/m1/state"))).toBe("epoch 3");
      expect((await ops.getDir("name/m1/.fences")).map((s) => s.name)).toEqual([id]);
    } finally {
      await memfsd.close();
    }
  }, 30_000);
});
