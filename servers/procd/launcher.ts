/**
 * Starting a proc's OS process. Node programs go through node-boot (cold: a fresh `node`; warm:
 * a pre-forked runtime, see warm-pool.ts); anything else is executed directly, never through a
 * shell. Every proc gets its channel to procd on descriptor 3, inherits procd's stdout and stderr,
 * and is confined as confinement.ts describes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Confinement } from "./confinement.js";
import type { JsMirror } from "./js-mirror.js";

/** The channel's descriptor in every proc. */
export const CHANNEL_FD = 3;

/** How a program runs. */
export type LaunchPlan =
  { kind: "node"; module: string; tsx: boolean } | { kind: "exec"; file: string };

const STDIO = ["ignore", "inherit", "inherit", "pipe"] as const;

const NODE_EXT = /\.(?:[cm]?js|[cm]?ts)$/;

/**
 * Decides how to run `program`, a real path in the bin directory; TypeScript in the project is
 * transpiled (see js-mirror.ts).
 */
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
  cwd: string;
  /** node-boot's runnable path: used where setpriv is missing, to end the proc with procd. */
  boot: string;
  confinement: Confinement;
}

/**
 * Starts `plan` as a fresh process. Node programs run directly (node-boot's channel watch would
 * cost a few module loads on every cold start); under setpriv, the kernel ends them with procd.
 */
export function spawnCold(plan: LaunchPlan, s: ColdStart): ChildProcess {
  const c = s.confinement;
  const o = { env: s.env, cwd: s.cwd, stdio: [...STDIO], ...c.spawnOptions() };
  if (plan.kind === "exec") return spawn(...c.command(plan.file, s.args), o);
  const tsx = plan.tsx ? ["--import", import.meta.resolve("tsx")] : [];
  const args = c.diesWithProcd
    ? [...tsx, plan.module, ...s.args]
    : [...tsx, s.boot, "run", plan.module, ...s.args];
  return spawn(...c.command(process.execPath, args), o);
}

/** Starts a warm runtime: node-boot waiting for a module. */
export function spawnRuntime(
  boot: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  confinement: Confinement,
): ChildProcess {
  const o = { env, cwd, stdio: [...STDIO], ...confinement.spawnOptions() };
  return spawn(...confinement.command(process.execPath, [boot, "warm"]), o);
}
