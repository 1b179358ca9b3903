/**
 * procd: one per machine. It registers at `name/schedd/<kernel>/rpc` in named, serves the Procd
 * RPC service, starts each proc as an OS process (a warm runtime when one is ready), and answers
 * for it in named until it ends. Its registration and every proc's semaphores are ephemeral files
 * of its own session, so if procd dies, waiters learn it from named instead of hanging.
 *
 * It runs only programs of its bin directory, with an environment built from an allow-list, in a
 * working directory of the proc's own, with the least privilege it can give (docs/procs.md,
 * "Confinement").
 */
import type { KeyRing } from "../../runtime/auth/index.js";
import { randomBytes, type KeyObject } from "node:crypto";
import { cpus } from "node:os";
import { procdService } from "../../generated/services/procd/rpc-server.js";
import { FsLib, type FsLibOptions, isErrExists } from "../../runtime/client/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { kernelDir, procdRpcPath } from "../../runtime/proc/index.js";
import { checkExposure } from "../../runtime/net/exposure.js";
import { startRpcServer } from "../../runtime/rpc/index.js";
import { BinDir } from "./bin-dir.js";
import { DEFAULT_PASS_ENV, passedEnv } from "./child-env.js";
import { Confinement, DEFAULT_LIMITS, type ProcLimits, type ProcUser } from "./confinement.js";
import { JsMirror } from "./js-mirror.js";
import { CHANNEL_FD, spawnRuntime } from "./launcher.js";
import { ProcdService } from "./procd-service.js";
import type { RunningProc } from "./running-proc.js";
import { allowUsers, type SpawnAuthorizer } from "./spawn-authorizer.js";
import { StartLimit } from "./start-limit.js";
import { ProcCredentials } from "./proc-credentials.js";
import { WarmPool } from "./warm-pool.js";
import { WorkDirs } from "./work-dirs.js";
import type { TlsServerOptions } from "../../runtime/session/server/server-types.js";

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
  /** Serve procd's RPCs over TLS; its client of named takes its own `client.tls`. */
  tls?: TlsServerOptions;
  /** The directory of the programs procd may run (bin-dir.ts); spawns name files relative to it. */
  binDir: string;
  /**
   * Where each proc's working directory `<workDir>/<pid>` is made; it must be procd's and not
   * writable by others. Default a fresh temp directory, removed at close.
   */
  workDir?: string;
  /**
   * Whom procs run as. Required when procd runs as root (`{ uid: 0, gid: 0 }` to keep root);
   * otherwise procs run as procd's user and this may only name that user.
   */
  procUser?: ProcUser;
  /** Resource limits of every proc. Default `{ core: 0, nofile: 1024 }`. */
  limits?: ProcLimits;
  /** Variables of procd's environment that procs get (exact names or `PREFIX*`). Default PATH, LANG, LANGUAGE, LC_*, TZ. */
  passEnv?: readonly string[];
  /** Variables a spawner may set (exact names or `PREFIX*`). Default none. */
  allowEnv?: readonly string[];
  /** Decides who may spawn (spawn-authorizer.ts). Default: everyone, until phase 2 of issue 15. */
  authorizeSpawn?: SpawnAuthorizer;
  /**
   * Public keys: every hello to procd's RPC server must carry a token of procd's realm (its
   * FsLib's, default rootrealm). Default none (open). procd's own FsLib carries `client.token`.
   */
  authKeys?: KeyRing;
  /**
   * procd's own Ed25519 private key: each proc gets a token of its spawner's user, realm and role
   * signed by it (SIGMA_TOKEN), valid for `procTokenTtlMs` (default 1 h). The realm's servers
   * must accept its public key. Default none: procs get no token.
   */
  procTokenKey?: KeyObject;
  procTokenTtlMs?: number;
  /** The CA file (PEM) procs trust for TLS, passed as SIGMA_TLS_CA; readable by the proc user. */
  procTlsCaFile?: string;
  /**
   * Serve a non-loopback `host` without `authKeys`, or with keys but without `tls`. Default
   * false: startup fails with Inval saying why (docs/security.md, "Defaults").
   */
  insecure?: boolean;
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

const DEFAULTS = {
  warmPool: 2,
  host: DEFAULT_HOST,
  port: 0,
  maxStarting: 2 * cpus().length,
  limits: DEFAULT_LIMITS,
  passEnv: DEFAULT_PASS_ENV,
  allowEnv: [] as readonly string[],
  authorizeSpawn: allowUsers,
};

/** Starts procd and resolves once it is registered and its pool is filling. */
export async function startProcd(opts: ProcdOptions): Promise<Procd> {
  const o = withDefaults(DEFAULTS, opts);
  const kernel = o.kernel ?? `kernel-${randomBytes(4).toString("hex")}`;
  const named = typeof o.named === "string" ? [o.named] : [...o.named];
  // Refusals of the configuration come before anything is started.
  checkExposure({
    what: "procd",
    host: o.host,
    secured: o.authKeys !== undefined,
    tls: o.tls !== undefined,
    insecure: o.insecure === true,
  });
  const confinement = Confinement.create(o.procUser, o.limits);
  const credentials = new ProcCredentials({
    key: o.procTokenKey,
    ttlMs: o.procTokenTtlMs,
    caFile: o.procTlsCaFile,
  });
  const bin = await BinDir.open(o.binDir);
  const work = await WorkDirs.open(o.workDir, confinement.user);
  const mirror = new JsMirror();
  const boot = await mirror.projectModule("runtime/proc/node-boot.ts");
  let fsl: FsLib;
  try {
    // With a token the uname is the token's user (a server checking tokens refuses any other).
    const uname = o.client?.token === undefined ? { uname: `procd-${kernel}` } : {};
    fsl = await FsLib.connect({ ...uname, ...o.client, named });
  } catch (e) {
    await work.close();
    throw e;
  }
  const procs = new Map<string, RunningProc>();
  const base = passedEnv(process.env, o.passEnv);
  // A runtime waits in the work root, with nothing of procd's environment but the allow-list.
  const runtimeEnv = {
    ...base,
    HOME: work.root,
    TMPDIR: work.root,
    SIGMA_PROCD_FD: String(CHANNEL_FD),
  };
  const pool =
    o.warmPool > 0
      ? new WarmPool(o.warmPool, () => spawnRuntime(boot, runtimeEnv, work.root, confinement))
      : null;
  const starts = new StartLimit(o.maxStarting);
  const service = new ProcdService({
    kernel,
    named,
    fsl,
    mirror,
    pool,
    boot,
    procs,
    starts,
    bin,
    work,
    env: { base, passEnv: o.passEnv, allowEnv: o.allowEnv },
    confinement,
    authorize: o.authorizeSpawn,
    credentials,
  });
  log("procd %s: programs from %s; %s", kernel, bin.root, confinement.describe());
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
      tls: o.tls,
      name: "procd",
      insecure: o.insecure,
      ...(o.authKeys === undefined ? {} : { auth: { keys: o.authKeys, realm: fsl.realm } }),
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
          await work.close();
        })()),
    };
  } catch (e) {
    await pool?.close();
    await fsl.close().catch(() => undefined);
    await work.close();
    throw e;
  }
}
