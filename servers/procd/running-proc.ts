/**
 * One proc as procd sees it: its OS process, its channel, and the file protocol steps procd
 * takes for it. procd is the only writer of a proc's lifecycle files while it runs: it performs
 * `started` and `exited` when the proc reports them, and when the process ends without a report
 * it marks the start (so waiters wake) and writes an exit status from the exit code or signal.
 * Steps of one proc run one after another, so a report and the process's end never interleave.
 */
import type { ChildProcess } from "node:child_process";
import type { FsLib } from "../../runtime/client/index.js";
import { SemClnt } from "../../runtime/coord/index.js";
import {
  type FromProcd,
  type LineChannel,
  type Status,
  statusErr,
  statusEvicted,
  statusOk,
  type ToProcd,
  toStatus,
} from "../../runtime/proc-channel/index.js";
import { markExited, markStarted, ProcFile } from "../../runtime/proc/index.js";
import { logger } from "../../runtime/log.js";
import { signalProc } from "./confinement.js";

const log = logger("procd");

/** How long an evicted proc has between SIGTERM and SIGKILL. */
const EVICT_KILL_MS = 2000;
/** How long procd waits, after a process ends, for the last reports still in its channel. */
const CHANNEL_DRAIN_MS = 200;

/** The proc's phase, as `ps` shows it. */
export type ProcState = "starting" | "running" | "exiting";

/** What procd knows about one proc. */
export interface ProcRecord {
  pid: string;
  program: string;
  args: string[];
  procDir: string;
  parentDir: string;
  warm: boolean;
  spawnedAt: number;
  /** The spawner's user; null on an open procd. Ps shows a non-admin only its own procs. */
  spawner: string | null;
}

/** A running proc and its lifecycle in named. */
export class RunningProc {
  readonly rec: ProcRecord;
  readonly child: ChildProcess;
  /** Resolves once the process has ended and its exit has been recorded in named. */
  readonly done: Promise<void>;
  /** Resolves once the proc's start is marked in named or its process has ended. */
  readonly startedOrEnded: Promise<void>;
  #onStarted: () => void = () => undefined;
  #state: ProcState = "starting";
  #fsl: FsLib;
  #steps: Promise<void> = Promise.resolve();
  #startMarked = false;
  #reported = false;
  #evicted = false;

  constructor(
    fsl: FsLib,
    rec: ProcRecord,
    child: ChildProcess,
    channel: LineChannel<ToProcd, FromProcd>,
    onDone: () => Promise<void>,
  ) {
    this.#fsl = fsl;
    this.rec = rec;
    this.child = child;
    channel.onMessage((msg) => this.#onMessage(channel, msg));
    this.startedOrEnded = new Promise<void>((resolve) => {
      this.#onStarted = resolve;
      child.once("exit", () => resolve());
    });
    this.done = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        // What the proc started in its group ends with it (confinement.ts).
        signalProc(child.pid, "SIGKILL");
        // The last reports may still be in the pipe: let the channel drain (it closes when the
        // process's end of it does) before deciding the process never reported.
        const drained = new Promise<void>((r) => channel.onClose(r));
        const grace = new Promise<void>((r) => setTimeout(r, CHANNEL_DRAIN_MS).unref());
        void Promise.race([drained, grace])
          .then(() => this.#step(() => this.#onProcessEnd(code, signal)))
          .then(onDone)
          .finally(() => resolve());
      });
    });
    void this.#watchEvict();
  }

  /** `starting`, `running` or `exiting`. */
  get state(): ProcState {
    return this.#state;
  }

  /** Stops the proc and its process group: SIGTERM, then SIGKILL if it lingers. */
  kill(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    signalProc(this.child.pid, "SIGTERM");
    setTimeout(() => signalProc(this.child.pid, "SIGKILL"), EVICT_KILL_MS).unref();
  }

  #onMessage(channel: LineChannel<ToProcd, FromProcd>, msg: ToProcd): void {
    const ack = (id: number | undefined, p: Promise<void>): void => {
      void p.then(
        () => id !== undefined && channel.send({ t: "ack", id }),
        (e: unknown) => {
          log("proc %s: %s failed: %s", this.rec.pid, msg.t, String(e));
          if (id !== undefined) channel.send({ t: "ack", id, error: String(e) });
        },
      );
    };
    if (msg.t === "started")
      ack(
        msg.id,
        this.#step(() => this.#markStarted()),
      );
    else if (msg.t === "exited") {
      this.#reported = true;
      ack(
        msg.id,
        this.#step(() => this.#finish(toStatus(msg.status))),
      );
    }
  }

  #step(fn: () => Promise<void>): Promise<void> {
    const p = this.#steps.then(fn);
    this.#steps = p.catch(() => undefined);
    return p;
  }

  async #markStarted(): Promise<void> {
    if (this.#startMarked) return;
    this.#startMarked = true;
    this.#state = "running";
    try {
      await markStarted(this.#fsl, this.rec.procDir, this.rec.parentDir);
    } finally {
      this.#onStarted();
    }
  }

  async #finish(status: Status): Promise<void> {
    if (this.#state === "exiting") return;
    await this.#markStarted();
    this.#state = "exiting";
    await markExited(this.#fsl, this.rec.procDir, this.rec.parentDir, status);
  }

  async #onProcessEnd(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.#reported) return;
    const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
    const data = { code, signal };
    let status: Status;
    if (this.#evicted) status = statusEvicted(`evicted (${how})`, data);
    else if (code === 0) status = statusOk(how, data);
    else status = statusErr(`${how} without reporting its exit`, data);
    await this.#finish(status);
  }

  /** Waits on the proc's evict-sem; when someone raises it, the proc is stopped. */
  async #watchEvict(): Promise<void> {
    try {
      await new SemClnt(this.#fsl, `${this.rec.procDir}/${ProcFile.evictSem}`).down();
    } catch {
      return; // procd's own session is ending
    }
    // The procdir going away with the proc's exit also raises it: that is no eviction.
    if (this.#state === "exiting" || this.#reported) return;
    this.#evicted = true;
    log("proc %s evicted", this.rec.pid);
    this.kill();
  }
}
