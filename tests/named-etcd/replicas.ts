/**
 * named replicas on etcd as child processes (`sigma named --etcd`), so that tests can SIGKILL,
 * SIGSTOP and continue them. Each replica has a fixed port; `leader()` waits until one says it
 * leads.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../support/etcd.js";

const SIGMA = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../bin/sigma.ts");

export interface Replica {
  readonly addr: string;
  readonly proc: ChildProcess;
  /** Lines it printed. */
  readonly out: string[];
  leading: boolean;
  /** Resolves at its next "leading" line. */
  nextLead(): Promise<void>;
}

export class Replicas {
  readonly all: Replica[] = [];
  readonly #etcd: string[];
  readonly #leaseMs: number;
  readonly #env: NodeJS.ProcessEnv;

  /** `env`: the replicas' environment (e.g. SIGMA_FAILPOINTS); default this process's. */
  constructor(etcd: string[], leaseMs = 1000, env: NodeJS.ProcessEnv = process.env) {
    this.#etcd = etcd;
    this.#leaseMs = leaseMs;
    this.#env = env;
  }

  get addrs(): string[] {
    return this.all.map((r) => r.addr);
  }

  async start(n: number): Promise<void> {
    for (let i = 0; i < n; i++) this.all.push(await this.#spawn(`127.0.0.1:${await freePort()}`));
  }

  /** Starts the replica at index `i` again on its address (after a kill). */
  async restart(i: number): Promise<void> {
    this.all[i] = await this.#spawn(this.all[i]!.addr);
  }

  async #spawn(addr: string): Promise<Replica> {
    const port = addr.split(":")[1]!;
    const proc = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        SIGMA,
        "named",
        "--etcd",
        this.#etcd.join(","),
        "--port",
        port,
        "--lease-ms",
        String(this.#leaseMs),
      ],
      { stdio: ["ignore", "pipe", "inherit"], env: this.#env },
    );
    const waiters: (() => void)[] = [];
    const r: Replica = {
      addr,
      proc,
      out: [],
      leading: false,
      nextLead: () => new Promise<void>((resolve) => waiters.push(resolve)),
    };
    let buf = "";
    proc.stdout?.on("data", (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        r.out.push(line);
        if (/ leading \(/.test(line)) {
          r.leading = true;
          for (const w of waiters.splice(0)) w();
        } else if (/ following \(/.test(line)) {
          r.leading = false;
        }
      }
    });
    return r;
  }

  /** The replica that leads, once one does. */
  async leader(): Promise<Replica> {
    const live = this.all.filter((r) => r.proc.exitCode === null && r.proc.signalCode === null);
    const now = live.find((r) => r.leading);
    if (now !== undefined) return now;
    return Promise.race(live.map((r) => r.nextLead().then(() => r)));
  }

  async kill(r: Replica, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (r.proc.exitCode !== null || r.proc.signalCode !== null) return;
    const exited = once(r.proc, "exit");
    r.proc.kill(signal);
    r.leading = false;
    await exited;
  }

  /** SIGSTOP: it no longer counts as leading (it cannot say so itself). */
  pause(r: Replica): void {
    r.proc.kill("SIGSTOP");
    r.leading = false;
  }

  async stopAll(): Promise<void> {
    for (const r of this.all) await this.kill(r);
  }
}
