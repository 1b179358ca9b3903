/**
 * Chaos catches `fence-off` (runtime/failpoints.ts): the run of chaos-partition.test.ts, which is
 * linearizable on a correct store, with the replicas started with the failpoint, is NOT
 * linearizable: clients still on the continued old leader read what the new leader's clients
 * had overwritten, and its unfenced writes land beside the new leader's.
 */
import { describe, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { expectCaughtOnSomeSeed } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd catches fence-off");

// Opt-in (SIGMA_CHAOS_FAILPOINTS=1): CI5 missed fence-off on all of seeds 1-8 after CI3 caught it on
// seed 1, so this run is not a deterministic gate; tests/named-etcd/lease-failpoints.test.ts
// shows the failpoint's effect directly on every run (docs/verification.md).
const optIn = process.env["SIGMA_CHAOS_FAILPOINTS"] === "1";

describe.skipIf(missing || !optIn)(title, () => {
  // Usually the first seed; CI once needed another (docs/verification.md).
  it("a short partition run with fence-off is NOT linearizable on one of the first seeds", async () => {
    await expectCaughtOnSomeSeed("fence-off", 8);
  }, 300_000);
});
