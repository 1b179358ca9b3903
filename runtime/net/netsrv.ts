/**
 * netsrv: accept connections, answer the hello (spec 2.2) and hand every later message to the
 * session server's hooks.
 */
import type { Server, Socket } from "node:net";
import { ErrCode, MsgType, type Tversion } from "../../generated/sigmap/types.js";
import { errorText, isSigmaError, SigmaError } from "../errors/index.js";
import { DEFAULT_HOST } from "../defaults.js";
import { logger } from "../log.js";
import { DEFAULT_MAX_FRAME } from "../wire/frame.js";
import { formatAddr } from "./addr.js";
import { FramedConn, remoteOf, type ConnHandler } from "./conn.js";
import { PartialFrameBudget } from "./partial-budget.js";
import { createListener, peerUserOf } from "./tls.js";
import {
  decodeHello,
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
  PartialFrameStats,
  WireMessage,
} from "./types.js";

import { withDefaults } from "../options.js";

const log = logger("netsrv");

/** What the deadline sweep remembers of a connection between two passes. */
interface Watch {
  /** The remote host, for maxConnectionsPerPeer. */
  readonly peer: string;
  chunks: number;
  frames: number;
  /** performance.now() when it last received anything. */
  lastReceived: number;
  /** performance.now() when its unfinished frame was first seen; -1 if none. */
  partialSince: number;
  /** Past its hello: idleTimeoutMs applies (before it, helloTimeoutMs does). */
  accepted: boolean;
}

// A refused connection answers nothing it is sent.
const IGNORE: ConnHandler = { onMessage: () => {}, onClose: () => {} };

/** Defaults of NetServerOptions. */
export const SERVER_DEFAULTS = {
  host: DEFAULT_HOST,
  port: 0,
  maxFrame: DEFAULT_MAX_FRAME,
  maxConnections: 10_000,
  maxConnectionsPerPeer: 5_000,
  writeHighWater: 1024 * 1024,
  helloTimeoutMs: 5000,
  frameTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  // 16 frames of the largest size at once; without it C × maxFrame is the bound (~160 GiB).
  maxPartialFrameBytes: 256 * 1024 * 1024,
};

type ServerOptions = typeof SERVER_DEFAULTS & Pick<NetServerOptions, "tls">;

/** Binds and starts accepting; resolves once listening, with the address actually bound. */
export async function listen(opts: NetServerOptions, hooks: NetServerHooks): Promise<NetServer> {
  const o: ServerOptions = withDefaults(SERVER_DEFAULTS, opts);
  const { server, ready } = createListener(o.tls, o.helloTimeoutMs);
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
  const listener = new Listener(server, ready, formatAddr(o.host, bound.port), o, hooks);
  log("%s: listening%s", listener.addr, o.tls === undefined ? "" : " (TLS)");
  return listener;
}

class Listener implements NetServer {
  readonly addr: string;
  readonly #server: Server;
  readonly #opts: ServerOptions;
  readonly #conns = new Set<FramedConn>();
  readonly #helloTimers = new Map<FramedConn, NodeJS.Timeout>();
  readonly #watches = new Map<FramedConn, Watch>();
  readonly #perPeer = new Map<string, number>();
  readonly #sweep: NodeJS.Timeout;
  readonly #inHello: ConnHandler;
  readonly #accepted: ConnHandler;
  /** A connection whose hello's answer is awaited (NetServerHooks.onHello). */
  readonly #waiting: ConnHandler;
  readonly #budget: PartialFrameBudget;
  #closing: Promise<void> | null = null;

  constructor(
    server: Server,
    ready: "connection" | "secureConnection",
    addr: string,
    opts: ServerOptions,
    hooks: NetServerHooks,
  ) {
    this.addr = addr;
    this.#server = server;
    this.#opts = opts;
    this.#budget = new PartialFrameBudget(opts.maxPartialFrameBytes, log, addr);
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
    this.#waiting = {
      onMessage: (conn) => {
        log("%s: protocol error from %s: a message before its hello's answer", addr, conn.remote);
        conn.close("protocol");
      },
      onClose: this.#accepted.onClose,
    };
    server.on(ready, (socket: Socket) => this.#accept(socket));
    // A failed handshake (plain client, unknown client certificate, timeout): Node closes it.
    server.on("tlsClientError", (err: Error, socket: Socket) => {
      log("%s: TLS handshake with %s failed: %s", addr, remoteOf(socket), err.message);
    });
    // One timer for every connection's deadlines, so receiving never touches a timer or a clock.
    const period = Math.max(5, Math.min(opts.frameTimeoutMs, opts.idleTimeoutMs) / 4);
    this.#sweep = setInterval(() => this.#checkDeadlines(), period);
    this.#sweep.unref();
    server.on("error", (err) => log("%s: server error: %s", addr, err.message));
  }

  connectionCount(): number {
    return this.#conns.size;
  }

  partialFrames(): PartialFrameStats {
    const b = this.#budget;
    return { bytes: b.bytes, holders: b.holders, evictions: b.evictions };
  }

  close(): Promise<void> {
    if (this.#closing === null) {
      clearInterval(this.#sweep);
      this.#closing = new Promise((resolve) => this.#server.close(() => resolve()));
      for (const conn of [...this.#conns]) conn.close("server-shutdown");
      log("%s: closed", this.addr);
    }
    return this.#closing;
  }

  #accept(socket: Socket): void {
    const remote = remoteOf(socket);
    const o = this.#opts;
    if (this.#closing !== null) {
      socket.on("error", () => {});
      socket.destroy();
      return;
    }
    const peer = socket.remoteAddress ?? "unknown";
    if (this.#conns.size >= o.maxConnections) {
      this.#refuse(socket, remote, "maxConnections", `${o.maxConnections} connections open`);
      return;
    }
    const fromPeer = this.#perPeer.get(peer) ?? 0;
    if (fromPeer >= o.maxConnectionsPerPeer) {
      const what = `${o.maxConnectionsPerPeer} connections open from ${peer}`;
      this.#refuse(socket, remote, "maxConnectionsPerPeer", what);
      return;
    }
    const conn = new FramedConn(socket, this.#inHello, {
      remote,
      maxFrame: o.maxFrame,
      writeHighWater: o.writeHighWater,
      log,
      partialBudget: this.#budget,
      peerUser: peerUserOf(socket),
    });
    this.#conns.add(conn);
    this.#perPeer.set(peer, fromPeer + 1);
    this.#watches.set(conn, {
      peer,
      chunks: 0,
      frames: 0,
      lastReceived: performance.now(),
      partialSince: -1,
      accepted: false,
    });
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
      hello = decodeHello(msg.body);
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

    let answer: SigmaError | null | Promise<SigmaError | null>;
    try {
      answer = hooks.onHello(conn, hello);
    } catch (e) {
      answer = asSigmaError(e);
    }
    if (answer instanceof Promise) {
      // Answered later: until then a frame is a protocol error, and a close is the hooks' news.
      conn.setHandler(this.#waiting);
      answer.then(
        (r) => this.#answer(conn, hello, r),
        (e: unknown) => this.#answer(conn, hello, asSigmaError(e)),
      );
      return;
    }
    this.#answer(conn, hello, answer);
  }

  #answer(conn: FramedConn, hello: Tversion, refusal: SigmaError | null): void {
    // Closed while its answer was awaited: nothing left to tell.
    if (conn.isClosed) return;
    const { client, session } = hello;
    if (refusal !== null) {
      log("%s: hello from %s refused: %s", this.addr, conn.remote, refusal.message);
      conn.send(rerrorMessage(refusal, client, session));
      conn.close("local");
      return;
    }

    const maxFrame = Math.min(this.#opts.maxFrame, hello.msize);
    conn.send(rversionMessage(maxFrame, client, session));
    conn.setMaxFrame(maxFrame);
    conn.bind(client, session);
    conn.setHandler(this.#accepted);
    const watch = this.#watches.get(conn);
    if (watch !== undefined) {
      watch.accepted = true;
      watch.lastReceived = performance.now();
    }
  }

  /**
   * Says which limit refused the connection (Rerror Retry, which a dialling client reports as
   * the hello's answer) and closes it, rather than a bare reset the client could only call
   * "unreachable".
   */
  #refuse(socket: Socket, remote: string, limit: string, what: string): void {
    log("%s: refusing %s: %s (%s)", this.addr, remote, limit, what);
    const o = this.#opts;
    const conn = new FramedConn(socket, IGNORE, {
      remote,
      maxFrame: o.maxFrame,
      writeHighWater: o.writeHighWater,
      log,
    });
    const text = `connection refused: ${limit} (${what}); retry later`;
    conn.send(rerrorMessage(new SigmaError(ErrCode.Retry, limit, text), 0n, 0n));
    conn.close("local");
  }

  // A frame begun and not finished within frameTimeoutMs holds what it received (and a share
  // of maxPartialFrameBytes) forever; a
  // connection silent for idleTimeoutMs after its hello pins a socket and a session. Both are
  // closed, with the limit named in the log.
  #checkDeadlines(): void {
    const now = performance.now();
    const o = this.#opts;
    for (const [conn, w] of this.#watches) {
      const chunks = conn.chunksReceived;
      if (chunks !== w.chunks) {
        w.chunks = chunks;
        w.lastReceived = now;
      } else if (w.accepted && now - w.lastReceived >= o.idleTimeoutMs) {
        log(
          "%s: closing %s: nothing received within idleTimeoutMs (%d ms)",
          this.addr,
          conn.remote,
          o.idleTimeoutMs,
        );
        conn.close("silence");
        continue;
      }
      const frames = conn.framesReceived;
      if (frames !== w.frames) {
        w.frames = frames;
        w.partialSince = -1;
      }
      if (conn.partialBytes === 0) {
        w.partialSince = -1;
      } else if (w.partialSince < 0) {
        w.partialSince = now;
      } else if (now - w.partialSince >= o.frameTimeoutMs) {
        log(
          "%s: closing %s: a frame begun (%d bytes held) not finished within frameTimeoutMs (%d ms)",
          this.addr,
          conn.remote,
          conn.partialBytes,
          o.frameTimeoutMs,
        );
        conn.close("protocol");
      }
    }
  }

  #forget(conn: FramedConn): void {
    this.#clearHelloTimer(conn);
    this.#conns.delete(conn);
    const w = this.#watches.get(conn);
    if (w === undefined) return;
    this.#watches.delete(conn);
    const n = (this.#perPeer.get(w.peer) ?? 1) - 1;
    if (n === 0) this.#perPeer.delete(w.peer);
    else this.#perPeer.set(w.peer, n);
  }

  #clearHelloTimer(conn: FramedConn): void {
    const timer = this.#helloTimers.get(conn);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#helloTimers.delete(conn);
    }
  }
}

/** A hook's failure as the refusal to answer with. */
function asSigmaError(e: unknown): SigmaError {
  return isSigmaError(e) ? e : new SigmaError(ErrCode.Error, "", errorText(e));
}
