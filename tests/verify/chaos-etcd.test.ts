/**
 * Chaos on named over etcd (three etcd members, three replicas): a short run under every fault
 * is linearizable with its session orders kept. Clients use the replicas' session timeout, so
 * their sessions resume across a failover; ops in flight during one are unknown outcomes, and
 * SessClosed/Unreachable stay listed errors (a failover may outlast the timeout). The planted
 * `fence-off` and `lease-late` bugs are caught by partition runs (chaos-fence-off,
 * chaos-lease-late) and shown step by step by tests/named-etcd/lease-failpoints.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { runChaosCli } from "./run-chaos.js";

const { title, missing } = needingEtcd("chaos on named over etcd");

const RUN = ["--store", "etcd", "--seconds", "8", "--clients", "4", "--min-ops", "100"];

describe.skipIf(missing)(title, () => {
  it("is linearizable under cuts, replica kills and pauses, and etcd member kills", async () => {
    const r = await runChaosCli([...RUN, "--faults", "cut,kill,pause,etcd-kill", "--seed", "1"]);
    expect(r.last).toMatch(
      /^chaos: linearizable, \d+ ops \(\d+ unknown\), faults: \d+ cuts, [1-9]\d* kills, [1-9]\d* pauses, seed 1$/,
    );
    expect(r.code).toBe(0);
  }, 120_000);
});
