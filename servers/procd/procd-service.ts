/**
 * The Procd RPC service's handlers (schema/services/procd.sigmap): Spawn checks the request (the
 * caller, the program in the bin directory, the environment, the working directory) before it
 * makes anything, then makes the procdir and the queue file in named, starts the process (a warm
 * runtime when it can), and moves the queue file to `running/`; Ps and Warm report.
 */
import { type ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import type { ProcdHandlers } from "../../generated/services/procd/rpc-server.js";
import {
  type ProcInfo,
  type ProcSpec,
  type PsReply,
  type PsRequest,
  type SpawnReply,
  type SpawnRequest,
  StartMode,
  type WarmReply,
  type WarmRequest,
} from "../../generated/services/procd/types.js";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import {
  type FromProcd,
  LineChannel,
  procEnvVars,
  type ToProcd,
} from "../../runtime/proc-channel/index.js";
import { makeProcDir, procDirOf, queueFile, runningFile } from "../../runtime/proc/index.js";
import type { RpcContext } from "../../runtime/rpc/index.js";
import type { JsMirror } from "./js-mirror.js";
import type { BinDir } from "./bin-dir.js";
import { childEnv } from "./child-env.js";
import type { Confinement } from "./confinement.js";
import type { ProcCredentials } from "./proc-credentials.js";
import { CHANNEL_FD, planLaunch, spawnCold, type LaunchPlan } from "./launcher.js";
import { RunningProc } from "./running-proc.js";
import type { SpawnAuthorizer } from "./spawn-authorizer.js";
import type { StartLimit } from "./start-limit.js";
import type { WarmPool } from "./warm-pool.js";
import type { WorkDirs } from "./work-dirs.js";

/** What the handlers work with. */
export interface ProcdDeps {
  kernel: string;
  named: readonly string[];
  fsl: FsLib;
  mirror: JsMirror;
  pool: WarmPool | null;
  /** node-boot's runnable path. */
  boot: string;
  /** The procs running now, by pid. */
  procs: Map<string, RunningProc>;
  /** Bounds concurrent starts. */
  starts: StartLimit;
  /** The only programs procd runs. */
  bin: BinDir;
  /** Per-proc working directories. */
  work: WorkDirs;
  /** procd's passed-through variables and the rules for spawners' variables (child-env.ts). */
  env: { base: Record<string, string>; passEnv: readonly string[]; allowEnv: readonly string[] };
  confinement: Confinement;
  authorize: SpawnAuthorizer;
  /** Each proc's token and CA file. */
  credentials: ProcCredentials;
}

/** Pids name directories (in named and on disk) and appear in logs. */
const PID_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const encoder = new TextEncoder();

/** procd's RPC handlers. */
export class ProcdService implements ProcdHandlers<RpcContext> {
  readonly #d: ProcdDeps;
  readonly #starting = new Set<string>();
  #closing = false;

  constructor(deps: ProcdDeps) {
    this.#d = deps;
  }

  /** Refuses further spawns (procd is stopping). */
  stopSpawning(): void {
    this.#closing = true;
  }

  /**
   * Checks the spawn, makes the procdir, queue file and working directory, starts the process and
   * moves the queue file to running/. A refused spawn (Inval, Notfound, Perm: see bin-dir.ts,
   * child-env.ts, work-dirs.ts) creates nothing.
   */
  async spawn(req: SpawnRequest, ctx: RpcContext): Promise<SpawnReply> {
    const t0 = performance.now();
    const spec = req.proc;
    const { kernel, procs } = this.#d;
    if (this.#closing) throw new SigmaError(ErrCode.Closed, kernel, `procd ${kernel} is stopping`);
    if (!PID_RE.test(spec.pid)) {
      throw new SigmaError(ErrCode.Inval, spec.pid, `bad pid: "${spec.pid}"`);
    }
    if (procs.has(spec.pid) || this.#starting.has(spec.pid))
      throw new SigmaError(ErrCode.Exists, spec.pid, `pid in use: ${spec.pid}`);
    // Held until the proc is in `procs` or the spawn failed, so two spawns of one pid cannot both
    // get past the check and clean up each other's files.
    this.#starting.add(spec.pid);
    try {
      return await this.#spawn(spec, ctx, t0);
    } finally {
      this.#starting.delete(spec.pid);
    }
  }

  async #spawn(spec: ProcSpec, ctx: RpcContext, t0: number): Promise<SpawnReply> {
    const { kernel, fsl, procs, work } = this.#d;
    await this.#d.authorize({ principal: ctx.principal, session: ctx.session }, spec);
    const program = await this.#d.bin.resolve(spec.program);
    work.checkCwd(spec.cwd);
    const procDir = procDirOf(kernel, spec.pid);
    // Checked now, built again once the working directory exists: a refusal must come first.
    this.#env(spec, procDir, "", null);
    const queue = queueFile(kernel, spec.pid);
    const setup = await Promise.allSettled([
      planLaunch(program, this.#d.mirror),
      work.make(spec.pid, spec.cwd),
      makeProcDir(fsl, procDir, true),
      fsl.putFile(queue, 0o777, Mode.OWRITE, encoder.encode(JSON.stringify(describe(spec)))),
    ]);
    const failed = setup.find((r) => r.status === "rejected");
    if (failed !== undefined) {
      await Promise.all([fsl.rmDir(procDir), fsl.remove(queue), work.remove(spec.pid)]).catch(
        () => undefined,
      );
      throw failed.reason;
    }
    const plan = (setup[0] as PromiseFulfilledResult<LaunchPlan>).value;
    const dirs = (setup[1] as PromiseFulfilledResult<{ dir: string; cwd: string }>).value;
    const release = await this.#d.starts.acquire();
    const t1 = performance.now();
    let launched: { child: ChildProcess; channel: LineChannel<ToProcd, FromProcd>; warm: boolean };
    try {
      const env = this.#env(spec, procDir, dirs.dir, this.#d.credentials.tokenFor(ctx.principal));
      launched = await this.#launch(plan, spec, env, dirs.cwd, ctx.signal);
    } catch (e) {
      release();
      await Promise.all([fsl.rmDir(procDir), fsl.remove(queue), work.remove(spec.pid)]).catch(
        () => undefined,
      );
      throw e;
    }
    const t2 = performance.now();
    const rec = {
      pid: spec.pid,
      program: spec.program,
      args: spec.args,
      procDir,
      parentDir: spec.parentDir,
      warm: launched.warm,
      spawnedAt: Date.now(),
      spawner: ctx.principal?.user ?? null,
    };
    this.#d.credentials.renewOver(launched.channel, ctx.principal);
    const proc = new RunningProc(fsl, rec, launched.child, launched.channel, async () => {
      procs.delete(spec.pid);
      // The running file goes last: once it is gone, nothing of the proc is left.
      await work.remove(spec.pid).catch(() => undefined);
      await fsl.remove(runningFile(kernel, spec.pid)).catch(() => undefined);
    });
    procs.set(spec.pid, proc);
    void proc.startedOrEnded.then(() => {
      release();
      if (launched.warm) this.#d.pool?.fill();
    });
    // The queue file "goes away" (spec 9) by becoming the running file. Not awaited: a parent's
    // waitStart waits for it anyway, and the proc is still booting.
    void fsl.rename(queue, runningFile(kernel, spec.pid)).catch(() => undefined);
    const t3 = performance.now();
    return {
      osPid: launched.child.pid ?? 0,
      procDir,
      warm: launched.warm,
      setupUs: us(t1 - t0),
      launchUs: us(t2 - t1),
      handlerUs: us(t3 - t0),
    };
  }

  /**
   * The procs running now and the pool's ready runtimes. A principal other than an admin sees
   * only the procs it spawned; open mode (no principal) sees all.
   */
  async ps(_req: PsRequest, ctx: RpcContext): Promise<PsReply> {
    const who = ctx.principal;
    const visible = [...this.#d.procs.values()].filter(
      (p) => who === null || who.role === "admin" || p.rec.spawner === who.user,
    );
    const procs: ProcInfo[] = visible.map((p) => ({
      pid: p.rec.pid,
      program: p.rec.program,
      args: p.rec.args,
      osPid: p.child.pid ?? 0,
      warm: p.rec.warm,
      state: p.state,
      spawnedAt: BigInt(p.rec.spawnedAt),
      parentDir: p.rec.parentDir,
    }));
    return { kernel: this.#d.kernel, procs, warmIdle: this.#d.pool?.idle ?? 0 };
  }

  /** Waits until the pool holds `min` ready runtimes (NotSupported without a pool). */
  async warm(req: WarmRequest, ctx: RpcContext): Promise<WarmReply> {
    const pool = this.#d.pool;
    if (pool === null)
      throw new SigmaError(ErrCode.NotSupported, this.#d.kernel, "procd has no warm pool");
    return { warmIdle: await pool.waitIdle(req.min, ctx.signal) };
  }

  /** The proc's environment (child-env.ts); refuses a spawner's variable with Inval. */
  #env(
    spec: ProcSpec,
    procDir: string,
    workDir: string,
    token: string | null,
  ): Record<string, string> {
    const { kernel, named } = this.#d;
    return childEnv({
      ...this.#d.env,
      caller: spec.env,
      workDir,
      protocol: procEnvVars({
        named: [...named],
        pid: spec.pid,
        procDir,
        parentDir: spec.parentDir,
        kernel,
        channelFd: CHANNEL_FD,
      }),
      token,
      tlsCaFile: this.#d.credentials.caFile,
    });
  }

  async #launch(
    plan: LaunchPlan,
    spec: ProcSpec,
    env: Record<string, string>,
    cwd: string,
    signal: AbortSignal,
  ): Promise<{ child: ChildProcess; channel: LineChannel<ToProcd, FromProcd>; warm: boolean }> {
    const { pool } = this.#d;
    const warmable = plan.kind === "node" && !plan.tsx && pool !== null;
    if (warmable && spec.start !== StartMode.Cold) {
      if (spec.start === StartMode.Warm) await pool.waitIdle(1, signal);
      const rt = pool.take();
      if (rt !== null) {
        rt.channel.send({ t: "run", module: plan.module, args: spec.args, env, cwd });
        return { ...rt, warm: true };
      }
    } else if (spec.start === StartMode.Warm) {
      throw new SigmaError(ErrCode.Inval, spec.program, `cannot start warm: ${spec.program}`);
    }
    const child = spawnCold(plan, {
      args: spec.args,
      env,
      cwd,
      boot: this.#d.boot,
      confinement: this.#d.confinement,
    });
    if (child.pid === undefined) {
      const err = await new Promise<Error>((r) => child.once("error", r));
      throw new SigmaError(
        ErrCode.Notfound,
        spec.program,
        `cannot start ${spec.program}: ${err.message}`,
      );
    }
    child.on("error", () => undefined); // reported through its exit
    return { child, channel: new LineChannel(child.stdio[CHANNEL_FD] as Duplex), warm: false };
  }
}

function describe(spec: ProcSpec): Record<string, unknown> {
  return { pid: spec.pid, program: spec.program, args: spec.args, parentDir: spec.parentDir };
}

function us(ms: number): number {
  return Math.max(0, Math.round(ms * 1000));
}
