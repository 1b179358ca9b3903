/**
 * `sigma 9p [--listen HOST:PORT] [--named ADDRS]`: runs the 9P2000.L gateway in the foreground
 * (docs/9p.md) until SIGINT or SIGTERM. Connections closed for a protocol violation are reported
 * on stderr with their reason. `--tls-cert/--tls-key` serve 9P over TLS; `--tls-ca`
 * (SIGMA_TLS_CA) and `--token` (SIGMA_TOKEN) are for the gateway's own sessions to named.
 * `--user-token-key` (with mutual TLS) makes each connection the principal of its certificate's CN.
 */
import type { KeyObject } from "node:crypto";
import type { Command } from "commander";
import { parseDuration, readSigningKey } from "../../runtime/auth/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { startGateway } from "../../servers/9p/index.js";
import { clientToken } from "./auth-flags.js";
import { CliError } from "./cli-errors.js";
import { clientTls, serverTls, type ServerTlsFlags } from "./connect.js";
import { exposure } from "./exposure-warning.js";
import { EXIT } from "./exit-codes.js";
import type { Out } from "./fs-commands.js";

interface Flags extends ServerTlsFlags {
  listen: string;
  insecure?: boolean;
  named?: string;
  msize?: string;
  token?: string;
  tlsCa?: string;
  userTokenKey?: string;
  userTokenTtl?: string;
}

export function registerNinepCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("9p")
    .description("serve the namespace to 9P2000.L clients (v9fs, diod's tools)")
    .option("--listen <host:port>", "address to listen on (port 0: any free port)", "127.0.0.1:564")
    .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
    .option("--msize <bytes>", "largest msize offered to clients (default 1 MiB)")
    .option("--insecure", "serve a non-loopback address (the gateway has no Tauth yet)")
    .option("--tls-cert <file>", "serve 9P over TLS with this certificate (PEM; with --tls-key)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--tls-client-ca <file>", "mutual TLS: require client certificates this CA signed")
    .option("--tls-ca <file>", "dial named over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
    .option("--token <token>", "the gateway's token for named; default $SIGMA_TOKEN")
    .option(
      "--user-token-key <file>",
      "the gateway's private key: each connection acts as its client certificate's CN (named must accept its .pub; needs --tls-client-ca)",
    )
    .option("--user-token-ttl <duration>", "lifetime of a user's token, e.g. 30m (default 1h)")
    .action(async (flags: Flags) => {
      const listen = parseListen(flags.listen);
      const spec = flags.named ?? process.env["SIGMA_NAMED"];
      const msize = flags.msize === undefined ? undefined : Number(flags.msize);
      if (listen === undefined) {
        io.err(`sigma: --listen ${flags.listen}: expected HOST:PORT\n`);
        return setExit(64);
      }
      const tls = serverTls(flags);
      const namedTls = clientTls(flags);
      const token = clientToken(flags);
      const users = await userTokenOptions(flags);
      // Off loopback only mutual TLS says who a 9P client is: the gateway has no Tauth yet.
      const mutual = tls?.ca !== undefined;
      const exposed = exposure("9p gateway", listen.host, mutual, flags.insecure === true, mutual);
      if (exposed !== null && "refuse" in exposed) {
        io.err(exposed.refuse + "\n");
        return setExit(64);
      }
      if (exposed !== null) io.err(exposed.warn + "\n");
      if (!spec) {
        io.err("sigma: no named address: pass --named HOST:PORT or set SIGMA_NAMED\n");
        return setExit(64);
      }
      if (msize !== undefined && (!Number.isInteger(msize) || msize < 4096)) {
        io.err(`sigma: --msize ${flags.msize}: expected an integer of at least 4096\n`);
        return setExit(64);
      }
      const gw = await startGateway({
        named: spec.split(",").filter((s) => s !== ""),
        host: listen.host,
        port: listen.port,
        maxMsize: msize,
        ...(tls === undefined ? {} : { tls }),
        ...users,
        client: {
          ...(namedTls === undefined ? {} : { tls: namedTls }),
          ...(token === undefined ? {} : { token }),
        },
        onConnectionClosed: ({ remote, reason }) => {
          if (reason !== "eof") io.err(`9p: ${remote}: closed: ${reason}\n`);
        },
      });
      io.out(`9p gateway listening on ${gw.addr}${tls === undefined ? "" : " (TLS)"}\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await gw.close();
      io.out(`9p gateway stopped (${signal})\n`);
      setExit(0);
    });
}

/**
 * `--user-token-key` and `--user-token-ttl`. Only mutual TLS proves who a 9P client is, so the key
 * without --tls-client-ca is a usage error, as are a bad key file and a bad duration.
 */
async function userTokenOptions(
  flags: Flags,
): Promise<{ userTokenKey?: KeyObject; userTokenTtlMs?: number }> {
  if (flags.userTokenKey === undefined) {
    if (flags.userTokenTtl !== undefined) {
      throw new CliError("--user-token-ttl needs --user-token-key", EXIT.usage);
    }
    return {};
  }
  if (flags.tlsClientCa === undefined) {
    throw new CliError(
      "--user-token-key needs mutual TLS (--tls-cert, --tls-key and --tls-client-ca): the client certificate's CN is the user",
      EXIT.usage,
    );
  }
  const key = await readSigningKey(flags.userTokenKey).catch((e: unknown) => {
    throw new CliError(`--user-token-key: ${errorText(e)}`, EXIT.usage);
  });
  if (flags.userTokenTtl === undefined) return { userTokenKey: key };
  try {
    return { userTokenKey: key, userTokenTtlMs: parseDuration(flags.userTokenTtl) };
  } catch (e) {
    throw new CliError(`--user-token-ttl: ${errorText(e)}`, EXIT.usage);
  }
}

function parseListen(s: string): { host: string; port: number } | undefined {
  const i = s.lastIndexOf(":");
  if (i <= 0) return undefined;
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { host: s.slice(0, i), port };
}
