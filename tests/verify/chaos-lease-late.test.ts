/**
 * Chaos catches `lease-late` (runtime/failpoints.ts): the run of chaos-partition.test.ts, which is
 * linearizable on a correct store, with the replicas started with the failpoint, is NOT
 * linearizable: a client still on the continued old leader reads what the new leader's clients
 * had overwritten.
 *
 * One short run no longer catches it every time (about 2 runs in 5 here): since sessions resume
 * across failover and a new session's hello waits for its record in etcd, the old side's clients
 * keep their sessions and wait behind writes the cut-off old leader cannot commit, so only a
 * client whose next op after the continue is a read of an overwritten path shows the stale
 * cache. The test therefore tries seeds 1-8 (expectCaughtOnSomeSeed) and stops at the first catch; each run
 * that passes first must still be a clean verdict, never a harness failure.
 */
import { describe, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { expectCaughtOnSomeSeed } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd catches lease-late");

// Opt-in (SIGMA_CHAOS_FAILPOINTS=1): CI5 missed lease-late on all of seeds 1-8 after CI3 caught it on
// seed 1, so this run is not a deterministic gate; tests/named-etcd/lease-failpoints.test.ts
// shows the failpoint's effect directly on every run (docs/verification.md).
const optIn = process.env["SIGMA_CHAOS_FAILPOINTS"] === "1";

describe.skipIf(missing || !optIn)(title, () => {
  it("a short partition run with lease-late is NOT linearizable on one of the first seeds", async () => {
    await expectCaughtOnSomeSeed("lease-late", 8);
  }, 300_000);
});
