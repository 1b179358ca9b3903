/**
 * Running `sigma` in the tests: in-process through runSigma (fast; most tests), or as a real
 * process where the process boundary is the point (pipes, a terminal, signals, start-up).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { runSigma } from "../../bin/run-sigma.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const SIGMA = path.join(ROOT, "bin/sigma.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sigma ARGS` in this process, stdin from `stdin`. */
export async function sigmaIn(
  args: readonly string[],
  stdin: string | Buffer = "",
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runSigma(args, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
  });
  return { code, stdout: out, stderr: err };
}

/** The argv that runs the sigma command from source in a child process. */
export function sigmaArgv(args: readonly string[]): string[] {
  return ["--import", "tsx", SIGMA, ...args];
}

/** Runs `sh -c script` in the repo (so `$SIGMA` works in it) and collects its output. */
export function shell(script: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  // Word-split by the shell where it is used ($SIGMA ls …): the paths hold no spaces.
  const sigma = [process.execPath, ...sigmaArgv([])].join(" ");
  const child = spawn("sh", ["-c", script], {
    cwd: ROOT,
    env: { ...process.env, SIGMA: sigma, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
