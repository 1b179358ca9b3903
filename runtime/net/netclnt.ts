/**
 * netclnt: dial one server address and exchange hellos (spec 2.2). Choosing among addresses and
 * redialling belong to the session layer.
 */
import type { Socket } from "node:net";
import { decodeRerror, decodeRversion } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType, type Rversion } from "../../generated/sigmap/types.js";
import { describeErrorCode, SigmaError } from "../errors/index.js";
import { logger } from "../log.js";
import { DEFAULT_MAX_FRAME } from "../wire/frame.js";
import { parseAddr } from "./addr.js";
import { FramedConn, type ConnHandler } from "./conn.js";
import { openSocket, socketErrorText } from "./tls.js";
import { OUR_PROTOCOL, protocolName, sameProtocol, tversionMessage } from "./hello.js";
import type { CloseReason, DialOptions, MessageConn, WireMessage } from "./types.js";

const log = logger("netclnt");

/** Defaults of the DialOptions that have one. */
import { withDefaults } from "../options.js";

export const DIAL_DEFAULTS = {
  maxFrame: DEFAULT_MAX_FRAME,
  connectTimeoutMs: 1000,
  writeHighWater: 1024 * 1024,
};

/**
 * Connects to `addr` (`host:port`), sends the hello and waits for the server's. Resolves with
 * the connection once the server accepted; from then on every message goes to `opts.onMessage`.
 * Rejects with SigmaError: ProtocolMismatch (the server speaks another protocol or schema; the
 * message names both), the server's refusal as it sent it (SessClosed, Inval, ...), or
 * Unreachable (connect error, timeout, the connection ending during the hello, abort).
 */
export async function dial(addr: string, opts: DialOptions): Promise<MessageConn> {
  const o = withDefaults(DIAL_DEFAULTS, opts);
  const target = parseAddr(addr);
  if (target === null) throw unreachable(addr, "not a host:port address");
  if (o.signal?.aborted) throw unreachable(addr, "aborted", o.signal.reason);
  return new Promise<MessageConn>((resolve, reject) => {
    // Callbacks stay on `opts` itself: spreading would drop methods of a class instance.
    const hello = new Hello(addr, o, opts, resolve, reject);
    const { socket, ready } = openSocket(target, o.tls);
    hello.start(socket, ready);
  });
}

type ResolvedDialOptions = DialOptions & typeof DIAL_DEFAULTS;

// One dial attempt: the connection's handler until the hello is answered.
class Hello implements ConnHandler {
  readonly #addr: string;
  readonly #opts: ResolvedDialOptions;
  readonly #callbacks: DialOptions;
  readonly #resolve: (conn: MessageConn) => void;
  readonly #reject: (err: SigmaError) => void;
  #socket: Socket | null = null;
  #timer: NodeJS.Timeout | null = null;
  #settled = false;
  readonly #onAbort = (): void => {
    this.#fail(unreachable(this.#addr, "aborted", this.#opts.signal?.reason));
  };

  constructor(
    addr: string,
    opts: ResolvedDialOptions,
    callbacks: DialOptions,
    resolve: (conn: MessageConn) => void,
    reject: (err: SigmaError) => void,
  ) {
    this.#addr = addr;
    this.#opts = opts;
    this.#callbacks = callbacks;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(socket: Socket, ready: "connect" | "secureConnect"): void {
    this.#socket = socket;
    const o = this.#opts;
    this.#timer = setTimeout(() => {
      this.#fail(unreachable(this.#addr, `no hello within ${o.connectTimeoutMs} ms`));
    }, o.connectTimeoutMs);
    o.signal?.addEventListener("abort", this.#onAbort, { once: true });
    const tls = o.tls !== undefined;
    socket.on("error", (err) =>
      this.#fail(unreachable(this.#addr, socketErrorText(err, tls), err)),
    );
    socket.once(ready, () => {
      if (this.#settled) return;
      const conn = new FramedConn(socket, this, {
        remote: this.#addr,
        maxFrame: o.maxFrame,
        writeHighWater: o.writeHighWater,
        log,
      });
      conn.send(
        tversionMessage(o.maxFrame, o.client, o.session, o.resume, o.sessionKey, o.credentials),
      );
    });
  }

  onMessage(conn: FramedConn, msg: WireMessage): void {
    if (this.#settled) return;
    const type = msg.header.type;
    if (type !== MsgType.Rversion && type !== MsgType.Rerror) {
      this.#fail(unreachable(this.#addr, `hello answered with message type ${type}`));
      return;
    }
    let theirs: Rversion;
    try {
      if (type === MsgType.Rerror) {
        const e = decodeRerror(msg.body);
        this.#fail(new SigmaError(e.errCode, e.obj, e.err === "" ? undefined : e.err));
        return;
      }
      theirs = decodeRversion(msg.body);
    } catch (e) {
      this.#fail(unreachable(this.#addr, "undecodable hello reply", e));
      return;
    }
    if (!sameProtocol(theirs)) {
      const why =
        `client speaks ${protocolName(OUR_PROTOCOL)}, ` + `server speaks ${protocolName(theirs)}`;
      this.#fail(
        new SigmaError(
          ErrCode.ProtocolMismatch,
          this.#addr,
          `${describeErrorCode(ErrCode.ProtocolMismatch)}: ${this.#addr}: ${why}`,
        ),
      );
      return;
    }
    if (theirs.msize === 0) {
      this.#fail(unreachable(this.#addr, "server accepts no frames (msize 0)"));
      return;
    }
    this.#settle();
    const o = this.#opts;
    conn.setMaxFrame(Math.min(o.maxFrame, theirs.msize));
    conn.bind(o.client, o.session);
    conn.setHandler(new Delivery(this.#callbacks));
    log(
      "%s: connected, client %s session %s, maxFrame %d",
      this.#addr,
      o.client,
      o.session,
      conn.maxFrame,
    );
    this.#resolve(conn);
  }

  onClose(_conn: FramedConn, reason: CloseReason): void {
    // A TLS server drops a plain hello (or answers it with an alert, which reads as a bad frame).
    const hint =
      this.#opts.tls === undefined && reason !== "local"
        ? "; if the server speaks TLS, give its CA (--tls-ca, SIGMA_TLS_CA)"
        : "";
    this.#fail(unreachable(this.#addr, `connection closed during the hello (${reason})${hint}`));
  }

  #fail(err: SigmaError): void {
    if (this.#settled) return;
    this.#settle();
    log("%s: dial failed: %s", this.#addr, err.message);
    this.#socket?.destroy();
    this.#reject(err);
  }

  #settle(): void {
    this.#settled = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#opts.signal?.removeEventListener("abort", this.#onAbort);
  }
}

// The connection's handler once the hello succeeded: straight to the session layer.
class Delivery implements ConnHandler {
  readonly #opts: DialOptions;

  constructor(opts: DialOptions) {
    this.#opts = opts;
  }

  onMessage(_conn: FramedConn, msg: WireMessage): void {
    this.#opts.onMessage(msg);
  }

  onClose(_conn: FramedConn, reason: CloseReason): void {
    this.#opts.onClose?.(reason);
  }
}

function unreachable(addr: string, why: string, cause?: unknown): SigmaError {
  return new SigmaError(
    ErrCode.Unreachable,
    addr,
    `${describeErrorCode(ErrCode.Unreachable)}: ${addr}: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}
