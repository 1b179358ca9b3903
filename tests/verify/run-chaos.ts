/** Runs `npm run chaos -- ARGS` as the process a user starts, with extra environment. */
import { spawn } from "node:child_process";
import path from "node:path";

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
