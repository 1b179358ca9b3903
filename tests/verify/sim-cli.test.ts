/**
 * `npm run sim` as a user runs it: a failing seed prints the command that replays it, and that
 * command, run as a new process, records the same history byte for byte.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sim(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "verify/sim/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGMA_FAILPOINTS: "" },
  });
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout }));
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sim-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm run sim", () => {
  it("passes a range of seeds and says so last", async () => {
    const r = await sim(["--seeds", "1..20"]);
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(
      /^sim: 20 seeds, 20 passed, 0 failed, \d+ ms$/,
    );
    expect(r.code).toBe(0);
  });

  it("prints a failing seed's replay command, which records the same history", async () => {
    const first = path.join(dir, "first");
    const r = await sim([
      "--seeds",
      "1..5",
      "--failpoints",
      "lost-write",
      "--first-failure",
      "--out",
      first,
    ]);
    expect(r.code).toBe(1);
    const replay = /replay: npm run sim -- (.*)$/m.exec(r.stdout);
    expect(replay?.[1]).toMatch(/^--seed (\d+) --failpoints lost-write --out /);
    const seed = /--seed (\d+)/.exec(replay?.[1] ?? "")?.[1] as string;
    const again = path.join(dir, "again");
    const args = (replay?.[1] as string).replace(/--out \S+$/, `--out ${again}`).split(" ");
    const rerun = await sim(args);
    expect(rerun.code).toBe(1);
    const a = await readFile(path.join(first, `seed-${seed}.json`), "utf8");
    const b = await readFile(path.join(again, `seed-${seed}.json`), "utf8");
    expect(b).toBe(a);
    expect(JSON.parse(a).ops.length).toBeGreaterThan(0);
  });

  it("refuses an unknown failpoint with exit 64", async () => {
    const r = await sim(["--failpoints", "nope"]);
    expect(r.code).toBe(64);
  });
});
