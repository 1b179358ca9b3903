/**
 * Chaos catches `lease-late` (runtime/failpoints.ts): the run of chaos-partition.test.ts, which is
 * linearizable on a correct store, with the replicas started with the failpoint, is NOT
 * linearizable: clients still on the continued old leader read what the new leader's clients
 * had overwritten.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/etcd.js";
import { PARTITION_RUN, runChaosCli } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd catches lease-late");

describe.skipIf(missing)(title, () => {
  it("a short partition run with lease-late is NOT linearizable", async () => {
    const r = await runChaosCli([...PARTITION_RUN, "--failpoints", "lease-late"]);
    expect(r.last).toMatch(/^chaos: NOT linearizable, \d+ ops .* [1-9]\d* partitions, seed 1$/);
    expect(r.code).toBe(1);
  }, 120_000);
});
