/**
 * Group commit fills both sides of a transaction (committer.ts): etcd limits compares and
 * operations to 128 each, counted apart, so mutations of 2 compares and 2 writes go 63 to a
 * transaction (the fence takes one compare, the writer mark one write), not 30 as when the two
 * were added up. A batch never goes over either side: every transaction commits and the store is
 * not deposed.
 */
import { describe, expect, it } from "vitest";
import { campaign } from "../../runtime/fs-etcd/index.js";
import { Committer, absent, put, type Plan } from "../../runtime/fs-etcd/committer.js";
import { etcdClientWorld } from "./etcd-client-world.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd committer: a batch fills both sides of a transaction");
const PREFIX = "/cb/";
const LEADER = Buffer.from(`${PREFIX}leader`);
const WRITER = Buffer.from(`${PREFIX}writer`);

describe.skipIf(missing)(title, () => {
  const world = etcdClientWorld();

  /** Two new keys: 2 compares (absent), 2 puts, as a put with its dedup key. */
  const pairPlan = (i: number) => (): Plan<string> => {
    const a = Buffer.from(`${PREFIX}o/${i}`);
    const b = Buffer.from(`${PREFIX}d/${i}`);
    return {
      compares: [absent(a), absent(b)],
      ops: [put(a, Buffer.from(`o${i}`), "0"), put(b, Buffer.from(`d${i}`), "0")],
      keys: [a.toString(), b.toString()],
      apply: (rev) => rev,
    };
  };

  it("groups 63 mutations of 2 compares and 2 writes into one transaction", async () => {
    await world.client.delete().prefix(PREFIX);
    const lead = await campaign({ client: world.client, key: LEADER, value: "r", ttlSec: 5 });
    const failures: string[] = [];
    const committer = new Committer(world.client, LEADER, WRITER, lead.fenceRev, (why) => {
      failures.push(why);
      return new Error(why);
    });
    // The first goes alone; the 126 queued while it is in flight fill two transactions.
    const all = [committer.submit(pairPlan(0))];
    for (let i = 1; i <= 126; i++) all.push(committer.submit(pairPlan(i)));
    const revs = await Promise.all(all);

    expect(failures).toEqual([]);
    expect(committer.txns).toBe(3);
    expect(committer.mutations).toBe(127);
    expect(new Set(revs.slice(1, 64)).size).toBe(1);
    expect(new Set(revs.slice(64)).size).toBe(1);
    expect(BigInt(revs[64]!)).toBeGreaterThan(BigInt(revs[1]!));
    const keys = await world.client.getAll().prefix(PREFIX).keys();
    // The leader, the writer mark, and the two keys of each mutation.
    expect(keys.length).toBe(2 + 2 * 127);
    await lead.resign();
  }, 30_000);
});
