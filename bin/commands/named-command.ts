/**
 * `sigma named`: runs named in the foreground until SIGINT or SIGTERM, then shuts down cleanly.
 */
import type { Command } from "commander";
import { startNamed } from "../../servers/named/index.js";
import { namedSessionAuth } from "../../servers/named/named-auth.js";
import { loadServerKeys, serverAuthOptions, type ServerAuthFlags } from "./auth-flags.js";
import type { Out } from "./cli-io.js";
import { serverTls, type ServerTlsFlags } from "./connect.js";
import { exposure } from "./exposure-warning.js";
import { stopSignal } from "./stop-signal.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { errorText } from "../../runtime/errors/index.js";
import type { EtcdNamedOptions } from "../../servers/named/named-etcd.js";
import { CliError } from "./cli-errors.js";
import { etcdConnection, etcdConnectionOptions, type EtcdFlags } from "./etcd-flags.js";

export function registerNamedCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  serverAuthOptions(
    etcdConnectionOptions(program.command("named"))
      .description("run the root name server in the foreground")
      .option("--host <host>", "address to bind and advertise", DEFAULT_HOST)
      .option("--port <port>", "port (0: any free port)", "0")
      .option("--realm <realm>", "realm this named serves", "rootrealm")
      .option("--etcd <endpoints>", "run as a replica on etcd: host:port[,host:port...]")
      .option("--lease-ms <ms>", "with --etcd: the leader's election lease", "2000")
      .option(
        "--session-timeout <ms>",
        "sessions without a connection this long are detached (default 1000; with --etcd 3 x --lease-ms)",
      )
      .option("--tls-cert <file>", "serve TLS with this certificate (PEM; with --tls-key)")
      .option("--tls-key <file>", "the certificate's private key (PEM)")
      .option("--tls-client-ca <file>", "mutual TLS: require client certificates this CA signed"),
  ).action(async (o: NamedFlags & ServerTlsFlags & ServerAuthFlags & EtcdFlags) => {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`sigma: --port ${o.port}: not a port number\n`);
      return setExit(64);
    }
    const sessionTimeoutMs = o.sessionTimeout === undefined ? undefined : Number(o.sessionTimeout);
    if (
      sessionTimeoutMs !== undefined &&
      !(Number.isInteger(sessionTimeoutMs) && sessionTimeoutMs > 0)
    ) {
      io.err(`sigma: --session-timeout ${o.sessionTimeout}: a whole number of ms, above 0\n`);
      return setExit(64);
    }
    const authKeys = await loadServerKeys(o);
    const tls = serverTls(o);
    // Keys or client certificates: the same test the server makes.
    const principals = namedSessionAuth({ realm: o.realm, tls, authKeys }) !== undefined;
    const exposed = exposure("named", o.host, principals, o.insecure === true, tls !== undefined);
    if (exposed !== null && "refuse" in exposed) {
      io.err(exposed.refuse + "\n");
      return setExit(64);
    }
    const secured = {
      ...(tls === undefined ? {} : { tls }),
      ...(authKeys === undefined
        ? {}
        : { authKeys, onRefused: (line: string) => io.err(line + "\n") }),
      // The exposure rule was applied above; the server applies the same one.
      insecure: o.insecure === true,
      ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }),
    };
    if (o.etcd !== undefined) {
      if (exposed !== null) io.err(exposed.warn + "\n");
      return runEtcdNamed(o, port, secured, io, setExit);
    }
    const named = await startNamed({
      host: o.host,
      port,
      realm: o.realm,
      ...secured,
    });
    const stopped = stopSignal();
    io.out(
      `named listening on ${named.addr}${tls === undefined ? "" : " (TLS)"}${authKeys === undefined ? "" : ` (tokens of realm ${o.realm} required)`}\n`,
    );
    if (exposed !== null) io.err(exposed.warn + "\n");
    const signal = await stopped;
    await named.close();
    io.out(`named stopped (${signal})\n`);
    setExit(0);
  });
}

interface NamedFlags {
  host: string;
  port: string;
  realm: string;
  etcd?: string;
  leaseMs: string;
  sessionTimeout?: string;
}

type Secured = Pick<
  EtcdNamedOptions,
  "tls" | "authKeys" | "onRefused" | "insecure" | "sessionTimeoutMs"
>;

/** `sigma named --etcd`: one replica; it serves only while it leads. */
async function runEtcdNamed(
  o: NamedFlags & EtcdFlags,
  port: number,
  secured: Secured,
  io: Out,
  setExit: (code: number) => void,
): Promise<void> {
  // Loaded only here: etcd's client (gRPC) would slow every other sigma command's start.
  const { parseEndpoints, etcdClient } = await import("../../runtime/fs-etcd/etcd-client.js");
  const { checkEtcdAccess, realmPrefix } = await import("../../runtime/fs-etcd/etcd-user.js");
  let endpoints: string[];
  try {
    endpoints = parseEndpoints(o.etcd ?? "");
  } catch (e) {
    io.err(`sigma: --etcd: ${(e as Error).message}\n`);
    return setExit(64);
  }
  const leaseMs = Number(o.leaseMs);
  if (!Number.isInteger(leaseMs) || leaseMs < 1000) {
    io.err(`sigma: --lease-ms ${o.leaseMs}: a whole number of ms, at least 1000\n`);
    return setExit(64);
  }
  const conn = etcdConnection(o);
  const user = conn.auth?.username;
  // A wrong password or a user without the realm's role would otherwise make every term fail
  // and be retried forever: say so once and stop.
  const probe = etcdClient(endpoints, conn);
  try {
    await checkEtcdAccess(probe, realmPrefix(o.realm), conn);
  } catch (e) {
    throw new CliError(`named: ${errorText(e)}`);
  } finally {
    probe.close();
  }
  const { startEtcdNamed } = await import("../../servers/named/named-etcd.js");
  // Clients list every replica's address, so it must not change between terms.
  const fixed = port !== 0 ? port : await freePort(o.host);
  const stopped = stopSignal();
  const named = startEtcdNamed({
    etcd: endpoints,
    host: o.host,
    port: fixed,
    realm: o.realm,
    leaseMs,
    etcdConnection: conn,
    ...secured,
    onRole: (role, why) => io.out(`named ${o.host}:${fixed} ${role} (${why})\n`),
  });
  const as = user === undefined ? "" : ` as etcd user ${user}`;
  const tlsNote = secured.tls === undefined ? "" : " (TLS)";
  const keysNote = secured.authKeys === undefined ? "" : ` (tokens of realm ${o.realm} required)`;
  io.out(`named replica ${named.addr} on etcd ${endpoints.join(",")}${as}${tlsNote}${keysNote}\n`);
  // etcd may refuse later too (the password changed, the role was narrowed): say so and stop.
  const end = await Promise.race([stopped, named.refused]);
  await named.close();
  if (end instanceof Error) throw new CliError(`named: ${end.message}`);
  io.out(`named stopped (${end})\n`);
  setExit(0);
}

async function freePort(host: string): Promise<number> {
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, host, resolve);
  });
  const a = srv.address();
  await new Promise((r) => srv.close(r));
  if (a === null || typeof a === "string") throw new Error("no free port");
  return a.port;
}
