/**
 * procd dies (SIGKILL, no goodbye) while its procs run: every waiter fails with Unreachable
 * instead of hanging (exit waits sit on semaphores that were procd's ephemeral files; start waits
 * race procd's registration), and the procs do not outlive it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { makeProc } from "../../runtime/proc/index.js";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

/** named's session timeout here: procd's death is noticed within about this long. */
const TIMEOUT_MS = 500;

forEachStore((store) => {
  describe("procd going away", () => {
    let c: ProcCluster;
    beforeAll(async () => {
      c = await startProcCluster(store, { warm: 1, timeoutMs: TIMEOUT_MS });
    });
    afterAll(() => c?.close());

    it("killing procd while procs run makes the waiters fail instead of hanging", async () => {
      const { sc, procd } = c;
      const cold = makeProc(procProgram("sleeper.ts"), [], { start: "cold" });
      const warm = makeProc(procProgram("sleeper.ts"), [], { start: "warm" });
      // Never says it started: only its exit would mark the start.
      const silent = makeProc(procProgram("sleep.sh"), ["30"]);
      const spawned = await Promise.all([cold, warm, silent].map((p) => sc.procClnt.spawn(p)));
      await Promise.all([cold, warm].map((p) => sc.procClnt.waitStart(p.pid)));

      const waits = [
        sc.procClnt.waitExit(cold.pid),
        sc.procClnt.waitExit(warm.pid),
        sc.procClnt.waitStart(silent.pid),
      ].map((p) =>
        p.then(
          () => "returned",
          (e: unknown) => e,
        ),
      );
      await procd.kill();

      const outcomes = await Promise.all(waits);
      const unreachable = { code: ErrCode.Unreachable, obj: procd.kernel };
      expect(outcomes).toEqual([
        expect.objectContaining(unreachable),
        expect.objectContaining(unreachable),
        expect.objectContaining(unreachable),
      ]);
      // They settle instead of hanging (a hang fails the test by its timeout). How soon after the
      // session timeout is not asserted: an upper time bound flakes on a loaded machine.

      // The procs went with procd: Node procs see their channel close, others get SIGKILL from the
      // kernel (setpriv's parent-death signal). Nothing to await but the processes' absence.
      const deadline = performance.now() + 5000;
      const alive = (): number[] => spawned.map((s) => s.osPid).filter(isAlive);
      while (alive().length > 0 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(alive()).toEqual([]);
    });
  });

  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
});
