/**
 * The etcd baseline, runner side: etcd runs under etcd-keeper.ts in a child process; the runner
 * talks to it with the `etcd3` client (one gRPC channel, its default retry and circuit-breaker
 * policies, as an application would use it). Ready means a leader is elected, found by polling
 * the member status, since a member accepts connections before it can commit a write.
 */
import { Etcd3 } from "etcd3";
import { setTimeout as sleep } from "node:timers/promises";
import { startChild } from "../../lib/child.js";
import type { SuiteContext } from "../../lib/suite.js";

const LEADER_POLL_MS = 10;
const LEADER_TIMEOUT_MS = 10_000;

export interface EtcdKv {
  /** Puts `value` under the key; resolves when etcd has committed it. */
  put(key: string, value: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
}

/** Starts etcd and connects; both are undone by the suite's cleanup. */
export async function startEtcd(ctx: SuiteContext, bin: string): Promise<EtcdKv> {
  const keeper = await startChild({
    module: new URL("./etcd-keeper.ts", import.meta.url),
    args: [bin],
  });
  ctx.defer(() => keeper.stop());
  const client = new Etcd3({ hosts: `http://127.0.0.1:${keeper.port}` });
  ctx.defer(() => client.close());
  await waitForLeader(client);
  return {
    put: async (key, value) => {
      await client.put(key).value(value).exec();
    },
    get: (key) => client.get(key).buffer(),
  };
}

async function waitForLeader(client: Etcd3): Promise<void> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  for (;;) {
    const status = await client.maintenance.status();
    if (status.leader !== "0") return;
    if (Date.now() > deadline) throw new Error(`etcd elected no leader in ${LEADER_TIMEOUT_MS} ms`);
    await sleep(LEADER_POLL_MS);
  }
}
