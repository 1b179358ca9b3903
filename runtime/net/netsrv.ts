/**
 * netsrv: accept connections, answer the hello (spec 2.2) and hand every later message to the
 * session server's hooks.
 */
import type { Server, Socket } from "node:net";
import { decodeTversion } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType, type Tversion } from "../../generated/sigmap/types.js";
import { isSigmaError, SigmaError } from "../errors/index.js";
import { logger } from "../log.js";
import { DEFAULT_MAX_FRAME } from "../wire/frame.js";
import { formatAddr } from "./addr.js";
import { FramedConn, remoteOf, type ConnHandler } from "./conn.js";
import { createListener } from "./tls.js";
import {
  OUR_PROTOCOL,
  protocolName,
  rerrorMessage,
  rversionMessage,
  sameProtocol,
} from "./hello.js";
import type {
  CloseReason,
  NetServer,
  NetServerHooks,
  NetServerOptions,
  WireMessage,
} from "./types.js";

import { withDefaults } from "../options.js";

const log = logger("netsrv");

/** Defaults of NetServerOptions. */
export const SERVER_DEFAULTS = {
  host: "127.0.0.1",
  port: 0,
  maxFrame: DEFAULT_MAX_FRAME,
  maxConnections: 10_000,
  writeHighWater: 1024 * 1024,
  helloTimeoutMs: 5000,
};

type ServerOptions = typeof SERVER_DEFAULTS;

/** Binds and starts accepting; resolves once listening, with the address actually bound. */
export async function listen(opts: NetServerOptions, hooks: NetServerHooks): Promise<NetServer> {
  const o: ServerOptions = withDefaults(SERVER_DEFAULTS, opts);
  const { server, event } = createListener(opts.tls);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === "string") {
    server.close();
    throw new Error(`netsrv: ${o.host}:${o.port} is not a TCP address`);
  }
  const listener = new Listener(server, formatAddr(o.host, bound.port), o, hooks, event);
  log("%s: listening", listener.addr);
  return listener;
}

class Listener implements NetServer {
  readonly addr: string;
  readonly #server: Server;
  readonly #opts: ServerOptions;
  readonly #conns = new Set<FramedConn>();
  readonly #helloTimers = new Map<FramedConn, NodeJS.Timeout>();
  readonly #inHello: ConnHandler;
  readonly #accepted: ConnHandler;
  #closing: Promise<void> | null = null;

  constructor(
    server: Server,
    addr: string,
    opts: ServerOptions,
    hooks: NetServerHooks,
    event: "connection" | "secureConnection" = "connection",
  ) {
    this.addr = addr;
    this.#server = server;
    this.#opts = opts;
    this.#inHello = {
      onMessage: (conn, msg) => this.#hello(conn, msg, hooks),
      onClose: (conn) => this.#forget(conn),
    };
    this.#accepted = {
      onMessage: (conn, msg) => hooks.onMessage(conn, msg),
      onClose: (conn, reason: CloseReason) => {
        this.#forget(conn);
        hooks.onClose(conn, reason);
      },
    };
    server.on(event, (socket: Socket) => this.#accept(socket));
    // A peer that fails the TLS handshake (a plain client, a wrong certificate) never reaches
    // #accept; say why, once.
    server.on("tlsClientError", (err: Error, socket: Socket) => {
      log("%s: TLS handshake with %s failed: %s", addr, remoteOf(socket), err.message);
    });
    server.on("error", (err) => log("%s: server error: %s", addr, err.message));
  }

  connectionCount(): number {
    return this.#conns.size;
  }

  close(): Promise<void> {
    if (this.#closing === null) {
      this.#closing = new Promise((resolve) => this.#server.close(() => resolve()));
      for (const conn of [...this.#conns]) conn.close("server-shutdown");
      log("%s: closed", this.addr);
    }
    return this.#closing;
  }

  #accept(socket: Socket): void {
    const remote = remoteOf(socket);
    if (this.#closing !== null || this.#conns.size >= this.#opts.maxConnections) {
      log("%s: refusing %s: %d connections open", this.addr, remote, this.#conns.size);
      socket.on("error", () => {});
      socket.destroy();
      return;
    }
    const o = this.#opts;
    const conn = new FramedConn(socket, this.#inHello, {
      remote,
      maxFrame: o.maxFrame,
      writeHighWater: o.writeHighWater,
      log,
    });
    this.#conns.add(conn);
    const timer = setTimeout(() => {
      log("%s: no hello from %s within %d ms", this.addr, remote, o.helloTimeoutMs);
      conn.close("protocol");
    }, o.helloTimeoutMs);
    timer.unref();
    this.#helloTimers.set(conn, timer);
  }

  #hello(conn: FramedConn, msg: WireMessage, hooks: NetServerHooks): void {
    this.#clearHelloTimer(conn);
    const o = this.#opts;
    const { client, session } = msg.header;
    let hello: Tversion;
    try {
      if (msg.header.type !== MsgType.Tversion) throw new Error(`type ${msg.header.type}`);
      hello = decodeTversion(msg.body);
      if (hello.client !== client || hello.session !== session) {
        throw new Error("header and body name different sessions");
      }
    } catch (e) {
      log("%s: bad hello from %s: %s", this.addr, conn.remote, errorText(e));
      conn.close("protocol");
      return;
    }

    if (!sameProtocol(hello) || hello.msize === 0) {
      log(
        "%s: refusing %s: it speaks %s (msize %d), we speak %s",
        this.addr,
        conn.remote,
        protocolName(hello),
        hello.msize,
        protocolName(OUR_PROTOCOL),
      );
      conn.send(rversionMessage(o.maxFrame, client, session));
      conn.close("protocol");
      return;
    }

    let refusal: SigmaError | null;
    try {
      refusal = hooks.onHello(conn, hello);
    } catch (e) {
      refusal = isSigmaError(e) ? e : new SigmaError(ErrCode.Error, "", errorText(e));
    }
    if (refusal !== null) {
      log("%s: hello from %s refused: %s", this.addr, conn.remote, refusal.message);
      conn.send(rerrorMessage(refusal, client, session));
      conn.close("local");
      return;
    }

    const maxFrame = Math.min(o.maxFrame, hello.msize);
    conn.send(rversionMessage(maxFrame, client, session));
    conn.setMaxFrame(maxFrame);
    conn.bind(client, session);
    conn.setHandler(this.#accepted);
  }

  #forget(conn: FramedConn): void {
    this.#clearHelloTimer(conn);
    this.#conns.delete(conn);
  }

  #clearHelloTimer(conn: FramedConn): void {
    const timer = this.#helloTimers.get(conn);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#helloTimers.delete(conn);
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
