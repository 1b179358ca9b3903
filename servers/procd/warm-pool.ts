/**
 * The warm pool: pre-forked Node runtimes that have loaded the client library and wait on their
 * channel for a module to import. Taking one costs a message instead of Node's start-up; each one
 * taken is replaced in the background. A runtime runs one proc and then ends with it, so procs
 * never share a process.
 */
import type { ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import { type FromProcd, LineChannel, type ToProcd } from "../../runtime/proc-channel/index.js";
import { logger } from "../../runtime/log.js";

const log = logger("procd");

/** A runtime ready to take a proc. */
export interface Runtime {
  child: ChildProcess;
  channel: LineChannel<ToProcd, FromProcd>;
}

// Runtimes that die before saying ready this many times in a row stop the refilling: something
// is broken, and forking in a loop would only hide it.
const MAX_FAILURES = 3;

/** A fixed-size pool of ready runtimes. */
export class WarmPool {
  readonly size: number;
  readonly #fork: () => ChildProcess;
  readonly #idle: Runtime[] = [];
  readonly #warming = new Set<ChildProcess>();
  readonly #waiters: (() => void)[] = [];
  #failures = 0;
  #closed = false;

  /** `fork` starts one runtime (see launcher.ts's spawnRuntime). */
  constructor(size: number, fork: () => ChildProcess) {
    this.size = size;
    this.#fork = fork;
  }

  /** Runtimes ready now. */
  get idle(): number {
    return this.#idle.length;
  }

  /** Forks runtimes until the pool is full (ready ones plus those starting). */
  fill(): void {
    while (
      !this.#closed &&
      this.#failures < MAX_FAILURES &&
      this.#idle.length + this.#warming.size < this.size
    ) {
      this.#forkOne();
    }
  }

  /**
   * A ready runtime, or null if none is. The caller refills the pool (`fill`) once the proc is
   * under way: forking blocks procd's event loop for milliseconds, which the proc's start, still
   * in flight, would otherwise wait out.
   */
  take(): Runtime | null {
    return this.#idle.shift() ?? null;
  }

  /** Resolves once `min` runtimes (at most the pool size) are ready; rejects if the pool closes or keeps failing. */
  async waitIdle(min: number, signal?: AbortSignal): Promise<number> {
    const want = Math.min(min, this.size);
    while (this.#idle.length < want) {
      if (this.#closed || this.#failures >= MAX_FAILURES)
        throw new Error("warm pool is not running");
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#idle.length;
  }

  /** Kills every runtime not yet handed out. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle.map((r) => r.child), ...this.#warming];
    this.#idle.length = 0;
    this.#warming.clear();
    this.#wake();
    await Promise.all(all.map((c) => killAndWait(c)));
  }

  #forkOne(): void {
    const child = this.#fork();
    this.#warming.add(child);
    const channel = new LineChannel<ToProcd, FromProcd>(child.stdio[3] as Duplex);
    let ready = false;
    channel.onMessage((msg) => {
      if (msg.t !== "ready" || ready || !this.#warming.has(child)) return;
      ready = true;
      this.#failures = 0;
      this.#warming.delete(child);
      this.#idle.push({ child, channel });
      this.#wake();
    });
    child.once("exit", (code, sig) => {
      this.#warming.delete(child);
      const i = this.#idle.findIndex((r) => r.child === child);
      if (i >= 0) this.#idle.splice(i, 1);
      if (this.#closed || (ready && i < 0)) return; // closing, or it had been taken: not ours
      if (!ready) this.#failures++;
      log("warm runtime %d ended (%s) before taking a proc", child.pid, sig ?? `code ${code}`);
      this.#wake();
      this.fill();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

/** SIGKILL and wait for the exit (a runtime holds no state worth a graceful stop). */
export function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
