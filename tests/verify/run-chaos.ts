/** Runs `npm run chaos -- ARGS` as the process a user starts, with extra environment. */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ChaosRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout: the summary. */
  last: string;
}

export function runChaosCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ChaosRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "verify/chaos/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGMA_FAILPOINTS: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? -1, stdout, stderr, last: stdout.trimEnd().split("\n").pop() ?? "" }),
    );
  });
}

/** A short etcd run under partitions only (chaos-partition, chaos-fence-off, chaos-lease-late). */
export const PARTITION_RUN: readonly string[] = [
  "--store",
  "etcd",
  "--seconds",
  "10",
  "--clients",
  "8",
  "--faults",
  "partition",
  "--seed",
  "1",
  "--min-ops",
  "100",
];

/**
 * PARTITION_RUN with `failpoint` planted, on seeds 1..`seeds` until one run is NOT linearizable;
 * every run before it must be a clean "linearizable" (never a harness failure). Fails naming each
 * verdict if no seed catches it. One short run catches a planted bug only sometimes (a client must
 * read what the deposed leader has stale), so a fixed seed would make the test a coin toss.
 */
export async function expectCaughtOnSomeSeed(failpoint: string, seeds: number): Promise<void> {
  const verdicts: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const args = [...PARTITION_RUN, "--failpoints", failpoint];
    args[args.indexOf("--seed") + 1] = String(seed);
    const r = await runChaosCli(args);
    verdicts.push(r.last);
    if (r.code === 1) {
      expect(r.last).toMatch(
        new RegExp(`^chaos: NOT linearizable, \\d+ ops .* [1-9]\\d* partitions, seed ${seed}$`),
      );
      return;
    }
    expect(r.last).toMatch(/^chaos: linearizable, /);
    expect(r.code).toBe(0);
  }
  expect.fail(`${failpoint} was not caught on seeds 1-${seeds}:\n${verdicts.join("\n")}`);
}
