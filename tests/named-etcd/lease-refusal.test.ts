/**
 * The committer's refusal rule (docs/named-etcd.md, "Sessions across failover"): a first sending
 * refused for a lease's end applied nothing, so only the mutations concerned fail, the rest of
 * the batch commits when sent again, and the store is not deposed. "requested lease not found"
 * fails the mutations putting under the gone lease (SessClosed); a compare on a key etcd deleted
 * with its lease fails the mutation comparing it (Notfound). Any other refusal still deposes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Etcd3 } from "etcd3";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { campaign, etcdClient } from "../../runtime/fs-etcd/index.js";
import { Committer, absent, put, unchanged, type Plan } from "../../runtime/fs-etcd/committer.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd committer: a lease gone refuses only its mutations");
const PREFIX = "/lr/";
const LEADER = Buffer.from(`${PREFIX}leader`);
const WRITER = Buffer.from(`${PREFIX}writer`);
const NO_LEASE = "0";

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let client: Etcd3;

  beforeAll(async () => {
    etcd = await startEtcd(1);
    client = etcdClient(etcd.endpoints);
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });

  /** Puts `name` (absent before) under `lease`; resolves the commit's revision. */
  const putPlan = (name: string, lease: string) => (): Plan<string> => {
    const key = Buffer.from(`${PREFIX}${name}`);
    return {
      compares: [absent(key)],
      ops: [put(key, Buffer.from(name), lease)],
      keys: [key.toString()],
      apply: (rev) => rev,
    };
  };

  /** Puts `name` again if still at `rev`, under `lease` (an ephemeral file's write). */
  const writePlan = (name: string, rev: string, lease: string) => (): Plan<string> => {
    const key = Buffer.from(`${PREFIX}${name}`);
    return {
      compares: [unchanged(key, rev)],
      ops: [put(key, Buffer.from(`${name}+`), lease)],
      keys: [key.toString()],
      apply: (r) => r,
    };
  };

  /** A fresh prefix's leader and its committer; `failures` lists why it deposed, if it did. */
  const leading = async () => {
    await client.delete().prefix(PREFIX);
    const lead = await campaign({ client, key: LEADER, value: "r", ttlSec: 5 });
    const failures: string[] = [];
    const committer = new Committer(client, LEADER, WRITER, lead.fenceRev, (why) => {
      failures.push(why);
      return new Error(why);
    });
    return { lead, failures, committer };
  };

  const rejection = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it("fails the mutation under a revoked lease with SessClosed and commits the rest", async () => {
    const { lead, failures, committer } = await leading();
    const gone = (await client.leaseClient.leaseGrant({ TTL: 10, ID: 0 })).ID;
    await client.leaseClient.leaseRevoke({ ID: gone });
    const live = (await client.leaseClient.leaseGrant({ TTL: 10, ID: 0 })).ID;

    // The first goes alone; the three submitted while it is in flight are grouped into one.
    const first = committer.submit(putPlan("first", NO_LEASE));
    const refused = committer.submit(putPlan("refused", gone));
    const leased = committer.submit(putPlan("leased", live));
    const plain = committer.submit(putPlan("plain", NO_LEASE));
    const refusal = await rejection(refused);
    expect(isErr(refusal, ErrCode.SessClosed)).toBe(true);
    expect(String(refusal)).toContain(`etcd lease ${gone}`);
    const revs = await Promise.all([first, leased, plain]);
    expect(revs.every((r) => BigInt(r) > 0n)).toBe(true);
    expect(BigInt(revs[1])).toBe(BigInt(revs[2]));

    expect(failures).toEqual([]);
    expect(committer.leaseRefusals).toBe(1);
    expect(committer.txns).toBe(2);
    expect(committer.mutations).toBe(3);
    const kvs = await client.getAll().prefix(`${PREFIX}`).exec();
    const held = new Map(kvs.kvs.map((kv) => [kv.key.toString(), kv.lease]));
    expect([...held.keys()].sort()).toEqual(
      [
        `${PREFIX}first`,
        `${PREFIX}leader`,
        `${PREFIX}leased`,
        `${PREFIX}plain`,
        `${PREFIX}writer`,
      ].sort(),
    );
    expect(held.get(`${PREFIX}leased`)).toBe(live);

    // It still commits afterwards.
    expect(BigInt(await committer.submit(putPlan("after", NO_LEASE)))).toBeGreaterThan(
      BigInt(revs[2]),
    );
    expect(failures).toEqual([]);
    await lead.resign();
  }, 30_000);
  it("fails a write to a key gone with its lease with Notfound and commits the rest", async () => {
    const { lead, failures, committer } = await leading();
    const lease = (await client.leaseClient.leaseGrant({ TTL: 10, ID: 0 })).ID;
    const rev = await committer.submit(putPlan("eph", lease));
    // The lease ends: etcd deletes the key; the committer's cache-based plan still expects it.
    await client.leaseClient.leaseRevoke({ ID: lease });

    const first = committer.submit(putPlan("first", NO_LEASE));
    const write = committer.submit(writePlan("eph", rev, lease));
    const plain = committer.submit(putPlan("plain", NO_LEASE));
    const refusal = await rejection(write);
    expect(isErr(refusal, ErrCode.Notfound)).toBe(true);
    expect(String(refusal)).toContain(`${PREFIX}eph went with its session's etcd lease`);
    await Promise.all([first, plain]);

    expect(failures).toEqual([]);
    expect(committer.leaseRemoved).toBe(1);
    expect(committer.mutations).toBe(3);
    const held = (await client.getAll().prefix(PREFIX).keys()).sort();
    expect(held).toEqual(
      [`${PREFIX}first`, `${PREFIX}leader`, `${PREFIX}plain`, `${PREFIX}writer`].sort(),
    );
    await lead.resign();
  }, 30_000);

  it("still deposes on a refusal no lease explains: a key the cache thinks absent exists", async () => {
    const { lead, failures, committer } = await leading();
    await client.put(`${PREFIX}stray`).value("not the leader's");

    const first = committer.submit(putPlan("first", NO_LEASE));
    const stray = committer.submit(putPlan("stray", NO_LEASE));
    const plain = committer.submit(putPlan("plain", NO_LEASE));
    await first;
    expect(String(await rejection(stray))).toContain("refused");
    expect(String(await rejection(plain))).toContain("refused");
    expect(failures).toEqual(["etcd transaction refused: fenced (deposed) or cache diverged"]);
    expect(await client.get(`${PREFIX}plain`).string()).toBeNull();
    expect(committer.leaseRemoved + committer.leaseRefusals).toBe(0);
    await lead.resign();
  }, 30_000);

  it("still deposes when a key under no lease is gone behind the leader's back", async () => {
    const { lead, failures, committer } = await leading();
    const rev = await committer.submit(putPlan("durable", NO_LEASE));
    await client.delete().key(`${PREFIX}durable`);

    const write = committer.submit(writePlan("durable", rev, NO_LEASE));
    expect(String(await rejection(write))).toContain("refused");
    expect(failures).toEqual(["etcd transaction refused: fenced (deposed) or cache diverged"]);
    expect(committer.leaseRemoved).toBe(0);
    await lead.resign();
  }, 30_000);
});
