/**
 * procd as a real process for the proc tests: `sigma procd` started with node + tsx, with the
 * kernel id and pool size the test wants. Every child started here is killed when the test
 * process exits, whatever way it exits, so a failing test leaks no procd (procd takes its procs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The test procds' bin directory. */
export const PROCS_DIR = fileURLToPath(new URL("./procs", import.meta.url));

/**
 * Whom test procs run as: nobody when the tests run as root (procd refuses to run procs as root
 * unless told to), else the tests' own user (procd's default). For nobody, the run's private
 * temp directory (0700) becomes searchable, so that procs reach their working directories in it.
 */
export function testProcUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  chmodSync(tmpdir(), statSync(tmpdir()).mode | 0o011);
  return { uid: 65534, gid: 65534 };
}
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export interface ProcdChild {
  kernel: string;
  /** The root of its procs' working directories. */
  workDir: string;
  /** Its OS pid. */
  pid: number;
  /** Everything it (and its procs, which share its stdout) printed so far. */
  output(): string;
  /** Resolves once `text` has appeared in its output. */
  printed(text: string): Promise<void>;
  /** SIGTERM (a clean stop: procs are stopped, statuses written) and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: procd vanishes without a word. */
  kill(): Promise<void>;
}

export interface ProcdChildOptions {
  kernel: string;
  warm?: number;
  sessionTimeoutMs?: number;
  /** Default tests/proc/procs. */
  binDir?: string;
  /** More `sigma procd` flags. */
  extra?: readonly string[];
  /** Variables added to procd's own environment. */
  env?: Readonly<Record<string, string>>;
}

/** Starts `sigma procd` against named at `namedAddr` and waits until it serves. */
export async function startProcdChild(
  namedAddr: string,
  o: ProcdChildOptions,
): Promise<ProcdChild> {
  const args = ["--import", "tsx", "bin/sigma.ts", "procd", "--named", namedAddr];
  args.push("--kernel", o.kernel, "--warm", String(o.warm ?? 2));
  if (o.sessionTimeoutMs !== undefined) args.push("--session-timeout", String(o.sessionTimeoutMs));
  // The work root is the harness's, so that it goes even when the test SIGKILLs procd.
  const workDir = mkdtempSync(path.join(tmpdir(), "procd-work-"));
  args.push("--bin-dir", o.binDir ?? PROCS_DIR, "--work-dir", workDir);
  const user = testProcUser();
  if (user !== undefined) args.push("--proc-user", `${user.uid}:${user.gid}`);
  args.push(...(o.extra ?? []));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = once(child, "exit").then(() => {
    live.delete(child);
    rmSync(workDir, { recursive: true, force: true });
  });
  let out = "";
  const watchers: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const w of watchers.filter((w) => out.includes(w.text))) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const printed = (text: string): Promise<void> =>
    out.includes(text)
      ? Promise.resolve()
      : new Promise((resolve) => watchers.push({ text, resolve }));
  const end = (sig: NodeJS.Signals) => async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  const ready = printed(`procd ${o.kernel} serving on`);
  const died = exited.then(() => {
    throw new Error(`procd exited before serving:\n${out}`);
  });
  await Promise.race([ready, died]);
  return {
    kernel: o.kernel,
    workDir,
    pid: child.pid ?? -1,
    output: () => out,
    printed,
    stop: end("SIGTERM"),
    kill: end("SIGKILL"),
  };
}
