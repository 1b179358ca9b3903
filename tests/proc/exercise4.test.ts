/**
 * Walkthrough Exercise 4: a parent spawns a proc that creates a file in named, marks itself
 * started, logs "Hello World" and exits with status "Goodbye World". The parent waits for the
 * start, finds the file, waits for the exit and checks the status; cold and warm.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProc, procDirOf, StatusCode, type StartHow } from "../../runtime/proc/index.js";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

forEachStore((store) => {
  describe("Exercise 4: hello world as a proc", () => {
    let c: ProcCluster;
    beforeAll(async () => {
      c = await startProcCluster(store, { warm: 1 });
    });
    afterAll(() => c?.close());

    it.each<StartHow>(["cold", "warm"])(
      "spawn, wait for start, find the file, wait for exit (%s)",
      async (start) => {
        const { sc, procd } = c;
        await sc.fsl.mkDir(`name/tmp/ex4-${start}`);
        const p = makeProc(procProgram("hello.ts"), [`name/tmp/ex4-${start}`], { start });
        const spawned = await sc.procClnt.spawn(p);
        expect(spawned.warm).toBe(start === "warm");

        await sc.procClnt.waitStart(p.pid);
        // The proc made its file before it said it had started.
        expect(
          new TextDecoder().decode(await sc.fsl.getFile(`name/tmp/ex4-${start}/${p.pid}`)),
        ).toBe("hello");

        const status = await sc.procClnt.waitExit(p.pid);
        expect(status).toEqual({ code: StatusCode.OK, message: "Goodbye World" });
        await procd.printed("Hello World");

        // Collected: no procdir, no child entry, nothing queued or running.
        const kernel = procd.kernel;
        await expect(sc.fsl.stat(procDirOf(kernel, p.pid))).rejects.toMatchObject({ code: 13 });
        expect(await sc.procClnt.children()).toEqual([]);
        expect(await sc.fsl.getDir(`name/schedd/${kernel}/queue`)).toEqual([]);
        expect(await sc.fsl.getDir(`name/schedd/${kernel}/pids`)).toEqual([]);
      },
    );
  });
});
