/**
 * Chaos catches `fence-off` (runtime/failpoints.ts): the run of chaos-partition.test.ts, which is
 * linearizable on a correct store, with the replicas started with the failpoint, is NOT
 * linearizable: clients still on the continued old leader read what the new leader's clients
 * had overwritten, and its unfenced writes land beside the new leader's.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/etcd.js";
import { PARTITION_RUN, runChaosCli } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd catches fence-off");

describe.skipIf(missing)(title, () => {
  it("a short partition run with fence-off is NOT linearizable", async () => {
    const r = await runChaosCli([...PARTITION_RUN, "--failpoints", "fence-off"]);
    expect(r.last).toMatch(/^chaos: NOT linearizable, \d+ ops .* [1-9]\d* partitions, seed 1$/);
    expect(r.code).toBe(1);
  }, 120_000);
});
