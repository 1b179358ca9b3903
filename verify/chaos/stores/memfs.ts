/** The memfs store: one `sigma named` child process (data in its memory). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunningStore } from "../store.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export async function startMemfsStore(env: NodeJS.ProcessEnv): Promise<RunningStore> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bin/sigma.ts", "named", "--port", "0"],
    {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const addr = await listeningAddr(child.stdout, child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    addrs: [addr],
    members: [
      {
        name: "named",
        kind: "named",
        signal: (sig) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(sig);
        },
      },
    ],
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        child.kill("SIGTERM");
      }
      await exited;
    },
  };
}

/** Resolves with the address named prints once it serves; rejects if it exits first. */
export function listeningAddr(
  stdout: NodeJS.ReadableStream,
  child: ReturnType<typeof spawn>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (c: Buffer) => {
      text += c.toString();
      const m = /named listening on (\S+)\n/.exec(text);
      if (m !== null) {
        stdout.off("data", onData);
        stdout.resume();
        resolve(m[1] as string);
      }
    };
    stdout.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`named exited (${code ?? signal}) before serving`)),
    );
  });
}
