/**
 * The 9P2000.L gateway: a TCP server speaking 9P2000.L whose clients see the sigmap namespace.
 * Each 9P connection gets its own FsLib (one sigmap session to named), opened at its first
 * attach to a `name…` aname and closed when the connection goes. The aname `ctl` is a synthetic
 * tree inside the gateway (ctl-tree.ts). With `userTokenKey` (and mutual TLS) that FsLib is the
 * principal of the client certificate's CN (user-tokens.ts), else the gateway's own.
 */
import type { KeyObject } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { parseToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { logger } from "../../runtime/log.js";
import {
  peerUserOf,
  type TlsClientOptions,
  type TlsServerOptions,
} from "../../runtime/net/index.js";
import { withDefaults } from "../../runtime/options.js";
import { Connection, type ConnectionConfig } from "./connection.js";
import { ctlRoot } from "./ctl-tree.js";
import { Errno, ErrnoError } from "./errno.js";
import { NONUNAME } from "./messages.js";
import { Namespace } from "./namespace-tree.js";
import { UserTokens } from "./user-tokens.js";

const log = logger("9p");

/** Options of `startGateway`; defaults in GATEWAY_DEFAULTS. */
export interface GatewayOptions {
  /** named's address(es), as for FsLib.connect. */
  named: string | readonly string[];
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Largest msize offered in Rversion (the client's may be smaller). Default 1 MiB. */
  maxMsize?: number;
  /** Smallest msize accepted; a Tversion below it closes the connection. Default 512. */
  minMsize?: number;
  /** Fids one connection may hold; more are refused with EMFILE. Default 4096. */
  maxFids?: number;
  /** Requests one connection may have in flight; beyond it reading pauses. Default 512. */
  maxInflight?: number;
  /** Unsent reply bytes of one connection above which reading pauses. Default 4 MiB. */
  maxPendingWrite?: number;
  /** Called when a connection has closed and its session ended, with the reason (`eof`: a clean end). */
  onConnectionClosed?: (info: { remote: string; reason: string }) => void;
  /**
   * Serve 9P over TLS (for 9P-over-TLS clients, e.g. through stunnel); default plain TCP, which
   * `sigma 9p` allows only on loopback (docs/security.md, "The 9P gateway and the console").
   */
  tls?: TlsServerOptions;
  /** Settings of each connection's FsLib (its `named` and `uname` are the gateway's). */
  client?: GatewayClientOptions;
  /**
   * One principal per user: the gateway's Ed25519 private key, whose public half named accepts.
   * Each connection's FsLib then carries a token of the client certificate's CN (the gateway's
   * realm, role `user`), minted at its first `name` attach and renewed at half its life; a
   * Tattach whose uname is neither empty nor the CN is refused with EACCES. Only with mutual TLS
   * (`tls.ca`), which proves the CN: startGateway refuses it otherwise. Default none: every
   * connection is the gateway's principal (`client.token`).
   */
  userTokenKey?: KeyObject;
  /** Lifetime of a user's token. Default 1 hour. */
  userTokenTtlMs?: number;
}

/** How the gateway's FsLibs reach named. */
export interface GatewayClientOptions {
  sessionTimeoutMs?: number;
  /** Dial named over TLS (`{ ca }`). */
  tls?: TlsClientOptions;
  /**
   * The gateway's token: every connection's session is its principal (a 9P uname is then not
   * used). Default none: the session is the 9P uname's, unchecked.
   */
  token?: string;
  /**
   * The gateway's realm: its FsLibs' (default rootrealm, as FsLib's) and its users' tokens'
   * (`userTokenKey`; default `token`'s realm, else rootrealm).
   */
  realm?: string;
}

/** The defaults of GatewayOptions, merged in startGateway and nowhere else. */
export const GATEWAY_DEFAULTS = {
  host: DEFAULT_HOST,
  port: 0,
  maxMsize: 1024 * 1024,
  minMsize: 512,
  maxFids: 4096,
  maxInflight: 512,
  maxPendingWrite: 4 * 1024 * 1024,
} as const;

export interface Gateway {
  /** `host:port` it listens on. */
  readonly addr: string;
  /** Connections open now (closing ones until their session has closed). */
  connections(): number;
  /** Stops listening, closes every connection and waits until their sessions are closed. */
  close(): Promise<void>;
}

/** Starts the gateway; resolves once it listens. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const o = withDefaults(GATEWAY_DEFAULTS, opts);
  const config: ConnectionConfig = {
    maxMsize: o.maxMsize,
    minMsize: o.minMsize,
    maxFids: o.maxFids,
    maxInflight: o.maxInflight,
    maxPendingWrite: o.maxPendingWrite,
  };
  const named = typeof o.named === "string" ? [o.named] : [...o.named];
  const ctl = ctlRoot(BigInt(Math.floor(Date.now() / 1000)));
  const open = new Set<Connection>();
  const users = userTokens(o);

  const onSocket = (sock: net.Socket): void => {
    let ns: Promise<Namespace> | undefined;
    let stopRenewal = (): void => {};
    // The TLS handshake is done: a verified client certificate's CN is known now.
    const cn = peerUserOf(sock);
    const openNamespace = async (
      uname: string,
      nUname: number,
      user: string | undefined,
    ): Promise<Namespace> => {
      if (users === undefined || user === undefined) {
        return connectNamespace(named, uname, nUname, o.client);
      }
      const token = users.tokenFor(user);
      const n = await connectNamespace(named, uname, nUname, { ...o.client, token });
      stopRenewal = users.renew(n.fsl, user);
      return n;
    };
    const conn: Connection = new Connection(sock, config, {
      attachRoot: async (uname, nUname, aname, ctx) => {
        // With per-user tokens the connection is its CN's, whatever the aname.
        const user = users?.userOf(cn, uname);
        const elems = anameElems(aname);
        if (elems.length === 1 && elems[0] === "ctl") return ctl;
        if (elems[0] !== "name") throw new ErrnoError(Errno.ENOENT, `aname ${aname}`);
        // One FsLib per connection, opened by the first attach that needs it; a failed connect
        // is forgotten so that a later attach tries again.
        ns ??= openNamespace(uname, nUname, user).catch((e: unknown) => {
          ns = undefined;
          throw e;
        });
        return (await ns).root(elems, ctx);
      },
      closed: async (reason) => {
        const n = await ns?.catch(() => undefined);
        stopRenewal();
        await n?.fsl.close().catch(() => undefined);
        o.onConnectionClosed?.({ remote: conn.remote, reason });
      },
    });
    open.add(conn);
    void conn.finished.then(() => open.delete(conn));
  };
  const server = listener(o.tls, onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const a = server.address() as net.AddressInfo;
  const addr = `${o.host}:${a.port}`;
  log(
    "9p gateway listening on %s%s (named %s)",
    addr,
    o.tls === undefined ? "" : " over TLS",
    named.join(","),
  );
  return {
    addr,
    connections: () => open.size,
    close: async () => {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      const all = [...open];
      for (const c of all) c.close("gateway closing");
      await closing;
      // Each connection's FsLib has detached when its `finished` settles: no session is left.
      await Promise.all(all.map((c) => c.finished));
    },
  };
}

/** `name`, `/name/a/b`, `ctl`: the elements of an aname; an empty aname is `name`. */
function anameElems(aname: string): string[] {
  const elems = aname.split("/").filter((e) => e !== "");
  return elems.length === 0 ? ["name"] : elems;
}

/** A plain TCP server, or a TLS one whose sockets reach `onSocket` after the handshake. */
function listener(
  opts: TlsServerOptions | undefined,
  onSocket: (sock: net.Socket) => void,
): net.Server {
  if (opts === undefined) return net.createServer(onSocket);
  const mutual = opts.ca !== undefined && opts.requestClientCert !== false;
  const server = tls.createServer(
    {
      cert: pem(opts.cert),
      key: pem(opts.key),
      ...(opts.ca === undefined ? {} : { ca: pem(opts.ca) }),
      requestCert: mutual,
      rejectUnauthorized: mutual,
      minVersion: "TLSv1.2",
    },
    onSocket,
  );
  // A failed handshake is that client's problem; the gateway logs it and serves on.
  server.on("tlsClientError", (e) => log("9p: TLS handshake failed: %s", e.message));
  return server;
}

function pem(v: string | Uint8Array): string | Buffer {
  return typeof v === "string" ? v : Buffer.from(v);
}

/** The minter of users' tokens, or undefined without `userTokenKey`; refused without mutual TLS. */
function userTokens(o: GatewayOptions): UserTokens | undefined {
  if (o.userTokenKey === undefined) {
    if (o.userTokenTtlMs !== undefined)
      throw new RangeError("9p gateway: userTokenTtlMs needs userTokenKey");
    return undefined;
  }
  // Without a verified certificate nothing proves who a 9P client is: a token for its uname
  // would let anyone be anyone.
  if (o.tls?.ca === undefined || o.tls.requestClientCert === false) {
    throw new RangeError("9p gateway: userTokenKey needs mutual TLS (tls with a client CA)");
  }
  // named takes a client certificate's CN as the session's user and refuses a token of another.
  if (o.client?.tls?.cert !== undefined) {
    throw new RangeError(
      "9p gateway: userTokenKey with a client certificate to named: named would refuse every user but the certificate's",
    );
  }
  const token = o.client?.token;
  const realm =
    o.client?.realm ?? (token === undefined ? "rootrealm" : parseToken(token).claims.realm);
  return new UserTokens(o.userTokenKey, realm, o.userTokenTtlMs);
}

/** The connection's FsLib: `client.token`'s principal, else the 9P uname's. */
async function connectNamespace(
  named: string[],
  uname: string,
  nUname: number,
  client: GatewayOptions["client"],
): Promise<Namespace> {
  const user = uname !== "" ? uname : nUname !== NONUNAME ? String(nUname) : "9p";
  const { token, ...rest } = client ?? {};
  // With a token the session is the token's user; FsLib defaults its uname to it.
  const who = token === undefined ? { uname: user } : { token };
  const fsl = await FsLib.connect({ ...rest, named, ...who });
  const uid = nUname !== NONUNAME ? nUname : 0;
  return new Namespace(fsl, uid, uid);
}
