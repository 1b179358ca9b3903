/**
 * proc-spawn-cold and proc-spawn-warm against node-start: the time from `spawn` being called to
 * `waitStart` returning for the trivial proc, in the runner (the parent), with named and procd in
 * a child. Warm ops first wait, untimed, for a ready runtime (procd's Warm RPC), so each warm op
 * measures a hand-off and never a cold fallback. The spawn's phases are kept for the breakdown.
 */
import type { ProcdClient } from "../../../generated/services/procd/rpc-client.js";
import {
  makeProc,
  type SigmaClnt,
  type Spawned,
  type StartHow,
} from "../../../runtime/proc/index.js";
import { LatencyRecorder } from "../../lib/latency-probe.js";
import type { SuiteContext } from "../../lib/suite.js";
import { ratioAtLeast } from "../../lib/target.js";
import { nodeStartMs } from "./node-start.js";
import { POOL } from "./pool.js";

/** In the bench procd's bin directory (servers.ts). */
const TRIVIAL = "trivial-proc.ts";

/** One spawn's parts, in ms. */
export interface Phases {
  entry: number;
  rpc: number;
  setup: number;
  launch: number;
  started: number;
}

/** Runs both cases; returns the phases of every timed spawn, per start mode. */
export async function spawnCases(
  ctx: SuiteContext,
  sc: SigmaClnt,
  procd: ProcdClient,
): Promise<Record<"cold" | "warm", Phases[]>> {
  const phases: Record<"cold" | "warm", Phases[]> = { cold: [], warm: [] };
  for (const how of ["cold", "warm"] as const) {
    // Checked once before timing: the proc runs, starts and exits OK, as asked.
    const check = await spawnOnce(sc, procd, how);
    if (check.spawned.warm !== (how === "warm"))
      throw new Error(`${how} spawn came back ${check.spawned.warm ? "warm" : "cold"}`);

    const mine = new LatencyRecorder();
    const base = new LatencyRecorder();
    let timed = phases[how];
    await ctx.compare({
      name: `proc-spawn-${how}`,
      unit: "ms",
      latency: mine,
      run: async () => {
        const r = await spawnOnce(sc, procd, how);
        mine.record(r.ms);
        timed.push(phasesOf(r.spawned, r.ms));
      },
      settle: async () => {
        // Warm-up samples are dropped with the recorder's; keep the phases in step.
        if (mine.values().length === 0) timed = phases[how] = [];
        // The runtime a warm op took is replaced in the background: let that finish before the
        // baseline's round, so it does not pay for it.
        if (how === "warm") await procd.warm({ min: POOL });
      },
      baseline: {
        name: "node-start",
        latency: base,
        run: async () => base.record(await nodeStartMs()),
      },
      target: ratioAtLeast(how === "cold" ? 0.7 : 5),
      note:
        how === "cold"
          ? "spawn → waitStart of a trivial Node proc in a fresh node (no warm runtime) vs `node -e` spawn → ready line"
          : "spawn → waitStart of a trivial Node proc handed to a pre-forked runtime vs `node -e` spawn → ready line",
    });
  }
  return phases;
}

async function spawnOnce(
  sc: SigmaClnt,
  procd: ProcdClient,
  how: StartHow,
): Promise<{ ms: number; spawned: Spawned }> {
  // The whole pool, not one runtime: no replacement is being forked while the op is timed.
  if (how === "warm") await procd.warm({ min: POOL });
  const p = makeProc(TRIVIAL, [], { start: how, kernel: "bench" });
  const t0 = performance.now();
  const spawned = await sc.procClnt.spawn(p);
  await sc.procClnt.waitStart(p.pid);
  const ms = performance.now() - t0;
  const status = await sc.procClnt.waitExit(p.pid);
  if (status.code !== 1) throw new Error(`trivial proc ended ${JSON.stringify(status)}`);
  return { ms, spawned };
}

function phasesOf(s: Spawned, totalMs: number): Phases {
  const entry = s.entryUs / 1000;
  const rpc = s.rpcUs / 1000;
  return {
    entry,
    rpc: rpc - s.handlerUs / 1000,
    setup: s.setupUs / 1000,
    launch: s.launchUs / 1000,
    started: totalMs - entry - rpc,
  };
}
