/**
 * Starting a proc's OS process. Node programs go through node-boot (cold: a fresh `node`; warm:
 * a pre-forked runtime, see warm-pool.ts); anything else is executed directly. Every proc gets
 * its channel to procd on descriptor 3 and inherits procd's stdout and stderr.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { JsMirror } from "./js-mirror.js";

/** The channel's descriptor in every proc. */
export const CHANNEL_FD = 3;

/** How a program runs. */
export type LaunchPlan =
  { kind: "node"; module: string; tsx: boolean } | { kind: "exec"; file: string };

const STDIO = ["ignore", "inherit", "inherit", "pipe"] as const;

const NODE_EXT = /\.(?:[cm]?js|[cm]?ts)$/;

// setpriv (util-linux) makes the kernel kill a proc when procd dies, even by SIGKILL; Node procs
// notice on their own when the channel closes.
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? null;

/** Decides how to run `program`; TypeScript in the project is transpiled (see js-mirror.ts). */
export async function planLaunch(program: string, mirror: JsMirror): Promise<LaunchPlan> {
  if (!NODE_EXT.test(program)) return { kind: "exec", file: program };
  const js = await mirror.toJs(program);
  return js === null
    ? { kind: "node", module: program, tsx: true }
    : { kind: "node", module: js, tsx: false };
}

/** What a cold start needs besides the plan. */
export interface ColdStart {
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string | undefined;
  /** node-boot's runnable path: used where setpriv is missing, to end the proc with procd. */
  boot: string;
}

/**
 * Starts `plan` as a fresh process. Node programs run directly (node-boot's channel watch would
 * cost a few module loads on every cold start); under setpriv, the kernel ends them with procd.
 */
export function spawnCold(plan: LaunchPlan, s: ColdStart): ChildProcess {
  const o = { env: s.env, cwd: s.cwd, stdio: [...STDIO] };
  const [file, args] =
    plan.kind === "node"
      ? [
          process.execPath,
          [...(plan.tsx ? ["--import", import.meta.resolve("tsx")] : []), plan.module, ...s.args],
        ]
      : [plan.file, [...s.args]];
  if (SETPRIV !== null) return spawn(SETPRIV, ["--pdeathsig", "KILL", "--", file, ...args], o);
  if (plan.kind === "node") return spawn(file, [s.boot, "run", plan.module, ...s.args], o);
  return spawn(file, args, o);
}

/** Starts a warm runtime: node-boot waiting for a module. */
export function spawnRuntime(boot: string, env: NodeJS.ProcessEnv): ChildProcess {
  const args = [process.execPath, boot, "warm"];
  const o = { env, stdio: [...STDIO] };
  if (SETPRIV !== null) return spawn(SETPRIV, ["--pdeathsig", "KILL", "--", ...args], o);
  return spawn(args[0] as string, args.slice(1), o);
}
