/**
 * Finds named for the commands that talk to it: `--named H:P[,H:P…]`, else SIGMA_NAMED (spec 6.1).
 * A malformed address is refused here, saying what is wrong with it, instead of reading later as
 * a server that does not answer.
 */
import { FsLib } from "../../runtime/client/index.js";
import { parseAddr } from "../../runtime/net/addr.js";
import { readTlsClientFiles, readTlsServerFiles } from "../../runtime/net/tls-files.js";
import type { TlsClientOptions, TlsServerOptions } from "../../runtime/net/types.js";
import { clientToken } from "./auth-flags.js";
import { CliError } from "./cli-errors.js";
import { EXIT } from "./exit-codes.js";

export interface ConnectFlags {
  named?: string;
  uname?: string;
  /** `--token`; default $SIGMA_TOKEN (auth-flags.ts). */
  token?: string;
  /** The servers' CA (PEM file): dial over TLS. Default $SIGMA_TLS_CA. */
  tlsCa?: string;
}

export async function connectNamed(flags: ConnectFlags): Promise<FsLib> {
  const named = namedAddrs(flags);
  const tls = clientTls(flags);
  const withTls = tls === undefined ? {} : { tls };
  const token = clientToken(flags);
  // With a token the uname defaults to the token's user, with a client certificate to its CN
  // (FsLib's default): a server checking either takes no other.
  if (token !== undefined || tls?.cert !== undefined) {
    return FsLib.connect({
      named,
      uname: flags.uname,
      ...(token === undefined ? {} : { token }),
      ...withTls,
    });
  }
  return FsLib.connect({
    named,
    uname: flags.uname ?? process.env["USER"] ?? "sigma",
    ...withTls,
  });
}

/**
 * TLS for the CLI's clients: the CA from --tls-ca or SIGMA_TLS_CA, a client certificate for
 * mutual TLS from SIGMA_TLS_CERT and SIGMA_TLS_KEY. Undefined (plain TCP) when none is set.
 */
export function clientTls(flags: { tlsCa?: string | undefined }): TlsClientOptions | undefined {
  const env = (name: string): string | undefined => process.env[name] || undefined;
  try {
    return readTlsClientFiles({
      ca: flags.tlsCa ?? env("SIGMA_TLS_CA"),
      cert: env("SIGMA_TLS_CERT"),
      key: env("SIGMA_TLS_KEY"),
    });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.usage);
  }
}

export interface ServerTlsFlags {
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
}

/** A server command's --tls-cert/--tls-key[/--tls-client-ca]; undefined without them. */
export function serverTls(flags: ServerTlsFlags): TlsServerOptions | undefined {
  try {
    return readTlsServerFiles({
      cert: flags.tlsCert,
      key: flags.tlsKey,
      clientCa: flags.tlsClientCa,
    });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.usage);
  }
}

/** named's addresses from the flags or the environment, each checked. */
export function namedAddrs(flags: ConnectFlags): string[] {
  const given = flags.named ?? process.env["SIGMA_NAMED"];
  const source = flags.named !== undefined ? "--named" : "SIGMA_NAMED";
  if (!given) throw new CliError("no named address: pass --named HOST:PORT or set SIGMA_NAMED");
  const addrs = given.split(",").map((s) => s.trim());
  for (const a of addrs) {
    const why = addrProblem(a);
    if (why !== null) {
      const which = addrs.length > 1 ? `${a === "" ? "an empty address" : a}: ` : "";
      throw new CliError(
        `${source}=${given}: ${which}${why} (expected host:port, e.g. 127.0.0.1:1111)`,
        EXIT.usage,
      );
    }
  }
  return addrs;
}

/** What is wrong with `addr` as `host:port`, or null. */
export function addrProblem(addr: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(addr)) return "a URL: give host:port, without a scheme";
  const parsed = parseAddr(addr);
  if (parsed !== null) return parsed.port === 0 ? "port 0 means any port; name the server's" : null;
  const colon = addr.lastIndexOf(":");
  if (colon < 0) return "no port";
  const host = addr.slice(0, colon);
  const port = addr.slice(colon + 1);
  if (host === "") return "no host";
  if (!/^\d+$/.test(port)) return `port ${JSON.stringify(port)} is not a number`;
  if (Number(port) > 65535) return `port ${port} is out of range (0-65535)`;
  return "an IPv6 host must be in brackets: [::1]:1111";
}
