/**
 * Fixtures for the net-layer tests: a test-only echo server on `listen`, a client inbox on
 * `dial`, and a raw socket peer that speaks frames without the net layer's help.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Tversion } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { FramedConn } from "../../runtime/net/conn.js";
import { tversionMessage } from "../../runtime/net/hello.js";
import {
  decodeMessage,
  dial,
  encodeMessage,
  listen,
  type CloseReason,
  type DialOptions,
  type MessageConn,
  type NetServer,
  type NetServerOptions,
  type WireMessage,
} from "../../runtime/net/index.js";
import { FrameReader } from "../../runtime/wire/frame-reader.js";
import { encodeFrame } from "../../runtime/wire/frame-writer.js";
import { NO_DATA } from "../../runtime/contract/transport.js";

export const CLIENT = 0x1234_5678_9abc_def0n;
export const SESSION = 0x0fed_cba9_8765_4321n;

/** A request-shaped message; the echo server sends it back unchanged. */
export function message(
  seqno: number,
  data: Uint8Array = NO_DATA,
  body: unknown = ["x"],
): WireMessage {
  return {
    header: {
      type: 120,
      tag: 0,
      client: CLIENT,
      session: SESSION,
      seqno: BigInt(seqno),
      received: { start: 0n, end: 0n },
      fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
    },
    body,
    data,
  };
}

/** A test-only server on `listen` whose hooks echo every message back unchanged. */
export class EchoServer {
  readonly hellos: Tversion[] = [];
  /** Server-side connections past their hello, in accept order. */
  readonly conns: MessageConn[] = [];
  readonly closes: CloseReason[] = [];
  /** Messages echoed so far. */
  echoed = 0;
  /** Largest bufferedBytes seen on any connection right after an echo. */
  maxBuffered = 0;
  /** Called after each echo, with the connection. */
  afterEcho: ((conn: FramedConn) => void) | null = null;
  #server: NetServer | null = null;
  #closeWaiters: { count: number; resolve: () => void }[] = [];

  /** `refuse` decides each hello (default: accept). */
  static async start(
    opts: NetServerOptions = {},
    refuse: (hello: Tversion) => SigmaError | null = () => null,
  ): Promise<EchoServer> {
    const echo = new EchoServer();
    echo.#server = await listen(opts, {
      onHello(conn, hello) {
        echo.hellos.push(hello);
        const refusal = refuse(hello);
        if (refusal === null) echo.conns.push(conn);
        return refusal;
      },
      onMessage(conn, msg) {
        conn.send(msg);
        echo.echoed++;
        if (conn instanceof FramedConn) {
          if (conn.bufferedBytes > echo.maxBuffered) echo.maxBuffered = conn.bufferedBytes;
          echo.afterEcho?.(conn);
        }
      },
      onClose(_conn, reason) {
        echo.closes.push(reason);
        echo.#closeWaiters = echo.#closeWaiters.filter((w) => {
          if (echo.closes.length < w.count) return true;
          w.resolve();
          return false;
        });
      },
    });
    return echo;
  }

  get server(): NetServer {
    return this.#server!;
  }

  get addr(): string {
    return this.server.addr;
  }

  /** Resolves once `count` accepted connections have closed. */
  closedCount(count: number): Promise<void> {
    if (this.closes.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** Messages a dialled connection receives, awaited one at a time. */
export class Inbox {
  readonly #queue: WireMessage[] = [];
  #waiter: ((m: WireMessage) => void) | null = null;

  push(m: WireMessage): void {
    const w = this.#waiter;
    if (w !== null) {
      this.#waiter = null;
      w(m);
    } else {
      this.#queue.push(m);
    }
  }

  next(): Promise<WireMessage> {
    const m = this.#queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve) => (this.#waiter = resolve));
  }
}

export interface Dialled {
  conn: MessageConn;
  inbox: Inbox;
  closedWith: Promise<CloseReason>;
}

export async function dialEcho(addr: string, opts: Partial<DialOptions> = {}): Promise<Dialled> {
  const inbox = new Inbox();
  let resolveClosed!: (r: CloseReason) => void;
  const closedWith = new Promise<CloseReason>((r) => (resolveClosed = r));
  const conn = await dial(addr, {
    client: CLIENT,
    session: SESSION,
    resume: false,
    onMessage: (m) => inbox.push(m),
    onClose: (r) => resolveClosed(r),
    ...opts,
  });
  return { conn, inbox, closedWith };
}

/** A socket that writes raw bytes and collects whole frames, undecoded. */
export class RawPeer {
  readonly socket: Socket;
  readonly frames: Uint8Array[] = [];
  readonly ended: Promise<void>;
  readonly #reader = new FrameReader(1 << 30, (p) => this.#onFrame(p));
  #waiter: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.ended = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
  }

  static async connect(addr: string, read = true): Promise<RawPeer> {
    const [host, port] = splitAddr(addr);
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const peer = new RawPeer(socket);
    if (read) socket.on("data", (c: Buffer) => peer.#reader.push(c));
    return peer;
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  send(msg: WireMessage): void {
    this.write(encodeFrame(encodeMessage(msg)));
  }

  /** Sends a well-formed hello, as dial would. */
  hello(fields: Partial<Tversion> = {}): void {
    const m = tversionMessage(1 << 20, CLIENT, SESSION, false);
    if (Object.keys(fields).length > 0) {
      const body = m.body as unknown[];
      const order: (keyof Tversion)[] = [
        "msize",
        "version",
        "fingerprint",
        "client",
        "session",
        "resume",
      ];
      for (const [k, v] of Object.entries(fields)) body[order.indexOf(k as keyof Tversion)] = v;
    }
    this.send(m);
  }

  /** The next frame, decoded. */
  async next(): Promise<WireMessage> {
    while (this.frames.length === 0) {
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    return decodeMessage(this.frames.shift()!);
  }

  #onFrame(p: Uint8Array): void {
    this.frames.push(Uint8Array.from(p));
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }
}

/** A plain TCP server that accepts and never answers. */
export async function silentServer(): Promise<{
  addr: string;
  server: Server;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    addr: `127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A plain TCP server that answers every connection's first frame with `reply`, or with a close
 * when `reply` is null.
 */
export async function scriptedServer(
  reply: WireMessage | null,
  afterReply: (socket: Socket) => void = () => {},
): Promise<{ addr: string; close(): Promise<void> }> {
  const server = createServer((s) => {
    s.on("error", () => {});
    let first = true;
    const reader = new FrameReader(1 << 30, () => {
      if (!first) return;
      first = false;
      if (reply === null) {
        s.destroy();
        return;
      }
      s.write(encodeFrame(encodeMessage(reply)));
      afterReply(s);
    });
    s.on("data", (c: Buffer) => reader.push(c));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    addr: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(":");
  return [addr.slice(0, i), Number(addr.slice(i + 1))];
}

export { SigmaError };
