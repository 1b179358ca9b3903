/**
 * procd as a real process for the proc tests: `sigma procd` started with node + tsx, with the
 * kernel id and pool size the test wants. Every child started here is killed when the test
 * process exits, whatever way it exits, so a failing test leaks no procd (procd takes its procs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export interface ProcdChild {
  kernel: string;
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
}

/** Starts `sigma procd` against named at `namedAddr` and waits until it serves. */
export async function startProcdChild(
  namedAddr: string,
  o: ProcdChildOptions,
): Promise<ProcdChild> {
  const args = ["--import", "tsx", "bin/sigma.ts", "procd", "--named", namedAddr];
  args.push("--kernel", o.kernel, "--warm", String(o.warm ?? 2));
  if (o.sessionTimeoutMs !== undefined) args.push("--session-timeout", String(o.sessionTimeoutMs));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  const exited = once(child, "exit").then(() => live.delete(child));
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
    pid: child.pid ?? -1,
    output: () => out,
    printed,
    stop: end("SIGTERM"),
    kill: end("SIGKILL"),
  };
}
