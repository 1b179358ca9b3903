/**
 * ProcClnt (spec 9): spawning and waiting on procs through named and procd, and a proc's own
 * reports. Every piece of state it touches is a file in named (see proc-paths.ts), so `sigma ls`
 * shows a proc's whole life. A parent's waits fail, instead of hanging, when the procd running the
 * proc goes away: start waits race procd's registration, exit waits sit on semaphores procd made
 * ephemeral.
 */
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import { StartMode, type SpawnReply } from "../../generated/services/procd/types.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { type CallOpts, type FsLib, isErrNotfound } from "../client/index.js";
import { SemClnt } from "../coord/index.js";
import { SigmaError } from "../errors/index.js";
import { RpcClient } from "../rpc/index.js";
import { makeProc, type Proc, type StartHow } from "./proc.js";
import { makeChildEntry, markExited, markStarted, tolerateGone } from "./proc-files.js";
import {
  childEntry,
  kernelOfQueueFile,
  procDirOf,
  procdRpcPath,
  ProcFile,
  queueFile,
} from "./proc-paths.js";
import { pickProcd } from "./procd-locate.js";
import type { ProcdChannel } from "./procd-channel.js";
import { type Status, toStatus } from "../proc-channel/status.js";
import { untilRemoved } from "./until-removed.js";

/** What a spawn did: where the proc runs and procd's own timings. */
export interface Spawned extends SpawnReply {
  pid: string;
  kernel: string;
  /** The parent's part before the RPC: the child entry in named (µs). */
  entryUs: number;
  /** The RPC round trip, procd's handler included (µs). */
  rpcUs: number;
}

/** Who this ProcClnt acts for. */
export interface ProcIdentity {
  pid: string;
  /** This client's procdir: its children live in `<procDir>/children/`. */
  procDir: string;
  /** The parent's entry for this proc; empty for a client that is not a proc. */
  parentDir: string;
  /** The channel to procd, when procd started this process. */
  channel: ProcdChannel | null;
}

const START: Record<StartHow, StartMode> = {
  auto: StartMode.Auto,
  cold: StartMode.Cold,
  warm: StartMode.Warm,
};

const decoder = new TextDecoder();

/** Spawns, waits on and evicts procs; reports this proc's own start and exit. */
export class ProcClnt {
  readonly fsl: FsLib;
  readonly #self: ProcIdentity;
  readonly #procds = new Map<string, Promise<ProcdClient>>();
  readonly #gone = new Map<string, Promise<void>>();
  readonly #rpcs: RpcClient[] = [];

  /** Acts for `self` through `fsl`; SigmaClnt builds one for a proc or a plain client. */
  constructor(fsl: FsLib, self: ProcIdentity) {
    this.fsl = fsl;
    this.#self = self;
  }

  /** This proc's pid. */
  get pid(): string {
    return this.#self.pid;
  }

  /** This proc's procdir in named. */
  get procDir(): string {
    return this.#self.procDir;
  }

  /** A proc description for `program` (see {@link makeProc}). */
  makeProc(
    program: string,
    args: readonly string[] = [],
    opts?: Parameters<typeof makeProc>[2],
  ): Proc {
    return makeProc(program, args, opts);
  }

  /**
   * Spawns `p` as a child of this proc: makes `children/<pid>/` (procfile-link, start-sem), then
   * asks procd (the proc's `kernel`, else a local one) to make the procdir and start it. A failed
   * spawn leaves no entry behind. Errors: Notfound (no procd registered), Exists (pid in use), the
   * RPC's errors.
   */
  async spawn(p: Proc, opts?: CallOpts): Promise<Spawned> {
    const t0 = performance.now();
    const kernel = p.kernel ?? (await this.#pickKernel(opts));
    const entry = childEntry(this.#self.procDir, p.pid);
    await makeChildEntry(this.fsl, entry, queueFile(kernel, p.pid), opts);
    const t1 = performance.now();
    try {
      const procd = await this.#procd(kernel, opts);
      const reply = await procd.spawn(
        {
          proc: {
            pid: p.pid,
            program: p.program,
            args: p.args,
            env: new Map(Object.entries(p.env ?? {})),
            parentDir: entry,
            start: START[p.start ?? "auto"],
            cwd: p.cwd ?? "",
          },
        },
        opts,
      );
      const t2 = performance.now();
      return {
        ...reply,
        pid: p.pid,
        kernel,
        entryUs: Math.round((t1 - t0) * 1000),
        rpcUs: Math.round((t2 - t1) * 1000),
      };
    } catch (e) {
      await this.fsl.rmDir(entry).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Waits until child `pid` has started (its queue file is gone and its start-sem up). A pid this
   * proc never spawned (or already collected) fails at once with Notfound; a procd that goes away
   * first fails it with Unreachable.
   */
  async waitStart(pid: string, opts?: CallOpts): Promise<void> {
    const entry = childEntry(this.#self.procDir, pid);
    const link = await this.#procfileLink(entry, pid, opts);
    const kernel = kernelOfQueueFile(link) ?? "";
    const startSem = `${entry}/${ProcFile.startSem}`;
    await this.#unlessProcdGone(
      kernel,
      async (signal) => {
        // Files, not directories: a watch on them fires only when they go.
        await new SemClnt(this.fsl, link).down({ ...opts, signal });
        await new SemClnt(this.fsl, startSem).down({ ...opts, signal });
      },
      // procd may have gone after raising start-sem: then the start did happen.
      async () => !(await exists(this.fsl, startSem)),
    );
  }

  /**
   * Waits until child `pid` has exited and returns its status, removing the child's entry. A pid
   * this proc never spawned (or already collected) fails at once with Notfound; a procd that goes
   * away before the proc exits fails it with Unreachable.
   */
  async waitExit(pid: string, opts?: CallOpts): Promise<Status> {
    await this.waitStart(pid, opts);
    const entry = childEntry(this.#self.procDir, pid);
    const kernel = kernelOfQueueFile(await this.#procfileLink(entry, pid, opts)) ?? "";
    // exit-sem is procd's ephemeral file: it goes up on the proc's exit or with procd's session.
    await new SemClnt(this.fsl, `${entry}/${ProcFile.procDirLink}/${ProcFile.exitSem}`).down(opts);
    let status: Status;
    try {
      status = toStatus(await this.fsl.getFileJson(`${entry}/${ProcFile.exitStatus}`, opts));
    } catch (e) {
      if (!isErrNotfound(e)) throw e;
      throw procdGoneError(kernel, pid);
    }
    // Collected means gone: the status is written before the procdir is removed, so wait for that.
    const procDir = procDirOf(kernel, pid);
    await this.#unlessProcdGone(
      kernel,
      (signal) => untilRemoved(this.fsl, procDir, { ...opts, signal }),
      async () => !(await exists(this.fsl, procDir)),
    );
    await this.fsl.rmDir(entry, opts);
    return status;
  }

  /**
   * Asks child `pid` to go: raises its evict-sem. procd then stops the proc (SIGTERM) unless it
   * exits by itself, and its status is Evicted. Evicting a proc that has already exited does
   * nothing. Errors: Notfound for a pid this proc never spawned.
   */
  async evict(pid: string, opts?: CallOpts): Promise<void> {
    const entry = childEntry(this.#self.procDir, pid);
    const link = await this.#procfileLink(entry, pid, opts);
    const kernel = kernelOfQueueFile(link);
    if (kernel === null) throw new SigmaError(ErrCode.Inval, link, `not a queue file: ${link}`);
    const sem = `${procDirOf(kernel, pid)}/${ProcFile.evictSem}`;
    await tolerateGone(new SemClnt(this.fsl, sem).up(opts));
  }

  /** The pids of this proc's children that have not been collected by waitExit. */
  async children(opts?: CallOpts): Promise<string[]> {
    const stats = await this.fsl.getDir(`${this.#self.procDir}/${ProcFile.children}`, opts);
    return stats.map((st) => st.name);
  }

  /** This proc: marks it started (its parent's waitStart returns). */
  async started(opts?: CallOpts): Promise<void> {
    const { channel, procDir, parentDir } = this.#self;
    if (channel !== null) return channel.started();
    await markStarted(this.fsl, procDir, parentDir, opts);
  }

  /** This proc: reports its status (its parent's waitExit returns it) and removes its procdir. */
  async exited(status: Status, opts?: CallOpts): Promise<void> {
    const { channel, procDir, parentDir } = this.#self;
    if (channel !== null) return channel.exited(status);
    await markExited(this.fsl, procDir, parentDir, status, opts);
  }

  /** This proc: waits until its parent (or anyone) evicts it, or its procd goes away. */
  async waitEvict(opts?: CallOpts): Promise<void> {
    await new SemClnt(this.fsl, `${this.#self.procDir}/${ProcFile.evictSem}`).down(opts);
  }

  /** Closes the RPC clients to procds; the FsLib stays the caller's. */
  async close(): Promise<void> {
    await Promise.all(this.#rpcs.splice(0).map((r) => r.close()));
  }

  async #pickKernel(opts?: CallOpts): Promise<string> {
    const entry = await pickProcd(this.fsl, opts);
    if (entry === null) throw new SigmaError(ErrCode.Notfound, "procd", "no procd is registered");
    return entry.kernel;
  }

  #procd(kernel: string, opts?: CallOpts): Promise<ProcdClient> {
    let c = this.#procds.get(kernel);
    if (c === undefined) {
      c = RpcClient.connect(this.fsl, procdRpcPath(kernel), opts).then((rpc) => {
        this.#rpcs.push(rpc);
        return new ProcdClient(rpc);
      });
      // A failed connect is not remembered: the next spawn looks again.
      c.catch(() => this.#procds.delete(kernel));
      this.#procds.set(kernel, c);
    }
    return c;
  }

  async #procfileLink(entry: string, pid: string, opts?: CallOpts): Promise<string> {
    try {
      return decoder.decode(await this.fsl.getFile(`${entry}/${ProcFile.procfileLink}`, opts));
    } catch (e) {
      if (isErrNotfound(e)) throw new SigmaError(ErrCode.Notfound, pid, `unknown pid: ${pid}`);
      throw e;
    }
  }

  /**
   * Runs `work` unless procd `kernel` goes away first; then `stillOk` decides whether the work
   * had in fact finished (it may have, just before procd went).
   */
  async #unlessProcdGone(
    kernel: string,
    work: (signal: AbortSignal) => Promise<void>,
    stillOk: () => Promise<boolean>,
  ): Promise<void> {
    const ac = new AbortController();
    const GONE = Symbol("gone");
    try {
      const r = await Promise.race([work(ac.signal), this.#procdGone(kernel).then(() => GONE)]);
      if (r !== GONE) return;
    } finally {
      ac.abort();
    }
    if (!(await stillOk())) throw procdGoneError(kernel, "");
  }

  /**
   * Resolves when procd `kernel`'s registration vanishes (its session ended). One watch per
   * kernel is shared by every waiter; it is forgotten once it fires, so a later wait looks anew.
   */
  #procdGone(kernel: string): Promise<void> {
    let p = this.#gone.get(kernel);
    if (p === undefined) {
      p = watchRemoved(this.fsl, procdRpcPath(kernel)).finally(() => this.#gone.delete(kernel));
      this.#gone.set(kernel, p);
    }
    return p;
  }
}

/** Resolves once `path` is gone; never settles if watching fails otherwise (session closed). */
async function watchRemoved(fsl: FsLib, path: string): Promise<void> {
  try {
    await untilRemoved(fsl, path);
  } catch {
    // Our own session is failing: the wait itself reports that; this watch just stops.
    return new Promise<void>(() => undefined);
  }
}

async function exists(fsl: FsLib, path: string): Promise<boolean> {
  try {
    await fsl.stat(path);
    return true;
  } catch (e) {
    if (isErrNotfound(e)) return false;
    throw e;
  }
}

function procdGoneError(kernel: string, pid: string): SigmaError {
  const what = pid === "" ? "" : ` before ${pid} exited`;
  return new SigmaError(ErrCode.Unreachable, kernel, `procd ${kernel} went away${what}`);
}
