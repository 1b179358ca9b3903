/**
 * The committer's refusal rule (docs/named-etcd.md, "Sessions across failover"): etcd answering a
 * transaction's first sending with "requested lease not found" applied nothing, so only the
 * mutations that put under the gone lease fail (SessClosed), the rest of the batch commits when
 * sent again, and the store is not deposed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Etcd3 } from "etcd3";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { campaign, etcdClient } from "../../runtime/fs-etcd/index.js";
import { Committer, absent, put, type Plan } from "../../runtime/fs-etcd/committer.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd committer: a lease gone refuses only its mutations");
const PREFIX = "/lr/";
const LEADER = Buffer.from(`${PREFIX}leader`);
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

  it("fails the mutation under a revoked lease with SessClosed and commits the rest", async () => {
    const lead = await campaign({ client, key: LEADER, value: "r", ttlSec: 5 });
    const failures: string[] = [];
    const committer = new Committer(client, LEADER, lead.fenceRev, (why) => {
      failures.push(why);
      return new Error(why);
    });
    const gone = (await client.leaseClient.leaseGrant({ TTL: 10, ID: 0 })).ID;
    await client.leaseClient.leaseRevoke({ ID: gone });
    const live = (await client.leaseClient.leaseGrant({ TTL: 10, ID: 0 })).ID;

    // The first goes alone; the three submitted while it is in flight are grouped into one.
    const first = committer.submit(putPlan("first", NO_LEASE));
    const refused = committer.submit(putPlan("refused", gone));
    const leased = committer.submit(putPlan("leased", live));
    const plain = committer.submit(putPlan("plain", NO_LEASE));
    const refusal = await refused.then(
      () => undefined,
      (e: unknown) => e,
    );
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
      [`${PREFIX}first`, `${PREFIX}leader`, `${PREFIX}leased`, `${PREFIX}plain`].sort(),
    );
    expect(held.get(`${PREFIX}leased`)).toBe(live);

    // It still commits afterwards.
    expect(BigInt(await committer.submit(putPlan("after", NO_LEASE)))).toBeGreaterThan(
      BigInt(revs[2]),
    );
    expect(failures).toEqual([]);
    await lead.resign();
  }, 30_000);
});
