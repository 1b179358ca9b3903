/** Many procs at once: 50 spawned in parallel all start, exit OK and leave named clean. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProc, StatusCode } from "../../runtime/proc/index.js";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

const N = 50;

forEachStore((store) => {
  describe("parallel spawns", () => {
    let c: ProcCluster;
    beforeAll(async () => {
      c = await startProcCluster(store, { warm: 4 });
    });
    afterAll(() => c?.close());

    it(`${N} procs spawned in parallel all finish with OK`, async () => {
      const { sc, procd } = c;
      const procs = Array.from({ length: N }, () => makeProc(procProgram("trivial.ts")));
      const spawned = await Promise.all(procs.map((p) => sc.procClnt.spawn(p)));
      expect(new Set(spawned.map((s) => s.osPid)).size).toBe(N);
      const statuses = await Promise.all(procs.map((p) => sc.procClnt.waitExit(p.pid)));
      expect(statuses).toEqual(procs.map(() => ({ code: StatusCode.OK, message: "done" })));
      expect(await sc.procClnt.children()).toEqual([]);
      expect(await sc.fsl.getDir(`name/schedd/${procd.kernel}/pids`)).toEqual([]);
    });
  });
});
