/**
 * hostile suite: the worst stall of named's event loop that each abuse of issue 10 can cause,
 * measured inside named's process (perf_hooks.monitorEventLoopDelay), with the client in the
 * runner. named is single-threaded, so a stall is what every other client waits, and one longer
 * than the reconnect window (2 s by default) closes their sessions. Each row is informational with
 * a target: far below the clients' 500 ms silence deadline. Also the wall time of 20 clients
 * racing to rename every entry of a directory while another fills it.
 */
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { startChild } from "../lib/child.js";
import { ControlClient } from "../lib/control-client.js";
import type { SuiteContext, Suite } from "../lib/suite.js";
import { valueBelow } from "../lib/target.js";
import { abuses } from "./hostile/abuses.js";
import { renameRace } from "./hostile/rename-race.js";

/** A stall target: a tenth of the clients' silence deadline. */
const STALL_TARGET_MS = 50;

export const suite: Suite = {
  name: "hostile",
  description: "worst event-loop stall of named per abuse (issue 10), measured in named's process",
  run: async (ctx) => {
    const sizes = ctx.smoke
      ? { ephemeral: 2_000, fences: 2_000, depth: 200, racers: 4, files: 100 }
      : { ephemeral: 100_000, fences: 65_536, depth: 1023, racers: 20, files: 1000 };
    const named = await startChild({
      module: new URL("./hostile/named-server.ts", import.meta.url),
      args: [String(sizes.fences)],
      readyTimeoutMs: 60_000,
    });
    ctx.defer(() => named.stop());
    const control = await ControlClient.connect(named.port);
    ctx.defer(() => control.close());
    const addr = await control.ask("addr");
    const connect = (): Promise<FsLib> =>
      FsLib.connect({ named: addr, localIp: "127.0.0.1", uname: "bench" });
    const fsl = await connect();
    ctx.defer(() => fsl.exit());
    const stall = async (): Promise<number> => Number(await control.ask("stall"));

    for (const abuse of abuses(sizes)) {
      ctx.log(abuse.name);
      await abuse.setUp?.(fsl, connect);
      await stall();
      await abuse.run(fsl, connect);
      record(ctx, abuse.name, await stall(), abuse.note);
    }

    ctx.log("rename race");
    await stall();
    await control.ask("cpu");
    const seconds = await renameRace(connect, sizes.racers, sizes.files);
    const worst = await stall();
    const busy = Number(await control.ask("cpu")) / 1000;
    ctx.record({
      name: `renames-${sizes.racers}-clients-${sizes.files}-files`,
      value: seconds,
      unit: "s",
      target: valueBelow(ctx.smoke ? 30 : 10),
      note:
        `${sizes.racers} clients each list name/todo and rename every entry into name/done ` +
        `while one creates ${sizes.files} files there; wall time until done holds all; ` +
        `named busy ${busy.toFixed(1)} s of it (the rest: the clients, all in the runner), ` +
        `worst named stall ${worst.toFixed(1)} ms`,
    });
  },
};

function record(ctx: SuiteContext, name: string, worstMs: number, note: string): void {
  ctx.record({
    name: `stall-${name}`,
    value: worstMs,
    unit: "ms",
    target: valueBelow(STALL_TARGET_MS),
    note: `${ctx.smoke ? "smoke: " : ""}worst event-loop stall of named during: ${note}`,
  });
}
