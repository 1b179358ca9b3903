/**
 * named replicas on etcd as child processes (`sigma named --etcd`), so that tests can SIGKILL,
 * SIGSTOP and continue them. Each replica has a fixed port; `leader()` waits until one says it
 * leads.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./etcd.js";

const SIGMA = path.join(path.dirname(fileURLToPath(import.meta.url)), "../bin/sigma.ts");

export interface Replica {
  readonly addr: string;
  readonly proc: ChildProcess;
  /** Lines it printed. */
  readonly out: string[];
  leading: boolean;
  /** Resolves at its next "leading" line. */
  nextLead(): Promise<void>;
  /**
   * Resolves with the first line it printed matching `re`, now or later; only lines from index
   * `from` of `out` on count (e.g. `out.length`: only lines still to come).
   */
  printed(re: RegExp, from?: number): Promise<string>;
}

export class Replicas {
  readonly all: Replica[] = [];
  readonly #etcd: (i: number) => readonly string[];
  readonly #leaseMs: number;
  readonly #env: NodeJS.ProcessEnv;
  readonly #args: readonly string[];

  /**
   * `etcd`: the endpoints, or per replica index its own (through proxies that can cut it off);
   * `env`: the replicas' environment (e.g. SIGMA_FAILPOINTS); default this process's;
   * `args`: more `sigma named` flags for every replica (e.g. `--auth-keys <file>`).
   */
  constructor(
    etcd: readonly string[] | ((i: number) => readonly string[]),
    leaseMs = 1000,
    env: NodeJS.ProcessEnv = process.env,
    args: readonly string[] = [],
  ) {
    this.#etcd = typeof etcd === "function" ? etcd : () => etcd;
    this.#leaseMs = leaseMs;
    this.#env = env;
    this.#args = args;
  }

  get addrs(): string[] {
    return this.all.map((r) => r.addr);
  }

  async start(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.all.push(await this.#spawn(`127.0.0.1:${await freePort()}`, this.all.length));
    }
  }

  /** Starts the replica at index `i` again on its address (after a kill). */
  async restart(i: number): Promise<void> {
    this.all[i] = await this.#spawn(this.all[i]!.addr, i);
  }

  async #spawn(addr: string, i: number): Promise<Replica> {
    const port = addr.split(":")[1]!;
    const proc = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        SIGMA,
        "named",
        "--etcd",
        this.#etcd(i).join(","),
        "--port",
        port,
        "--lease-ms",
        String(this.#leaseMs),
        ...this.#args,
      ],
      { stdio: ["ignore", "pipe", "inherit"], env: this.#env },
    );
    const waiters: (() => void)[] = [];
    const watchers: ((line: string) => void)[] = [];
    const r: Replica = {
      addr,
      proc,
      out: [],
      leading: false,
      nextLead: () => new Promise<void>((resolve) => waiters.push(resolve)),
      printed: (re, from = 0) => {
        const now = r.out.slice(from).find((l) => re.test(l));
        if (now !== undefined) return Promise.resolve(now);
        return new Promise((resolve) => {
          const w = (line: string) => {
            if (!re.test(line)) return;
            watchers.splice(watchers.indexOf(w), 1);
            resolve(line);
          };
          watchers.push(w);
        });
      },
    };
    let buf = "";
    proc.stdout?.on("data", (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        r.out.push(line);
        for (const w of [...watchers]) w(line);
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

  /** SIGCONT after `pause`: it runs on, and says itself whether it leads. */
  resume(r: Replica): void {
    r.proc.kill("SIGCONT");
  }

  async stopAll(): Promise<void> {
    for (const r of this.all) await this.kill(r);
  }
}
