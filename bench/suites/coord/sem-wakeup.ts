/**
 * Semaphore wake-up: the time from `up()` being called to the blocked `down()` returning, with
 * the down armed on named before the clock starts. The baseline is one bare named round trip
 * (getFile of an empty file): a wake-up is the up's request plus the watch's reply, so one round
 * trip is the floor it can be compared with.
 */
import type { FsLib } from "../../../runtime/client/index.js";
import { SemClnt } from "../../../runtime/coord/index.js";
import { LatencyRecorder } from "../../lib/latency-probe.js";
import type { SuiteContext } from "../../lib/suite.js";
import { counterReaches, namedCounter } from "./clients.js";

const SEM = "name/tmp/bench-sem";

export async function semWakeupCase(ctx: SuiteContext, upper: FsLib, downer: FsLib): Promise<void> {
  const up = new SemClnt(upper, SEM);
  const down = new SemClnt(downer, SEM);
  await upper.putFile("name/tmp/bench-empty", 0o777, 0, new Uint8Array());
  // Checked once before timing: a down must really wait for the up.
  await up.init();
  const watches = await namedCounter(upper, "Nwatch");
  const first = down.down();
  await counterReaches(upper, "Nwatch", watches + 1);
  await up.up();
  await first;

  const latency = new LatencyRecorder();
  await ctx.compare({
    name: "coord-sem-wakeup",
    unit: "us",
    latency,
    run: async () => {
      await up.init();
      const armed = (await namedCounter(upper, "Nwatch")) + 1;
      const downed = down.down();
      await counterReaches(upper, "Nwatch", armed);
      const t0 = performance.now();
      await up.up();
      await downed;
      latency.record(performance.now() - t0);
    },
    baseline: { name: "named-getfile", run: () => upper.getFile("name/tmp/bench-empty") },
    note: "up() called → blocked down() returns (Tremovefile wakes the Twatch); down armed on named first; clients in the runner, named in a child",
  });
}
