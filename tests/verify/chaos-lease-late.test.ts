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
 * cache. The test therefore tries seeds 1-8 and stops at the first run that catches it; each run
 * that passes first must still be a clean verdict, never a harness failure.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { PARTITION_RUN, runChaosCli } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd catches lease-late");
const SEEDS = 8;

describe.skipIf(missing)(title, () => {
  it("a short partition run with lease-late is NOT linearizable on one of the first seeds", async () => {
    const verdicts: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const args = [...PARTITION_RUN, "--failpoints", "lease-late"];
      args[args.indexOf("--seed") + 1] = String(seed);
      const r = await runChaosCli(args);
      verdicts.push(r.last);
      if (r.code === 1) {
        expect(r.last).toMatch(
          new RegExp(`^chaos: NOT linearizable, \\d+ ops .* [1-9]\\d* partitions, seed ${seed}$`),
        );
        return;
      }
      expect(r.last).toMatch(/^chaos: linearizable, /);
      expect(r.code).toBe(0);
    }
    expect.fail(`lease-late was not caught on seeds 1-${SEEDS}:\n${verdicts.join("\n")}`);
  }, 300_000);
});
