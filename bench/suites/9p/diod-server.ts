/**
 * Debian's diod on a loopback port, exporting a fresh temporary directory and its `ctl` tree,
 * without authentication, as the baseline of the 9p suite. Stopped (and the directory removed)
 * by the returned function.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../named/free-port.js";

export interface DiodServer {
  addr: string;
  /** The exported directory (the aname is this path). */
  dir: string;
  stop(): Promise<void>;
}

/** The path of a diod program (Debian installs them in /usr/sbin, often not on PATH). */
export function diodBinary(name: string): string {
  const p = `/usr/sbin/${name}`;
  return existsSync(p) ? p : name;
}

export async function startDiod(): Promise<DiodServer> {
  const dir = mkdtempSync(join(tmpdir(), "sigmats-9p-diod-"));
  const [port] = await freePorts(1);
  const addr = `127.0.0.1:${port}`;
  // -c /dev/null: none of /etc/diod.conf; -n: no auth; -f: stay in the foreground.
  const child = spawn(
    diodBinary("diod"),
    ["-f", "-n", "-c", "/dev/null", "-L", "stderr", "-l", addr, "-e", dir, "-e", "ctl"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitListening(port!, exited, () => err);
  } catch (e) {
    await stop();
    throw e;
  }
  return { addr, dir, stop };
}

async function waitListening(
  port: number,
  exited: Promise<void>,
  err: () => string,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200; i++) {
    if (gone) throw new Error(`diod exited: ${err()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`diod did not listen on ${port}: ${err()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
