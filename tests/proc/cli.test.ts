/** `sigma spawn` and `sigma ps` against a real procd. */
import { sigmaIn, type CliResult } from "../cli/run-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procProgram, startProcCluster, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

let cluster: ProcCluster;
forEachStore((store) => {
  beforeAll(async () => {
    cluster = await startProcCluster(store, { warm: 1 });
  });
  afterAll(() => cluster?.close());

  function sigma(args: string[]): Promise<CliResult> {
    return sigmaIn([...args]);
  }

  describe("sigma spawn and ps", () => {
    it("spawn runs a proc to its end and prints its status; exit code follows it", async () => {
      const ok = await sigma(["spawn", "--named", cluster.named.addr, procProgram("hello.ts")]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^\S+: OK: Goodbye World\n$/);
      const crash = await sigma([
        "spawn",
        "--named",
        cluster.named.addr,
        procProgram("crash.ts"),
        "7",
      ]);
      expect(crash.code).toBe(1);
      expect(crash.stdout).toMatch(/^\S+: Err: exited with code 7/);
    });

    it("a program procd cannot start fails the spawn with procd's reason, not an exit code", async () => {
      const named = ["--named", cluster.named.addr];
      expect(await sigma(["spawn", ...named, "no-such-program-x"])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "sigma: no-such-program-x: not found (program no-such-program-x: not in procd's bin directory)\n",
      });
      const outside = await sigma(["spawn", ...named, "/bin/sh"]);
      expect(outside.stderr).toBe(
        'sigma: /bin/sh: invalid argument (program "/bin/sh": an absolute path; name it relative to the directory)\n',
      );
      // Nothing of the refused spawns is left in procd's queue or running set.
      const kernel = cluster.procd.kernel;
      expect(await cluster.sc.fsl.getDir(`name/schedd/${kernel}/queue`)).toEqual([]);
      expect(await cluster.sc.fsl.getDir(`name/schedd/${kernel}/running`)).toEqual([]);
    });

    it("ps lists a running proc with its kernel and program", async () => {
      const pid = "cli-ps-sleeper";
      const p = cluster.sc.procClnt.makeProc(procProgram("sleeper.ts"), [], { pid });
      await cluster.sc.procClnt.spawn(p);
      await cluster.sc.procClnt.waitStart(pid);
      const ps = await sigma(["ps", "--named", cluster.named.addr]);
      expect(ps.code).toBe(0);
      const lines = ps.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^KERNEL\s+PID\s+OSPID\s+STATE\s+START\s+PROGRAM$/);
      expect(lines.some((l) => l.includes(pid) && l.includes("sleeper.ts"))).toBe(true);
      await cluster.sc.procClnt.evict(pid);
      expect((await cluster.sc.procClnt.waitExit(pid)).message).toContain("evicted");
    });
  });
});
