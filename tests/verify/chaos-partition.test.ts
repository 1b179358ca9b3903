/**
 * The `partition` fault on named over etcd (verify/chaos/partition.ts): the leader is paused past
 * its lease and cut off etcd while most clients can reach only it, the others elect a new leader
 * and write, then the old leader is continued. A correct replica has stopped serving by then: the
 * run is linearizable (chaos-fence-off and chaos-lease-late show the same run failing with a
 * leader blind to its lease's end).
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/etcd.js";
import { PARTITION_RUN, runChaosCli } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd: partitions");

describe.skipIf(missing)(title, () => {
  it("stays linearizable when the deposed leader's side reaches only it", async () => {
    const r = await runChaosCli(PARTITION_RUN);
    expect(r.last).toMatch(
      /^chaos: linearizable, \d+ ops \(\d+ unknown\), faults: 0 cuts, 0 kills, 0 pauses, [1-9]\d* partitions, seed 1$/,
    );
    expect(r.code).toBe(0);
  }, 120_000);

  it("refuses a partition of the memfs store, which has no replicas", async () => {
    const r = await runChaosCli(["--faults", "partition"]);
    expect({ code: r.code, err: r.stderr }).toEqual({
      code: 64,
      err: "chaos: --faults partition: the memfs store has no replicas to partition\n",
    });
  });
});
