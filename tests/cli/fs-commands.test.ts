/**
 * The `sigma` fs commands: in-process through runSigma for speed, plus real processes where the
 * process boundary is the point (stdin, exit codes, signals).
 */
import { PassThrough, Readable } from "node:stream";
import { runSigma } from "../../bin/run-sigma.js";
import { sigmaIn, type CliResult } from "./run-cli.js";
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNamed, type Named } from "../../servers/named/index.js";

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const SIGMA = path.join(root, "bin/sigma.ts");

let named: Named;
beforeAll(async () => {
  named = await startNamed();
});
afterAll(() => named.close());

function sigma(args: string[], stdin = ""): Promise<CliResult> {
  return sigmaIn([...args, "--named", named.addr], stdin);
}

describe("sigma fs commands", () => {
  it("put reads stdin; cat prints it; ls lists it; stat --json describes it", async () => {
    expect((await sigma(["put", "name/tmp/greeting"], "hello from stdin\n")).code).toBe(0);
    expect(await sigma(["cat", "name/tmp/greeting"])).toEqual({
      code: 0,
      stdout: "hello from stdin\n",
      stderr: "",
    });
    expect((await sigma(["ls", "name/tmp"])).stdout).toBe("greeting\n");
    const st = JSON.parse((await sigma(["stat", "--json", "name/tmp/greeting"])).stdout);
    expect(st).toMatchObject({ name: "greeting", type: "file", length: "17" });
  });

  it("mkdir -p, tree, rename and rm -r", async () => {
    expect((await sigma(["mkdir", "-p", "name/tmp/t/a/b"])).code).toBe(0);
    expect((await sigma(["rename", "name/tmp/t/a", "name/tmp/t/z"])).code).toBe(0);
    expect((await sigma(["tree", "name/tmp/t"])).stdout).toBe("name/tmp/t\n└── z/\n    └── b/\n");
    const treeJson = JSON.parse((await sigma(["tree", "--json", "name/tmp/t"])).stdout);
    expect(treeJson).toEqual([
      { name: "z", type: "dir", children: [{ name: "b", type: "dir", children: [] }] },
    ]);
    expect((await sigma(["rm", "-r", "name/tmp/t"])).code).toBe(0);
    const ls = await sigma(["ls", "--json", "name/tmp"]);
    expect(JSON.parse(ls.stdout).map((e: { name: string }) => e.name)).not.toContain("t");
  });

  it("errors are one readable line with a non-zero exit code", async () => {
    expect(await sigma(["cat", "name/nope"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "sigma: name/nope: not found\n",
    });
    expect(await sigma(["rm", "name/tmp"])).toMatchObject({ code: 1 });
    expect((await sigma(["mkdir", "name/tmp"])).stderr).toBe("sigma: name/tmp: file exists\n");
  });

  it("--help works for every command and usage errors exit 64", async () => {
    for (const c of [
      "ls",
      "cat",
      "put",
      "rm",
      "mkdir",
      "stat",
      "tree",
      "watch",
      "rename",
      "named",
    ]) {
      const help = await sigma([c, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: sigma ${c}`);
    }
    expect((await sigma(["frobnicate"])).code).toBe(64);
  });
});

describe("sigma as a process", () => {
  it("put reads its real stdin; an unreachable named is one line and exit 1", async () => {
    const env = { ...process.env, SIGMA_NAMED: named.addr };
    const child = spawn(process.execPath, ["--import", "tsx", SIGMA, "put", "name/tmp/piped"], {
      cwd: root,
      env,
    });
    child.stdin.end("through a pipe\n");
    expect(await new Promise((r) => child.on("close", r))).toBe(0);
    expect((await sigma(["cat", "name/tmp/piped"])).stdout).toBe("through a pipe\n");

    const bad = await exec(process.execPath, ["--import", "tsx", SIGMA, "ls", "name/"], {
      cwd: root,
      env: { ...process.env, SIGMA_NAMED: "127.0.0.1:1" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/^sigma: .*server unreachable.*\n$/);
  });

  it("sigma named prints its address, serves, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", SIGMA, "named", "--port", "0"], {
      cwd: root,
    });
    let out = "";
    const addr = await new Promise<string>((resolve) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /named listening on (\S+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    const stdout = new PassThrough();
    let listing = "";
    stdout.on("data", (c: Buffer) => (listing += c.toString()));
    const code = await runSigma(["ls", "--named", addr, "name/"], {
      stdin: Readable.from([]),
      stdout,
      stderr: new PassThrough(),
    });
    expect(code).toBe(0);
    expect(listing).toContain("tmp/\n");
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("named stopped (SIGTERM)");
    expect(err).toBe(""); // on loopback: no warning
  });

  it("sigma named --insecure on a non-loopback address says in one line that it serves everyone", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", SIGMA, "named", "--host", "0.0.0.0", "--port", "0", "--insecure"],
      { cwd: root },
    );
    let err = "";
    const warned = new Promise<void>((resolve) => {
      child.stderr.on("data", (c: Buffer) => {
        err += c.toString();
        if (err.includes("\n")) resolve();
      });
    });
    const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    try {
      await warned;
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(err).toBe(
      "sigma: warning: named on 0.0.0.0 serves everyone (--insecure): anyone who can reach it " +
        "can read and change everything it serves\n",
    );
  });
});
