/**
 * `sigma 9p` as a real process, for the tests where the process boundary matters: the command
 * itself, and fuzzing, where the gateway's survival and memory are read from outside.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const SIGMA = path.join(root, "bin/sigma.ts");

export interface GatewayProcess {
  addr: string;
  pid: number;
  child: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resident memory now, in bytes (from /proc). */
  rss(): number;
  /** SIGTERM, then its exit code and output. */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export async function spawnGateway(
  named: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const args = ["--import", "tsx", SIGMA, "9p", "--listen", "127.0.0.1:0", "--named", named];
  const child = spawn(process.execPath, [...args, ...extra], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const addr = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /9p gateway listening on (\S+)(?: \(TLS\))?\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`sigma 9p exited (${code}): ${err}`)));
  });
  return {
    addr,
    pid: child.pid!,
    child,
    stderr: () => err,
    rss: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      return Number(m?.[1]) * 1024;
    },
    stop: async () => {
      child.kill("SIGTERM");
      const code = await exited;
      return { code, stdout: out, stderr: err };
    },
  };
}
