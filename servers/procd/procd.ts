/**
 * procd: one per machine. It registers at `name/schedd/<kernel>/rpc` in named, serves the Procd
 * RPC service, starts each proc as an OS process (a warm runtime when one is ready), and answers
 * for it in named until it ends. Its registration and every proc's semaphores are ephemeral files
 * of its own session, so if procd dies, waiters learn it from named instead of hanging.
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { procdService } from "../../generated/services/procd/rpc-server.js";
import { FsLib, type FsLibOptions, isErrExists } from "../../runtime/client/index.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { kernelDir, procdRpcPath } from "../../runtime/proc/proc-paths.js";
import { startRpcServer } from "../../runtime/rpc/index.js";
import { JsMirror } from "./js-mirror.js";
import { CHANNEL_FD, spawnRuntime } from "./launcher.js";
import { ProcdService } from "./procd-service.js";
import type { RunningProc } from "./running-proc.js";
import { StartLimit } from "./start-limit.js";
import { WarmPool } from "./warm-pool.js";

const log = logger("procd");

/** procd's settings. */
export interface ProcdOptions {
  /** named's address(es). */
  named: string | readonly string[];
  /** This procd's id in named; default `kernel-<8 hex digits>`. */
  kernel?: string;
  /** Pre-forked Node runtimes kept ready; 0 turns warm starts off. Default 2. */
  warmPool?: number;
  /** Procs that may be starting at once; more spawns wait in the queue. Default 2 per CPU. */
  maxStarting?: number;
  /** Address to serve RPCs on. Default 127.0.0.1, any free port. */
  host?: string;
  port?: number;
  /** The session timeout of procd's own server. Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** Settings of procd's client of named (its session timeout bounds how soon waiters learn procd died). */
  client?: Omit<FsLibOptions, "named">;
}

/** A running procd. */
export interface Procd {
  readonly kernel: string;
  /** Its RPC server's `host:port`. */
  readonly addr: string;
  /** Ready runtimes in the pool now. */
  warmIdle(): number;
  /** Stops every proc (SIGTERM, their exit statuses recorded), the pool, and the server. */
  close(): Promise<void>;
}

const DEFAULTS = { warmPool: 2, host: "127.0.0.1", port: 0, maxStarting: 2 * cpus().length };

/** Starts procd and resolves once it is registered and its pool is filling. */
export async function startProcd(opts: ProcdOptions): Promise<Procd> {
  const o = withDefaults(DEFAULTS, opts);
  const kernel = o.kernel ?? `kernel-${randomBytes(4).toString("hex")}`;
  const named = typeof o.named === "string" ? [o.named] : [...o.named];
  const mirror = new JsMirror();
  const boot = await mirror.projectModule("runtime/proc/node-boot.ts");
  const fsl = await FsLib.connect({ uname: `procd-${kernel}`, ...o.client, named });
  const procs = new Map<string, RunningProc>();
  const runtimeEnv = { ...process.env, SIGMA_PROCD_FD: String(CHANNEL_FD) };
  const pool =
    o.warmPool > 0 ? new WarmPool(o.warmPool, () => spawnRuntime(boot, runtimeEnv)) : null;
  const starts = new StartLimit(o.maxStarting);
  const service = new ProcdService({ kernel, named, fsl, mirror, pool, boot, procs, starts });
  try {
    for (const d of ["", "/queue", "/running", "/pids"]) {
      await fsl.mkDir(`${kernelDir(kernel)}${d}`).catch((e: unknown) => {
        if (!isErrExists(e)) throw e;
      });
    }
    pool?.fill();
    const server = await startRpcServer({
      service: procdService(service),
      path: procdRpcPath(kernel),
      fsl,
      host: o.host,
      port: o.port,
      sessionTimeoutMs: o.sessionTimeoutMs,
    });
    log("procd %s serving on %s", kernel, server.addr);
    let closing: Promise<void> | null = null;
    return {
      kernel,
      addr: server.addr,
      warmIdle: () => pool?.idle ?? 0,
      close: () =>
        (closing ??= (async () => {
          service.stopSpawning();
          const running = [...procs.values()];
          for (const p of running) p.kill();
          await Promise.all([pool?.close(), ...running.map((p) => p.done)]);
          await server.close();
          await fsl.close().catch(() => undefined);
        })()),
    };
  } catch (e) {
    await pool?.close();
    await fsl.close().catch(() => undefined);
    throw e;
  }
}
