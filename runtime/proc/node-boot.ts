/**
 * How procd runs Node procs: `node node-boot.js run MODULE ARGS…` (cold) or `node node-boot.js
 * warm` (a pre-forked runtime: loads the client library, says ready on its channel and waits for
 * procd to hand it a module). Either way the proc's module is imported with `process.argv` as if it
 * had been run directly, and the process ends when procd does: a proc never outlives the daemon
 * that answers for it.
 */
import { pathToFileURL } from "node:url";
import { ProcEnvVar } from "../proc-channel/proc-env.js";
import { ProcdChannel } from "./procd-channel.js";

const [mode, ...rest] = process.argv.slice(2);
const channel = ProcdChannel.open(Number(process.env[ProcEnvVar.channelFd] ?? "3"));
channel.onClose(() => process.exit(1));

if (mode === "warm") {
  // Loaded now, while nobody waits, so that the proc's own imports find them cached.
  await import("./index.js");
  const run = await channel.awaitRun();
  for (const [k, v] of Object.entries(run.env)) process.env[k] = v;
  if (run.cwd !== "") process.chdir(run.cwd);
  await runModule(run.module, run.args);
} else if (mode === "run" && rest[0] !== undefined) {
  await runModule(rest[0], rest.slice(1));
} else {
  process.stderr.write("usage: node-boot run MODULE [ARGS...] | node-boot warm\n");
  process.exit(64);
}

async function runModule(module: string, args: string[]): Promise<void> {
  process.argv.splice(1, process.argv.length - 1, module, ...args);
  await import(pathToFileURL(module).href);
}
