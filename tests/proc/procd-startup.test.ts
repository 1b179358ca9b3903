/**
 * procd refuses a configuration it cannot run safely, before it starts anything, in one line;
 * and its spawn authorizer (the seam phase 2 fills with the caller's principal) sees every spawn
 * first and can refuse it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigma } from "../../bin/run-sigma.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { ProcSpec } from "../../generated/services/procd/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { kernelDir, makeProc, SigmaClnt } from "../../runtime/proc/index.js";
import type { Named } from "../../servers/named/index.js";
import { startProcd, type SpawnCaller } from "../../servers/procd/index.js";
import { forEachStore } from "../support/store-matrix.js";
import { PROCS_DIR, testProcUser } from "./cluster.js";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "procd-startup-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Configuration is checked before procd connects anywhere: no named is needed to be refused.
const NO_NAMED = "127.0.0.1:1";
const isRoot = process.getuid?.() === 0;

describe("procd refuses to start", () => {
  it.runIf(isRoot)("as root, without being told whom procs run as", async () => {
    await expect(startProcd({ named: NO_NAMED, binDir: PROCS_DIR })).rejects.toThrow(
      "procd runs as root: give the user procs run as (--proc-user UID:GID, e.g. 65534:65534 for nobody; 0:0 runs them as root)",
    );
  });

  it.runIf(!isRoot)("not as root, asked to run procs as another user", async () => {
    const uid = (process.getuid?.() ?? 0) + 1;
    await expect(
      startProcd({ named: NO_NAMED, binDir: PROCS_DIR, procUser: { uid, gid: uid } }),
    ).rejects.toThrow("only a procd running as root can run procs as another user");
  });

  it("with a bin directory that is missing, not a directory, or writable by others", async () => {
    const user = testProcUser();
    const missing = path.join(scratch, "missing");
    await expect(startProcd({ named: NO_NAMED, binDir: missing, procUser: user })).rejects.toThrow(
      `bin directory ${missing}: ENOENT`,
    );
    const file = path.join(scratch, "file");
    writeFileSync(file, "");
    await expect(startProcd({ named: NO_NAMED, binDir: file, procUser: user })).rejects.toThrow(
      `bin directory ${file}: not a directory`,
    );
    const open = path.join(scratch, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    await expect(startProcd({ named: NO_NAMED, binDir: open, procUser: user })).rejects.toThrow(
      `bin directory ${open}: writable by others; anyone could add programs`,
    );
  });

  it("with a work directory others may write", async () => {
    const work = path.join(scratch, "work");
    mkdirSync(work);
    chmodSync(work, 0o777);
    await expect(
      startProcd({ named: NO_NAMED, binDir: PROCS_DIR, workDir: work, procUser: testProcUser() }),
    ).rejects.toThrow(`work directory ${work}: writable by group or others`);
  });

  it.runIf(isRoot)("with a work directory procs of its proc user cannot reach", async () => {
    const hidden = path.join(scratch, "hidden");
    mkdirSync(hidden);
    chmodSync(hidden, 0o700);
    await expect(
      startProcd({
        named: NO_NAMED,
        binDir: PROCS_DIR,
        workDir: path.join(hidden, "work"),
        procUser: { uid: 65534, gid: 65534 },
      }),
    ).rejects.toThrow(
      `procs running as 65534:65534 cannot reach it (${hidden} is not searchable by them)`,
    );
  });

  it("with limits that are no numbers", async () => {
    await expect(
      startProcd({
        named: NO_NAMED,
        binDir: PROCS_DIR,
        procUser: testProcUser(),
        limits: { nofile: -1 },
      }),
    ).rejects.toThrow("limit nofile=-1: not a non-negative integer");
  });
});

describe("sigma procd's flags", () => {
  async function sigma(args: string[]): Promise<{ code: number; stderr: string }> {
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await runSigma(args, {
      stdin: Readable.from([]),
      stdout: new PassThrough(),
      stderr,
    });
    return { code, stderr: err };
  }

  it("--bin-dir is required; a bad --proc-user or --limits is a usage error", async () => {
    const none = await sigma(["procd", "--named", NO_NAMED]);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain("required option '--bin-dir <dir>' not specified");
    const user = await sigma([
      "procd",
      "--named",
      NO_NAMED,
      "--bin-dir",
      PROCS_DIR,
      "--proc-user",
      "nobody",
    ]);
    expect(user).toEqual({
      code: 64,
      stderr: "sigma: --proc-user nobody: expected UID:GID, numeric (id -u nobody)\n",
    });
    const lim = await sigma([
      "procd",
      "--named",
      NO_NAMED,
      "--bin-dir",
      PROCS_DIR,
      "--limits",
      "files=3",
    ]);
    expect(lim).toEqual({
      code: 64,
      stderr:
        "sigma: --limits files=3: expected NAME=NUMBER, NAME one of core, nofile, nproc, as, cpu\n",
    });
  });
});

forEachStore((store) => {
  describe("the spawn authorizer", () => {
    let named: Named;
    beforeAll(async () => {
      named = await store.startNamed();
    });
    afterAll(() => named?.close());

    it("sees each spawn first, with the caller (no principal before phase 2), and may refuse it", async () => {
      const seen: { caller: SpawnCaller; program: string }[] = [];
      const kernel = `authz-${process.pid}`;
      const procd = await startProcd({
        named: named.addr,
        kernel,
        warmPool: 0,
        binDir: PROCS_DIR,
        procUser: testProcUser(),
        authorizeSpawn: (caller: SpawnCaller, spec: ProcSpec) => {
          seen.push({ caller, program: spec.program });
          if (spec.program === "crash.ts") {
            throw new SigmaError(
              ErrCode.Perm,
              spec.program,
              `not allowed to spawn ${spec.program}`,
            );
          }
        },
      });
      const sc = await SigmaClnt.connect({
        named: named.addr,
        uname: "parent",
        localIp: "127.0.0.1",
      });
      try {
        await expect(
          sc.procClnt.spawn(makeProc("crash.ts", ["1"], { kernel })),
        ).rejects.toMatchObject({
          code: ErrCode.Perm,
          message: "not allowed to spawn crash.ts",
        });
        expect(await sc.procClnt.children()).toEqual([]);
        expect(await sc.fsl.getDir(`${kernelDir(kernel)}/pids`)).toEqual([]);
        expect(await sc.fsl.getDir(`${kernelDir(kernel)}/queue`)).toEqual([]);
        const ok = makeProc("trivial.ts", [], { kernel });
        await sc.procClnt.spawn(ok);
        expect((await sc.procClnt.waitExit(ok.pid)).message).toBe("done");
        expect(seen.map((s) => s.program)).toEqual(["crash.ts", "trivial.ts"]);
        for (const s of seen) {
          expect(s.caller.principal).toBeNull();
          expect(typeof s.caller.session).toBe("bigint");
          expect(s.caller.session).not.toBe(0n);
        }
      } finally {
        await sc.close();
        await procd.close();
      }
    });
  });
});
