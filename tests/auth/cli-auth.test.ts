/**
 * The auth flags of `sigma` (docs/cli.md): servers on a non-loopback address refuse to start
 * without `--auth-keys` (gateways: at all) unless `--insecure`, in one line; clients present
 * `--token` or $SIGMA_TOKEN, and a named with keys refuses them without one.
 */
import { sigmaIn, type CliResult } from "../cli/run-cli.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken, loadAuthKeys, readSigningKey } from "../../runtime/auth/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";

function sigma(args: string[]): Promise<CliResult> {
  return sigmaIn(args);
}

let dir: string;
let named: Named;
let token: string;
const refusedLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigma-cli-auth-"));
  const key = path.join(dir, "realm-key");
  expect((await sigma(["token", "keygen", "--out", key])).code).toBe(0);
  named = await startNamed({
    authKeys: await loadAuthKeys(`${key}.pub`),
    onRefused: (l) => refusedLines.push(l),
  });
  token = issueToken(await readSigningKey(key), { user: "alice", realm: "rootrealm" });
});
afterAll(async () => {
  await named?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("servers on a non-loopback address", () => {
  const cases: [string, string[], string][] = [
    [
      "named",
      ["named", "--host", "0.0.0.0", "--port", "0"],
      "sigma: named: refusing to serve 0.0.0.0 without --auth-keys (give --insecure to serve everyone)\n",
    ],
    [
      "procd",
      ["procd", "--host", "0.0.0.0", "--named", "127.0.0.1:1", "--bin-dir", "/nonexistent"],
      "sigma: procd: refusing to serve 0.0.0.0 without --auth-keys (give --insecure to serve everyone)\n",
    ],
    [
      "console",
      ["console", "--listen", "0.0.0.0:0", "--named", "127.0.0.1:1"],
      "sigma: console: refusing to serve 0.0.0.0 without authentication (give --insecure to serve everyone)\n",
    ],
    [
      "9p",
      ["9p", "--listen", "0.0.0.0:0", "--named", "127.0.0.1:1"],
      "sigma: 9p gateway: refusing to serve 0.0.0.0 without authentication (give --insecure to serve everyone)\n",
    ],
  ];
  for (const [what, args, line] of cases) {
    it(`sigma ${what} refuses to start without --insecure, in one line`, async () => {
      expect(await sigma(args)).toEqual({ code: 64, stdout: "", stderr: line });
    });
  }

  it("--auth-keys with a private key file is a usage error naming it", async () => {
    const r = await sigma([
      "named",
      "--host",
      "0.0.0.0",
      "--auth-keys",
      path.join(dir, "realm-key"),
    ]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("holds a private key");
  });
});

describe("clients of a named with keys", () => {
  it("sigma put/cat --token works, and what it creates is owned by the token's user", async () => {
    const args = ["--named", named.addr, "--token", token];
    expect((await sigma(["mkdir", ...args, "name/tmp/a"])).code).toBe(0);
    const st = await sigma(["stat", "--json", ...args, "name/tmp/a"]);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ name: "a", uid: "alice" });
  });

  it("SIGMA_TOKEN is the default token", async () => {
    process.env["SIGMA_TOKEN"] = token;
    try {
      expect((await sigma(["ls", "--named", named.addr, "name/tmp"])).stdout).toBe("a/\n");
    } finally {
      delete process.env["SIGMA_TOKEN"];
    }
  });

  it("without a token: exit 1, unauthorized, and named logs one line", async () => {
    const before = refusedLines.length;
    const r = await sigma(["ls", "--named", named.addr, "name/tmp"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unauthorized/);
    expect(r.stderr).toContain("token refused: missing");
    expect(refusedLines.length).toBe(before + 1);
  });

  it("--uname other than the token's user: unauthorized", async () => {
    const r = await sigma([
      "ls",
      "--named",
      named.addr,
      "--token",
      token,
      "--uname",
      "root",
      "name/tmp",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unauthorized/);
  });
});
