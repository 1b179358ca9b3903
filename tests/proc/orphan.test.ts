/**
 * A child outlives its parent: the parent proc exits (its procdir, with the entry for its child,
 * goes), the child keeps running, and when it exits later it still cleans up after itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SemClnt } from "../../runtime/coord/index.js";
import { makeProc, procDirOf, runningFile, StatusCode } from "../../runtime/proc/index.js";
import { untilRemoved } from "../../runtime/proc/until-removed.js";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

forEachStore((store) => {
  describe("orphans", () => {
    let c: ProcCluster;
    beforeAll(async () => {
      c = await startProcCluster(store, { warm: 2 });
    });
    afterAll(() => c?.close());

    it("a child outlives its exited parent and still cleans up", async () => {
      const { sc, procd } = c;
      const go = "name/tmp/orphan-go";
      const pidFile = "name/tmp/orphan-child";
      await new SemClnt(sc.fsl, go).init();

      const parent = makeProc(procProgram("parent.ts"), [procProgram("waiter.ts"), go, pidFile]);
      await sc.procClnt.spawn(parent);
      expect(await sc.procClnt.waitExit(parent.pid)).toEqual({
        code: StatusCode.OK,
        message: "left my child",
      });
      const child = (await sc.fsl.getFileJson(pidFile)) as { pid: string; kernel: string };
      expect(child.kernel).toBe(procd.kernel);

      // The parent is gone from named, its child is still there.
      const notFound = { code: ErrCode.Notfound };
      await expect(sc.fsl.stat(procDirOf(procd.kernel, parent.pid))).rejects.toMatchObject(
        notFound,
      );
      expect((await sc.fsl.stat(procDirOf(procd.kernel, child.pid))).name).toBe(child.pid);

      // Released, the child exits with nobody to collect its status, and leaves nothing behind.
      await new SemClnt(sc.fsl, go).up();
      await untilRemoved(sc.fsl, procDirOf(procd.kernel, child.pid), { timeoutMs: 5000 });
      await untilRemoved(sc.fsl, runningFile(procd.kernel, child.pid), { timeoutMs: 5000 });
      // procd removes the parent's running file after it reports the exit, not before: wait for it
      // as for the child's, then nothing of either may be left.
      await untilRemoved(sc.fsl, runningFile(procd.kernel, parent.pid), { timeoutMs: 5000 });
      expect(await sc.fsl.getDir(`name/schedd/${procd.kernel}/pids`)).toEqual([]);
      expect(await sc.fsl.getDir(`name/schedd/${procd.kernel}/running`)).toEqual([]);
      expect(await sc.procClnt.children()).toEqual([]);
    });
  });
});
