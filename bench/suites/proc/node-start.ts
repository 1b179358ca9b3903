/**
 * The baseline: a bare `node` process start-up, timed as a proc's start is, from the spawn call
 * to the process saying it is ready (a line on stdout), then waited for untimed.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";

const SCRIPT = 'process.stdout.write("ready\\n")';

/** Starts `node -e` printing one line; resolves with ms from spawn to that line, after exit. */
export async function nodeStartMs(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["-e", SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  let ms = NaN;
  let buf = "";
  for await (const chunk of child.stdout) {
    buf += String(chunk);
    if (buf.includes("\n") && Number.isNaN(ms)) ms = performance.now() - t0;
  }
  await exited;
  if (Number.isNaN(ms)) throw new Error("node -e printed no ready line");
  return ms;
}
