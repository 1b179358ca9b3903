/**
 * Runs a TypeScript module in a child process (node --import tsx), waits for its ready line
 * (see ready.ts) and hands back the port. Benchmarks that cross a socket need the peer in another
 * process: in one process, client and server share the event loop and the numbers lie.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { READY_PREFIX } from "./ready.js";

export interface ChildOptions {
  /** The module to run: a path (relative to cwd) or a file URL. */
  module: string | URL;
  args?: readonly string[];
  /** Extra node flags, before the module (e.g. `--expose-gc`). */
  nodeArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Defaults to the project root, where `tsx` resolves. */
  cwd?: string;
  /** How long to wait for the ready line. */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

export interface RunningChild {
  port: number;
  pid: number;
  /** Output the child wrote (stdout then stderr), kept for error messages; tail only. */
  output(): string;
  /** Terminates the child and resolves when it has exited; safe to call twice. */
  stop(): Promise<void>;
}

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const DEFAULTS = { readyTimeoutMs: 15_000, killGraceMs: 2_000 };

// Kept so that an exiting runner (error, Ctrl-C) never leaves servers holding ports.
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export async function startChild(options: ChildOptions): Promise<RunningChild> {
  const opts = { ...DEFAULTS, ...options };
  const file = opts.module instanceof URL ? fileURLToPath(opts.module) : opts.module;
  const child = spawn(
    process.execPath,
    [...profileArgs(), ...(opts.nodeArgs ?? []), "--import", "tsx", file, ...(opts.args ?? [])],
    {
      cwd: opts.cwd ?? PROJECT_ROOT,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  live.add(child);
  child.once("exit", () => live.delete(child));

  const log = new OutputTail();
  // Both pipes are drained for the child's whole life: a full pipe would block its writes.
  child.stderr?.on("data", (chunk: Buffer) => log.add(chunk.toString()));
  const stop = stopper(child, opts.killGraceMs);
  try {
    const port = await waitForReady(child, log, opts.readyTimeoutMs, file);
    return { port, pid: child.pid ?? -1, output: () => log.text(), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * BENCH_CPU_PROF_DIR=<dir> profiles every child (node --cpu-prof), which NODE_OPTIONS cannot
 * ask for. A child writes its profile when it exits through process.exit, which is why benchmark
 * servers use exitWithRunner() (child-exit.ts) to turn SIGTERM into one.
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

function waitForReady(
  child: ChildProcess,
  log: OutputTail,
  timeoutMs: number,
  file: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = "";
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const fail = (why: string): void =>
      settle(() => reject(new Error(`child ${file} ${why}\n${log.text()}`.trimEnd())));

    const timer = setTimeout(() => fail(`printed no ready line within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (e) => fail(`could not start: ${e.message}`));
    child.once("exit", (code, signal) => fail(`exited before ready (${signal ?? `code ${code}`})`));
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      log.add(text);
      if (settled) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const port = parseReady(line);
        if (port !== null) return settle(() => resolve(port));
      }
    });
  });
}

function parseReady(line: string): number | null {
  const m = new RegExp(`^${READY_PREFIX} (\\d+)\\s*$`).exec(line);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function stopper(child: ChildProcess, graceMs: number): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      // No pid: spawn failed, and no exit event will come.
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

/** Keeps the last few KiB of a child's output: enough to explain a failure, bounded in memory. */
class OutputTail {
  private buf = "";

  add(text: string): void {
    this.buf = (this.buf + text).slice(-8192);
  }

  text(): string {
    return this.buf;
  }
}
