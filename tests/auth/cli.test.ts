/** `sigma token keygen|issue|verify`, run in-process as a user would type them. */
import { sigmaIn, type CliResult } from "../cli/run-cli.js";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigma-token-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function sigma(args: string[], stdin = ""): Promise<CliResult> {
  return sigmaIn(args, stdin);
}

describe("sigma token", () => {
  it("keygen, issue and verify: a token for the realm verifies and shows its claims", async () => {
    const key = path.join(dir, "k1");
    const gen = await sigma(["token", "keygen", "--out", key]);
    expect(gen.code).toBe(0);
    const kid = /key id ([0-9a-f]{16})\n$/.exec(gen.stdout)?.[1];
    expect(gen.stdout).toBe(
      `wrote ${key} (private, keep it secret) and ${key}.pub; key id ${kid}\n`,
    );
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    const iss = await sigma([
      "token",
      "issue",
      "--key",
      key,
      "--user",
      "alice",
      "--realm",
      "r1",
      "--ttl",
      "2h",
    ]);
    expect(iss.code).toBe(0);
    const token = iss.stdout.trim();
    expect(token).toMatch(/^sgt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    const ver = await sigma([
      "token",
      "verify",
      "--keys",
      `${key}.pub`,
      "--realm",
      "r1",
      "--json",
      token,
    ]);
    expect(ver.code).toBe(0);
    const claims = JSON.parse(ver.stdout) as Record<string, unknown>;
    expect(claims).toMatchObject({ user: "alice", realm: "r1", role: "user", kid });
    expect((claims.exp as number) - (claims.nbf as number)).toBe(7200);
    const fromStdin = await sigma(
      ["token", "verify", "--keys", `${key}.pub`, "--realm", "r1", "-"],
      `${token}\n`,
    );
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toMatch(
      /^valid: user alice, realm r1, role user, key [0-9a-f]{16}, until /,
    );
  });

  it("verify refuses with one line and exit 1: other realm, unknown key, not yet valid", async () => {
    const a = path.join(dir, "ka");
    const b = path.join(dir, "kb");
    await sigma(["token", "keygen", "--out", a]);
    await sigma(["token", "keygen", "--out", b]);
    const t = (
      await sigma(["token", "issue", "--key", a, "--user", "u", "--realm", "r1"])
    ).stdout.trim();
    const realm = await sigma(["token", "verify", "--keys", `${a}.pub`, "--realm", "r2", t]);
    expect(realm).toEqual({
      code: 1,
      stdout: "",
      stderr: "sigma: token refused: wrong-realm (token for realm r1, this server serves r2)\n",
    });
    const unknown = await sigma(["token", "verify", "--keys", `${b}.pub`, "--realm", "r1", t]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^sigma: token refused: unknown-key \(signed by key [0-9a-f]{16}, which this server does not hold\)\n$/,
    );
    const rotated = await sigma([
      "token",
      "verify",
      "--keys",
      `${b}.pub,${a}.pub`,
      "--realm",
      "r1",
      t,
    ]);
    expect(rotated.code).toBe(0);
    const later = (
      await sigma([
        "token",
        "issue",
        "--key",
        a,
        "--user",
        "u",
        "--realm",
        "r1",
        "--not-before",
        "1h",
      ])
    ).stdout.trim();
    const early = await sigma(["token", "verify", "--keys", `${a}.pub`, "--realm", "r1", later]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^sigma: token refused: not-yet-valid/);
    const junk = await sigma(["token", "verify", "--keys", `${a}.pub`, "--realm", "r1", "junk"]);
    expect(junk.stderr).toBe(
      "sigma: token refused: malformed (unknown token format; expected sgt1.…)\n",
    );
  });

  it("usage errors exit 64: a bad role, a bad ttl; key file problems exit 1", async () => {
    const k = path.join(dir, "kc");
    await sigma(["token", "keygen", "--out", k]);
    const role = await sigma([
      "token",
      "issue",
      "--key",
      k,
      "--user",
      "u",
      "--realm",
      "r",
      "--role",
      "root",
    ]);
    expect(role).toEqual({
      code: 64,
      stdout: "",
      stderr: "sigma: --role root: expected admin, user or readonly\n",
    });
    const ttl = await sigma([
      "token",
      "issue",
      "--key",
      k,
      "--user",
      "u",
      "--realm",
      "r",
      "--ttl",
      "forever",
    ]);
    expect(ttl.code).toBe(64);
    expect(ttl.stderr).toBe('sigma: bad duration "forever": expected e.g. 90s, 30m, 1h, 7d\n');
    const again = await sigma(["token", "keygen", "--out", k]);
    expect(again).toEqual({
      code: 1,
      stdout: "",
      stderr: `sigma: ${k}: exists (use --force to replace it)\n`,
    });
    const user = await sigma(["token", "issue", "--key", k, "--user", "a/b", "--realm", "r"]);
    expect(user.code).toBe(1);
    expect(user.stderr).toMatch(/^sigma: user "a\/b": 1-64 of/);
    const pubAsKey = await sigma(["token", "verify", "--keys", k, "--realm", "r", "x"]);
    expect(pubAsKey.stderr).toBe(
      `sigma: ${k}: holds a private key; give servers the .pub file only\n`,
    );
  });
});
