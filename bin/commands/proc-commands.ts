/**
 * `sigma procd` runs a proc daemon in the foreground; `sigma spawn PROGRAM ARGS…` spawns a proc,
 * waits for it and prints its exit status; `sigma ps` lists the procs every procd runs.
 */
import type { KeyObject } from "node:crypto";
import type { Command } from "commander";
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import {
  listProcds,
  makeProc,
  procdRpcPath,
  SigmaClnt,
  type StartHow,
  StatusCode,
  statusName,
} from "../../runtime/proc/index.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { startProcd, type ProcLimits, type ProcUser } from "../../servers/procd/index.js";
import { CliError, withPath } from "./cli-errors.js";
import type { Out } from "./cli-io.js";
import {
  clientTls,
  connectNamed,
  namedAddrs,
  serverTls,
  type ConnectFlags,
  type ServerTlsFlags,
} from "./connect.js";
import { clientToken, loadServerKeys, type ServerAuthFlags } from "./auth-flags.js";
import { exposure } from "./exposure-warning.js";
import { stopSignal } from "./stop-signal.js";
import { EXIT } from "./exit-codes.js";
import { toJson } from "./json-out.js";
import { printable } from "./printable.js";

interface ProcdFlags extends ConnectFlags, ServerTlsFlags, ServerAuthFlags {
  kernel?: string;
  warm: string;
  host: string;
  port: string;
  sessionTimeout?: string;
  binDir: string;
  workDir?: string;
  procUser?: string;
  limits?: string;
  passEnv?: string;
  allowEnv?: string;
  procTokenKey?: string;
  procTokenTtl?: string;
}

interface SpawnFlags extends ConnectFlags {
  json?: boolean;
  start: string;
  kernel?: string;
}

/** Registers `sigma procd`, `sigma spawn` and `sigma ps`. */
export function registerProcCommands(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("procd")
    .description("run a proc daemon in the foreground, registered in named")
    .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
    .option("--kernel <id>", "this procd's id in named (default: random)")
    .option("--warm <n>", "pre-forked Node runtimes to keep ready", "2")
    .option("--host <host>", "address to serve RPCs on", DEFAULT_HOST)
    .option("--port <port>", "port (0: any free port)", "0")
    .option("--session-timeout <ms>", "session timeout with named and of procd's own server")
    .option(
      "--tls-ca <file>",
      "reach named over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA",
    )
    .option("--tls-cert <file>", "serve RPCs over TLS with this certificate (PEM; with --tls-key)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--tls-client-ca <file>", "mutual TLS: require client certificates this CA signed")
    .requiredOption("--bin-dir <dir>", "the only programs procd runs: files in this directory")
    .option("--work-dir <dir>", "where each proc's working directory is made (default: a temp dir)")
    .option("--proc-user <uid:gid>", "whom procs run as (required when procd runs as root)")
    .option(
      "--limits <list>",
      "proc resource limits, e.g. core=0,nofile=1024,nproc=512,as=8589934592,cpu=3600",
    )
    .option(
      "--pass-env <names>",
      "variables of procd's environment procs get (default PATH,LANG,LANGUAGE,LC_*,TZ)",
    )
    .option("--allow-env <names>", "variables a spawner may set, e.g. APP_*,FOO (default none)")
    .option("--token <token>", "procd's token for named (sigma token issue); default $SIGMA_TOKEN")
    .option(
      "--auth-keys <files>",
      "public key files (comma-separated): require a token in every hello",
    )
    .option("--insecure", "serve a non-loopback address without authentication")
    .option(
      "--proc-token-key <file>",
      "procd's private key: each proc gets a token of its spawner's user (named must accept its .pub)",
    )
    .option("--proc-token-ttl <duration>", "lifetime of a proc's token, e.g. 30m (default 1h)")
    .action(async (o: ProcdFlags) => setExit(await runProcd(o, io)));

  program
    .command("spawn")
    .description("spawn PROGRAM as a proc, wait for it and print its exit status")
    .argument("<program>", "a program in procd's bin directory (.js/.mjs/.ts/.mts run on Node)")
    .argument("[args...]", "its arguments (put -- before them if they start with -)")
    .option("--named <addrs>", "named's address(es); default $SIGMA_NAMED")
    .option("--token <token>", "token to present (sigma token issue); default $SIGMA_TOKEN")
    .option("--tls-ca <file>", "dial over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
    .option("--start <how>", "auto, cold or warm", "auto")
    .option("--kernel <id>", "the procd to run it on (default: a local one)")
    .option("--json", 'print {"pid","status"}')
    .action(async (prog: string, args: string[], o: SpawnFlags) =>
      setExit(await runSpawn(prog, args, o, io)),
    );

  program
    .command("ps")
    .description("list the procs every procd runs")
    .option("--named <addrs>", "named's address(es); default $SIGMA_NAMED")
    .option("--token <token>", "token to present (sigma token issue); default $SIGMA_TOKEN")
    .option("--tls-ca <file>", "dial over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
    .option("--json", "as a JSON array")
    .action(async (o: ConnectFlags & { json?: boolean }) => setExit(await runPs(o, io)));
}

async function runProcd(o: ProcdFlags, io: Out): Promise<number> {
  const named = namedAddrs(o);
  const timeout = o.sessionTimeout === undefined ? undefined : Number(o.sessionTimeout);
  let procUser: ProcUser | undefined;
  let limits: ProcLimits | undefined;
  try {
    procUser = o.procUser === undefined ? undefined : parseProcUser(o.procUser);
    limits = o.limits === undefined ? undefined : parseLimits(o.limits);
  } catch (e) {
    io.err(`sigma: ${errorText(e)}\n`);
    return 64;
  }
  const clientTlsOpts = clientTls(o);
  const authKeys = await loadServerKeys(o);
  const procdTls = serverTls(o);
  const exposed = exposure(
    "procd",
    o.host,
    authKeys !== undefined,
    o.insecure === true,
    procdTls !== undefined,
  );
  if (exposed !== null && "refuse" in exposed) {
    io.err(exposed.refuse + "\n");
    return 64;
  }
  const token = clientToken(o);
  const procTokens = await procTokenOptions(o);
  // Procs trust the CA procd trusts: the same file, passed as SIGMA_TLS_CA.
  const caFile = o.tlsCa ?? (process.env["SIGMA_TLS_CA"] || undefined);
  const procd = await startProcd({
    ...procTokens,
    ...(caFile === undefined ? {} : { procTlsCaFile: caFile }),
    named,
    kernel: o.kernel,
    warmPool: Number(o.warm),
    host: o.host,
    port: Number(o.port),
    sessionTimeoutMs: timeout,
    client: {
      ...(timeout === undefined ? {} : { sessionTimeoutMs: timeout }),
      ...(clientTlsOpts === undefined ? {} : { tls: clientTlsOpts }),
      ...(token === undefined ? {} : { token }),
    },
    tls: procdTls,
    authKeys,
    // The exposure rule was applied above; procd applies the same one.
    insecure: o.insecure === true,
    binDir: o.binDir,
    workDir: o.workDir,
    procUser,
    limits,
    passEnv: names(o.passEnv),
    allowEnv: names(o.allowEnv),
  });
  const stopped = stopSignal();
  io.out(`procd ${procd.kernel} serving on ${procd.addr}\n`);
  if (exposed !== null) io.err(exposed.warn + "\n");
  const signal = await stopped;
  await procd.close();
  io.out(`procd ${procd.kernel} stopped (${signal})\n`);
  return 0;
}

/** `--proc-token-key` and `--proc-token-ttl`; a bad key file or duration is a usage error. */
async function procTokenOptions(
  o: ProcdFlags,
): Promise<{ procTokenKey?: KeyObject; procTokenTtlMs?: number }> {
  if (o.procTokenKey === undefined) {
    if (o.procTokenTtl !== undefined) {
      throw new CliError("--proc-token-ttl needs --proc-token-key", EXIT.usage);
    }
    return {};
  }
  try {
    const { parseDuration, readSigningKey } = await import("../../runtime/auth/index.js");
    const key = await readSigningKey(o.procTokenKey);
    const ttl =
      o.procTokenTtl === undefined ? {} : { procTokenTtlMs: parseDuration(o.procTokenTtl) };
    return { procTokenKey: key, ...ttl };
  } catch (e) {
    throw new CliError(`--proc-token-key: ${errorText(e)}`, EXIT.usage);
  }
}

async function runSpawn(prog: string, args: string[], o: SpawnFlags, io: Out): Promise<number> {
  if (!["auto", "cold", "warm"].includes(o.start)) {
    throw new CliError(`--start ${o.start}: expected auto, cold or warm`, EXIT.usage);
  }
  const sc = await SigmaClnt.withFsLib(await connectNamed(o));
  try {
    const p = makeProc(prog, args, { start: o.start as StartHow, kernel: o.kernel });
    await withPath(prog, () => sc.procClnt.spawn(p));
    const status = await sc.procClnt.waitExit(p.pid);
    if (o.json) {
      io.out(toJson({ pid: p.pid, status: { ...status, name: statusName(status.code) } }) + "\n");
    } else {
      const data = status.data === undefined ? "" : ` ${JSON.stringify(status.data)}`;
      io.out(printable(`${p.pid}: ${statusName(status.code)}: ${status.message}${data}`) + "\n");
    }
    return status.code === StatusCode.OK ? 0 : 1;
  } finally {
    await sc.close();
  }
}

async function runPs(o: ConnectFlags & { json?: boolean }, io: Out): Promise<number> {
  const fsl = await connectNamed(o);
  try {
    const procs: ProcRow[] = [];
    for (const { kernel } of await listProcds(fsl)) {
      const rpc = await RpcClient.connect(fsl, procdRpcPath(kernel));
      try {
        const ps = await new ProcdClient(rpc).ps({});
        for (const p of ps.procs) {
          procs.push({
            kernel,
            pid: p.pid,
            osPid: p.osPid,
            state: p.state,
            warm: p.warm,
            program: p.program,
            args: p.args,
          });
        }
      } finally {
        await rpc.close();
      }
    }
    if (o.json) {
      io.out(toJson(procs) + "\n");
      return 0;
    }
    const rows = [["KERNEL", "PID", "OSPID", "STATE", "START", "PROGRAM"]];
    for (const p of procs) {
      const cmd = printable([p.program, ...p.args].join(" "));
      rows.push([p.kernel, p.pid, String(p.osPid), p.state, p.warm ? "warm" : "cold", cmd]);
    }
    io.out(table(rows));
    return 0;
  } finally {
    await fsl.close().catch(() => undefined);
  }
}

interface ProcRow {
  kernel: string;
  pid: string;
  osPid: number;
  state: string;
  warm: boolean;
  program: string;
  args: string[];
}

/** `UID:GID`, both numeric. */
function parseProcUser(text: string): ProcUser {
  const m = /^(\d+):(\d+)$/.exec(text);
  if (m === null) throw new Error(`--proc-user ${text}: expected UID:GID, numeric (id -u nobody)`);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

const LIMIT_NAMES = ["core", "nofile", "nproc", "as", "cpu"] as const;

/** `name=value,…` over the names of ProcLimits. */
function parseLimits(text: string): ProcLimits {
  const out: ProcLimits = {};
  for (const item of text.split(",")) {
    const m = /^([a-z]+)=(\d+)$/.exec(item.trim());
    const name = m?.[1] as (typeof LIMIT_NAMES)[number] | undefined;
    if (m === null || name === undefined || !LIMIT_NAMES.includes(name)) {
      throw new Error(
        `--limits ${item}: expected NAME=NUMBER, NAME one of ${LIMIT_NAMES.join(", ")}`,
      );
    }
    out[name] = Number(m[2]);
  }
  return out;
}

function names(list: string | undefined): string[] | undefined {
  return list
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n")
    .concat("\n");
}
