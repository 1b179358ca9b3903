/**
 * Runs diodload (diod's load generator) and parses its one summary line. It always attaches to
 * the aname `ctl`: `-g` getattrs `null`, otherwise each thread reads msize bytes of `zero` and
 * writes them to `null`, over its own connection.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { diodBinary } from "./diod-server.js";

const exec = promisify(execFile);

export interface DiodloadResult {
  opsPerSec: number;
  readMBps: number;
  writeMBps: number;
}

export async function diodload(
  addr: string,
  opts: { getattr: boolean; seconds: number; threads: number },
): Promise<DiodloadResult> {
  const args = ["-s", addr, "-n", String(opts.threads), "-r", String(opts.seconds)];
  if (opts.getattr) args.push("-g");
  const { stderr } = await exec(diodBinary("diodload"), args, {
    timeout: (opts.seconds + 30) * 1000,
  });
  // diodload reports errors per thread and still prints the total: any other line is a failure.
  const lines = stderr.trim().split("\n");
  const m = /^diodload: (\d+) ops\/s, (\d+) rMB\/s, (\d+) wMB\/s$/.exec(
    lines[lines.length - 1] ?? "",
  );
  if (m === null || lines.length !== 1) throw new Error(`diodload against ${addr}: ${stderr}`);
  // diodload's MB is 2^20 bytes; the runner's MB/s is 10^6 bytes per second.
  const mb = (s: string): number => (Number(s) * 1024 * 1024) / 1e6;
  return { opsPerSec: Number(m[1]), readMBps: mb(m[2]!), writeMBps: mb(m[3]!) };
}
