/**
 * The Procd RPC service's handlers (schema/services/procd.sigmap): Spawn makes the procdir and
 * the queue file in named, starts the process (a warm runtime when it can), and moves the queue
 * file to `running/`; Ps and Warm report.
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
import type { FromProcd, ToProcd } from "../../runtime/proc/channel-messages.js";
import { LineChannel } from "../../runtime/proc/line-channel.js";
import { procEnvVars } from "../../runtime/proc/proc-env.js";
import { makeProcDir } from "../../runtime/proc/proc-files.js";
import { procDirOf, queueFile, runningFile } from "../../runtime/proc/proc-paths.js";
import type { RpcContext } from "../../runtime/rpc/index.js";
import { checkModule, findExecutable } from "./find-executable.js";
import type { JsMirror } from "./js-mirror.js";
import { CHANNEL_FD, planLaunch, spawnCold, type LaunchPlan } from "./launcher.js";
import { RunningProc } from "./running-proc.js";
import type { StartLimit } from "./start-limit.js";
import type { WarmPool } from "./warm-pool.js";

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
}

const encoder = new TextEncoder();

/** procd's RPC handlers. */
export class ProcdService implements ProcdHandlers<RpcContext> {
  readonly #d: ProcdDeps;
  #closing = false;

  constructor(deps: ProcdDeps) {
    this.#d = deps;
  }

  /** Refuses further spawns (procd is stopping). */
  stopSpawning(): void {
    this.#closing = true;
  }

  /** Makes the procdir and queue file, starts the process, moves the queue file to running/. */
  async spawn(req: SpawnRequest, ctx: RpcContext): Promise<SpawnReply> {
    const t0 = performance.now();
    const spec = req.proc;
    const { kernel, fsl, procs } = this.#d;
    if (this.#closing) throw new SigmaError(ErrCode.Closed, kernel, `procd ${kernel} is stopping`);
    if (spec.pid === "" || spec.pid.includes("/") || spec.pid.startsWith(".")) {
      throw new SigmaError(ErrCode.Inval, spec.pid, `bad pid: "${spec.pid}"`);
    }
    if (procs.has(spec.pid))
      throw new SigmaError(ErrCode.Exists, spec.pid, `pid in use: ${spec.pid}`);
    const procDir = procDirOf(kernel, spec.pid);
    const queue = queueFile(kernel, spec.pid);
    const [plan] = await Promise.all([
      planLaunch(spec.program, this.#d.mirror),
      makeProcDir(fsl, procDir, true),
      fsl.putFile(queue, 0o777, Mode.OWRITE, encoder.encode(JSON.stringify(describe(spec)))),
    ]);
    const release = await this.#d.starts.acquire();
    const t1 = performance.now();
    let launched: { child: ChildProcess; channel: LineChannel<ToProcd, FromProcd>; warm: boolean };
    try {
      launched = await this.#launch(plan, spec, procDir, ctx.signal);
    } catch (e) {
      release();
      await Promise.all([fsl.rmDir(procDir), fsl.remove(queue)]).catch(() => undefined);
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
    };
    const proc = new RunningProc(fsl, rec, launched.child, launched.channel, async () => {
      procs.delete(spec.pid);
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

  /** The procs running now and the pool's ready runtimes. */
  async ps(_req: PsRequest, _ctx: RpcContext): Promise<PsReply> {
    const procs: ProcInfo[] = [...this.#d.procs.values()].map((p) => ({
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

  async #launch(
    plan: LaunchPlan,
    spec: ProcSpec,
    procDir: string,
    signal: AbortSignal,
  ): Promise<{ child: ChildProcess; channel: LineChannel<ToProcd, FromProcd>; warm: boolean }> {
    const { kernel, named, pool } = this.#d;
    const vars = {
      ...Object.fromEntries(spec.env),
      ...procEnvVars({
        named: [...named],
        pid: spec.pid,
        procDir,
        parentDir: spec.parentDir,
        kernel,
        channelFd: CHANNEL_FD,
      }),
    };
    const env = { ...process.env, ...vars };
    const cwd = spec.cwd === "" ? undefined : spec.cwd;
    if (plan.kind === "exec") await findExecutable(plan.file, env["PATH"], cwd ?? process.cwd());
    else await checkModule(plan.module, cwd ?? process.cwd());
    const warmable = plan.kind === "node" && !plan.tsx && pool !== null;
    if (warmable && spec.start !== StartMode.Cold) {
      if (spec.start === StartMode.Warm) await pool.waitIdle(1, signal);
      const rt = pool.take();
      if (rt !== null) {
        rt.channel.send({
          t: "run",
          module: plan.module,
          args: spec.args,
          env: vars,
          cwd: spec.cwd,
        });
        return { ...rt, warm: true };
      }
    } else if (spec.start === StartMode.Warm) {
      throw new SigmaError(ErrCode.Inval, spec.program, `cannot start warm: ${spec.program}`);
    }
    const child = spawnCold(plan, { args: spec.args, env, cwd, boot: this.#d.boot });
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
