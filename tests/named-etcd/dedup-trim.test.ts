/**
 * Dedup keys are trimmed in runs (dedup-keys.ts): a session's mutation deletes nothing while the
 * session holds fewer than 8 keys, then its lowest run of acknowledged seqnos below its own in one
 * range deletion. A key not acknowledged stops a run and stays; the run after it goes later.
 * Checked on etcd's keys after every commit.
 */
import { describe, expect, it } from "vitest";
import { campaign, keysFor } from "../../runtime/fs-etcd/index.js";
import { Committer, put, type Plan } from "../../runtime/fs-etcd/committer.js";
import { DedupKeys } from "../../runtime/fs-etcd/dedup-keys.js";
import type { RequestTag } from "../../runtime/request-tag.js";
import { etcdClientWorld } from "./etcd-client-world.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd dedup keys: acknowledged ones go in runs");
const PREFIX = "/dt/";
const SESSION = 0x51n;

describe.skipIf(missing)(title, () => {
  const world = etcdClientWorld();

  it("deletes the lowest acknowledged run once a session holds 8 keys, and keeps an unacked one", async () => {
    const keys = keysFor(PREFIX);
    const lead = await campaign({ client: world.client, key: keys.leader, value: "r", ttlSec: 5 });
    const committer = new Committer(
      world.client,
      keys.leader,
      keys.writer,
      lead.fenceRev,
      (why) => new Error(why),
    );
    const lease = (await world.client.leaseClient.leaseGrant({ TTL: 30, ID: 0 })).ID;
    const dedup = new DedupKeys(keys, () => lease);
    // Every seqno but 5 is acknowledged once the next request runs.
    const unacked = 5n;
    let running = 0n;
    const isAcked = (s: bigint): boolean => s < running && s !== unacked;
    const seqnosInEtcd = async (): Promise<bigint[]> =>
      (await world.client.getAll().prefix(`${PREFIX}d/`).keys())
        .map((k) => keys.dedupOf(Buffer.from(k))!.seqno)
        .sort((a, b) => (a < b ? -1 : 1));
    const obj = Buffer.from(`${PREFIX}o/0000000000000001`);
    const held: bigint[][] = [];
    for (let seqno = 1n; seqno <= 13n; seqno++) {
      running = seqno;
      const tag: RequestTag = { session: SESSION, seqno, isAcked, claimed: false };
      const plan = (): Plan<void> => ({
        compares: [],
        ops: [put(obj, Buffer.from(String(seqno)), "0")],
        keys: [obj.toString()],
        apply: () => undefined,
      });
      await committer.submit(dedup.tag(plan, tag));
      held.push(await seqnosInEtcd());
    }
    const upTo = (n: number, from = 1): bigint[] =>
      Array.from({ length: n - from + 1 }, (_, i) => BigInt(from + i));
    // 1..8 accumulate; request 9 deletes 1..4 (5 stops the run); 5..12 accumulate again, and
    // 13 deletes 6..12 (5, still unacknowledged, is skipped and stays).
    expect(held[7]).toEqual(upTo(8));
    expect(held[8]).toEqual(upTo(9, 5));
    expect(held[11]).toEqual(upTo(12, 5));
    expect(held[12]).toEqual([5n, 13n]);
    expect(dedup.count(SESSION)).toBe(2);
    expect(committer.txns).toBe(13);
    await lead.resign();
  }, 30_000);
});
