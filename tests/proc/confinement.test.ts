/**
 * procd hardening against a real procd: programs only from the bin directory, an environment
 * from the allow-list, a working directory of the proc's own, least privilege. Every refusal is
 * its own test, reaches the spawner as a clear error, and leaves nothing behind: no entry in the
 * parent's children, no procdir, queue or running file in named, no working directory.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import {
  kernelDir,
  makeProc,
  runningFile,
  type Proc,
  type Status,
} from "../../runtime/proc/index.js";
import { untilRemoved } from "../../runtime/proc/until-removed.js";
import { makeBinFixture, type BinFixture, type Report } from "./bin-fixture.js";
import { startProcCluster, testProcUser, type ProcCluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";

const SECRET = "procd-secret-value";
const PROTOCOL_VARS = [
  "SIGMA_KERNEL",
  "SIGMA_NAMED",
  "SIGMA_PARENTDIR",
  "SIGMA_PID",
  "SIGMA_PROCDIR",
  "SIGMA_PROCD_FD",
];

let bin: BinFixture;
let c: ProcCluster;
forEachStore((store) => {
  beforeAll(async () => {
    bin = makeBinFixture();
    c = await startProcCluster(store, {
      warm: 1,
      procd: {
        binDir: bin.dir,
        extra: ["--allow-env", "APP_*,GREETING", "--limits", "core=0,nofile=256"],
        env: { PROCD_SECRET: SECRET, LC_TESTING: "passed", NODE_OPTIONS: "" },
      },
    });
  });
  afterAll(async () => {
    await c?.close();
    bin?.remove();
  });

  /** Spawns `p` and waits until it has exited and procd has cleaned up after it. */
  async function run(p: Proc): Promise<Status> {
    await c.sc.procClnt.spawn(p);
    const status = await c.sc.procClnt.waitExit(p.pid);
    // procd removes the running file last (after the working directory).
    await untilRemoved(c.sc.fsl, runningFile(c.procd.kernel, p.pid), { timeoutMs: 5000 });
    return status;
  }

  async function report(start: "cold" | "warm", opts: Partial<Proc> = {}): Promise<Report> {
    const p = makeProc("report.mjs", [], { start, ...opts });
    const status = await run(p);
    expect(status.message).toBe("report");
    return status.data as Report;
  }

  /** Nothing of any proc is left: in the parent, in named, on disk. */
  async function expectNothingLeft(): Promise<void> {
    const k = kernelDir(c.procd.kernel);
    expect(await c.sc.procClnt.children()).toEqual([]);
    for (const d of ["pids", "queue", "running"]) {
      expect(await c.sc.fsl.getDir(`${k}/${d}`), d).toEqual([]);
    }
    expect(readdirSync(c.procd.workDir)).toEqual([]);
  }

  async function refused(p: Proc, code: number, message: string): Promise<void> {
    await expect(c.sc.procClnt.spawn(p)).rejects.toMatchObject({ code, message });
    await expectNothingLeft();
  }

  describe("a proc's environment and place", () => {
    for (const start of ["cold", "warm"] as const) {
      it(`${start}: only the allow-list, the spawner's allowed variables and the proc protocol; never procd's own`, async () => {
        const r = await report(start, { env: { GREETING: "hi", APP_MODE: "test" } });
        const names = Object.keys(r.env).sort();
        const passed = names.filter(
          (n) => ["PATH", "LANG", "LANGUAGE", "TZ"].includes(n) || n.startsWith("LC_"),
        );
        expect(names).toEqual(
          [...passed, "APP_MODE", "GREETING", "HOME", "TMPDIR", ...PROTOCOL_VARS].sort(),
        );
        expect(r.env.LC_TESTING).toBe("passed");
        expect(r.env.PATH).toBe(process.env.PATH);
        expect(r.env).toMatchObject({ GREETING: "hi", APP_MODE: "test" });
        expect(JSON.stringify(r.env)).not.toContain(SECRET);
        expect(r.env.SIGMA_KERNEL).toBe(c.procd.kernel);
      });

      it(`${start}: starts in a working directory of its own (its HOME and TMPDIR), removed when it ends`, async () => {
        const p = makeProc("report.mjs", [], { start });
        const status = await run(p);
        const r = status.data as Report;
        const own = path.join(c.procd.workDir, p.pid);
        expect(r.cwd).toBe(own);
        expect(r.env.HOME).toBe(own);
        expect(r.env.TMPDIR).toBe(own);
        expect(existsSync(own)).toBe(false);
        await expectNothingLeft();
      });

      it(`${start}: runs confined: its user, no new privileges, its own process group, limits`, async () => {
        const r = await report(start);
        const user = testProcUser();
        if (user !== undefined) {
          expect([r.uid, r.gid, r.groups]).toEqual([user.uid, user.gid, [user.gid]]);
        } else {
          expect([r.uid, r.gid]).toEqual([process.getuid?.(), process.getgid?.()]);
        }
        expect(r.noNewPrivs).toBe("1");
        expect(r.pgid).toBe(r.pid);
        expect(r.core).toEqual(["0", "0"]);
        expect(r.nofile).toEqual(["256", "256"]);
      });
    }

    it("a spawner's cwd is a directory inside the proc's own, made for it", async () => {
      const p = makeProc("report.mjs", [], { start: "cold", cwd: "a/b" });
      const r = (await run(p)).data as Report;
      expect(r.cwd).toBe(path.join(c.procd.workDir, p.pid, "a", "b"));
      expect(r.env.HOME).toBe(path.join(c.procd.workDir, p.pid));
      await expectNothingLeft();
    });

    it("what a proc leaves running in its process group ends with it", async () => {
      const status = await run(makeProc("leave-child.sh"));
      const bg = Number(status.message);
      expect(bg).toBeGreaterThan(0);
      // SIGKILL went to the group when the proc ended, before its status was written; the child
      // may still be a zombie awaiting its new parent's reaping, never a running sleep.
      const state = (): string | null => {
        try {
          const s = readFileSync(`/proc/${bg}/stat`, "utf8");
          return s.slice(s.lastIndexOf(")") + 2, s.lastIndexOf(")") + 3);
        } catch {
          return null;
        }
      };
      const deadline = performance.now() + 5000;
      while (state() !== null && state() !== "Z" && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([null, "Z"]).toContain(state());
    });
  });

  describe("programs come only from the bin directory", () => {
    it("a program in a subdirectory, and a symlink that stays inside, run", async () => {
      expect((await run(makeProc("tools/tool.sh"))).data).toEqual({ code: 7, signal: null });
      expect((await run(makeProc("link-in.sh"))).message).toBe("exited with code 0");
      await expectNothingLeft();
    });

    it("an absolute path is refused", async () => {
      await refused(
        makeProc("/bin/sh", ["-c", "id"]),
        ErrCode.Inval,
        'program "/bin/sh": an absolute path; name it relative to the directory',
      );
    });

    it("a path with .. is refused", async () => {
      await refused(
        makeProc("../outside/evil.sh"),
        ErrCode.Inval,
        'program "../outside/evil.sh": may not contain . or ..',
      );
      await refused(
        makeProc("tools/../ok.sh"),
        ErrCode.Inval,
        'program "tools/../ok.sh": may not contain . or ..',
      );
    });

    it("empty elements and . are refused", async () => {
      await refused(
        makeProc("tools//tool.sh"),
        ErrCode.Inval,
        'program "tools//tool.sh": an empty path element',
      );
      await refused(
        makeProc("./ok.sh"),
        ErrCode.Inval,
        'program "./ok.sh": may not contain . or ..',
      );
    });

    it("a symlink whose target is outside is refused", async () => {
      await refused(
        makeProc("link-out.sh"),
        ErrCode.Perm,
        "program link-out.sh: resolves outside procd's bin directory",
      );
      await refused(
        makeProc("out-dir/evil.sh"),
        ErrCode.Perm,
        "program out-dir/evil.sh: resolves outside procd's bin directory",
      );
    });

    it("a program that is not there is Notfound", async () => {
      await refused(
        makeProc("nothing.sh"),
        ErrCode.Notfound,
        "program nothing.sh: not in procd's bin directory",
      );
    });

    it("a directory, a file without an execute bit and a file others may write are refused", async () => {
      await refused(makeProc("tools"), ErrCode.Inval, "program tools: not a regular file");
      await refused(makeProc("noexec.sh"), ErrCode.Perm, "program noexec.sh: not executable");
      await refused(makeProc("shared.sh"), ErrCode.Perm, "program shared.sh: writable by others");
    });
  });

  describe("a spawner's environment and cwd are checked", () => {
    it("a variable the operator did not allow is refused", async () => {
      await refused(
        makeProc("ok.sh", [], { env: { LD_PRELOAD: "/tmp/x.so" } }),
        ErrCode.Inval,
        "environment variable LD_PRELOAD: not accepted from spawners (procd's --allow-env)",
      );
      await refused(
        makeProc("ok.sh", [], { env: { NODE_OPTIONS: "--inspect=0.0.0.0:9229" } }),
        ErrCode.Inval,
        "environment variable NODE_OPTIONS: not accepted from spawners (procd's --allow-env)",
      );
    });

    it("variables procd sets are reserved", async () => {
      for (const name of ["SIGMA_PROCDIR", "HOME", "TMPDIR", "PATH", "LC_ALL"]) {
        await refused(
          makeProc("ok.sh", [], { env: { [name]: "x" } }),
          ErrCode.Inval,
          `environment variable ${name}: reserved: procd sets it`,
        );
      }
    });

    it("a name that is no variable name, or a value with a NUL, is refused", async () => {
      await refused(
        makeProc("ok.sh", [], { env: { "APP_A=B": "x" } }),
        ErrCode.Inval,
        "environment variable APP_A=B: not a variable name",
      );
      await refused(
        makeProc("ok.sh", [], { env: { APP_X: "a\0b" } }),
        ErrCode.Inval,
        "environment variable APP_X: value contains a NUL",
      );
    });

    it("a cwd outside the proc's own directory is refused", async () => {
      await refused(
        makeProc("ok.sh", [], { cwd: "/etc" }),
        ErrCode.Inval,
        'cwd "/etc": an absolute path; name it relative to the directory',
      );
      await refused(
        makeProc("ok.sh", [], { cwd: "../.." }),
        ErrCode.Inval,
        'cwd "../..": may not contain . or ..',
      );
    });

    it("a pid that cannot name a directory is refused", async () => {
      await refused(makeProc("ok.sh", [], { pid: "a b" }), ErrCode.Inval, 'bad pid: "a b"');
    });
  });
});
