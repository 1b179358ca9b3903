/**
 * proc suite: spawn → started latency of a trivial Node proc, cold (a fresh node) and warm (a
 * pre-forked runtime), each against a bare `node` start-up measured the same way in the same run,
 * and where the time goes (SigmaOS's start-up breakdown): the parent's entry in named, the RPC,
 * procd's setup in named, the fork or hand-off, and the proc reaching `started`.
 */
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import { procdRpcPath, SigmaClnt } from "../../runtime/proc/index.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import { startChild } from "../lib/child.js";
import { percentile } from "../lib/percentile.js";
import type { Suite } from "../lib/suite.js";
import { type Phases, spawnCases } from "./proc/spawn-cases.js";

/** The proc suite, found by the runner under its file name. */
export const suite: Suite = {
  name: "proc",
  description: "proc spawn → started, cold and warm, vs a bare node start-up",
  run: async (ctx) => {
    const servers = await startChild({ module: new URL("./proc/servers.ts", import.meta.url) });
    ctx.defer(() => servers.stop());
    const sc = await SigmaClnt.connect({ named: `127.0.0.1:${servers.port}`, uname: "bench" });
    ctx.defer(() => sc.close());
    const rpc = await RpcClient.connect(sc.fsl, procdRpcPath("bench"));
    ctx.defer(() => rpc.close());

    const phases = await spawnCases(ctx, sc, new ProcdClient(rpc));
    recordPhases(ctx, "cold", phases.cold, "fork");
    recordPhases(ctx, "warm", phases.warm, "handoff");
  },
};

function recordPhases(
  ctx: Parameters<Suite["run"]>[0],
  how: string,
  samples: Phases[],
  launchName: string,
): void {
  const rows: [string, keyof Phases, string][] = [
    ["entry", "entry", "parent makes children/<pid>/ (procfile-link, start-sem) in named"],
    ["rpc", "rpc", "Spawn RPC round trip minus procd's handler"],
    ["setup", "setup", "procd makes the procdir (semaphores, children/) and the queue file"],
    [
      launchName,
      "launch",
      how === "cold" ? "spawn(2) of node with node-boot" : "the run message to a ready runtime",
    ],
    [
      "started",
      "started",
      "RPC reply → waitStart returns: the proc runs to started(), procd raises start-sem",
    ],
  ];
  for (const [name, key, note] of rows) {
    ctx.record({
      name: `proc-${how}-${name}`,
      value: percentile(
        samples.map((s) => s[key]),
        50,
      ),
      unit: "ms",
      note: `median of ${samples.length}: ${note}`,
    });
  }
}
