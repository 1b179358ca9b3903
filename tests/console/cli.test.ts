/**
 * `sigma console` as a user runs it: a real process, serving until SIGTERM, then stopping
 * cleanly. The read-only flag reaches the API; bad flags are usage errors.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseListen } from "../../bin/commands/console-command.js";
import { runSigma } from "../../bin/run-sigma.js";
import type { ErrorBody, InfoJson } from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { apiOf } from "./world.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let named: Named;
beforeAll(async () => {
  named = await startNamed();
});
afterAll(() => named?.close());

describe("sigma console", () => {
  it("serves until SIGTERM, read-only when asked, and says where", async () => {
    const args = ["--import", "tsx", "bin/sigma.ts", "console", "--named", named.addr];
    args.push("--listen", "127.0.0.1:0", "--read-only");
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const exited = once(child, "exit");
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const m = /^console (http:\/\/127\.0\.0\.1:\d+\/) for named (\S+) \(read-only\)\n/.exec(
            out,
          );
          if (m?.[1] !== undefined) resolve(m[1]);
        });
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        void exited.then(() => reject(new Error(`sigma console exited:\n${out}`)));
      });
      const api = apiOf(url);
      const info = await api.get<InfoJson>("/api/info");
      expect(info.body).toMatchObject({ readOnly: true, named: [named.addr], uname: "console" });
      const refused = await api.send<ErrorBody>("POST", "/api/create", {
        path: "name/tmp/x",
        kind: "file",
      });
      expect(refused.status).toBe(403);
      child.kill("SIGTERM");
      const [code] = await exited;
      expect(code).toBe(0);
      expect(out).toMatch(/console stopped \(SIGTERM\)\n$/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a bad --listen and a missing named address with usage errors", async () => {
    const run = async (argv: string[]) => {
      const stderr = new PassThrough();
      let err = "";
      stderr.on("data", (c: Buffer) => (err += c.toString()));
      const env = process.env["SIGMA_NAMED"];
      delete process.env["SIGMA_NAMED"];
      try {
        const code = await runSigma(argv, {
          stdin: Readable.from([]),
          stdout: new PassThrough(),
          stderr,
        });
        return { code, err };
      } finally {
        if (env !== undefined) process.env["SIGMA_NAMED"] = env;
      }
    };
    expect(await run(["console", "--named", named.addr, "--listen", "nowhere"])).toEqual({
      code: 64,
      err: "sigma: --listen nowhere: expected HOST:PORT\n",
    });
    expect(await run(["console"])).toEqual({
      code: 64,
      err: "sigma: no named address: pass --named HOST:PORT or set SIGMA_NAMED\n",
    });
  });

  it("reads --listen as host:port, [v6]:port or :port", () => {
    expect(parseListen("0.0.0.0:8080")).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(parseListen(":7070")).toEqual({ host: "127.0.0.1", port: 7070 });
    expect(parseListen("localhost")).toBeNull();
    expect(parseListen("h:70000")).toBeNull();
  });
});
