/**
 * Fixtures for the session client's tests: a real session server whose requests the test holds
 * and releases, a TCP proxy that can cut or freeze connections, and a tap on the client's dial
 * seam that records every message both ways. Tests await these events instead of sleeping.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { decodeTclunk, decodeTwatch, encodeRversion } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType, type Header, type Tfence } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { dial } from "../../runtime/net/netclnt.js";
import { helloHeader } from "../../runtime/net/hello.js";
import { encodeMessage } from "../../runtime/net/message.js";
import type { DialOptions, MessageConn, WireMessage } from "../../runtime/net/types.js";
import { startSessionServer } from "../../runtime/session/server/session-server.js";
import type {
  DialFn,
  RequestContext,
  SessionInfo,
  SessionServer,
  SessionServerOptions,
} from "../../runtime/session/index.js";
import { NO_DATA, type RawReply } from "../../runtime/contract/index.js";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Values that arrive over time; `next(pred)` resolves with the first (past or future) match. */
export class Events<T> {
  readonly all: T[] = [];
  #waiters: { pred: (v: T) => boolean; resolve: (v: T) => void }[] = [];

  push(v: T): void {
    this.all.push(v);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(v)) return true;
      w.resolve(v);
      return false;
    });
  }

  next(pred: (v: T) => boolean = () => true): Promise<T> {
    const seen = this.all.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ pred, resolve }));
  }
}

/** A request the test server started running. */
export interface Started {
  type: number;
  fid: number;
  seqno: bigint;
  session: bigint;
  fence: Tfence;
}

/**
 * A session server answering Twatch (parks, then waits for `release(fid)`), Tclunk (answers at
 * once unless `hold(fid)` was called, and then waits without parking, holding up the session's
 * later requests) and Tdetach.
 */
export interface TestServer {
  readonly server: SessionServer;
  readonly addr: string;
  readonly started: Events<Started>;
  readonly detached: Events<SessionInfo>;
  hold(fid: number): void;
  release(fid: number): void;
  /** How many times a request with this fid ran. */
  runs(fid: number): number;
  close(): Promise<void>;
}

export type TestServerOptions = Partial<Omit<SessionServerOptions, "dispatch">>;

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const started = new Events<Started>();
  const detached = new Events<SessionInfo>();
  const gates = new Map<number, Deferred<void>>();
  const gate = (fid: number): Deferred<void> => {
    let g = gates.get(fid);
    if (g === undefined) gates.set(fid, (g = deferred()));
    return g;
  };
  const held = new Set<number>();
  const reply = (type: number): RawReply => ({ type, body: [], data: NO_DATA });

  const dispatch = async (
    type: number,
    body: unknown,
    _data: Uint8Array,
    ctx: RequestContext,
  ): Promise<RawReply> => {
    const note = (fid: number): void =>
      started.push({ type, fid, seqno: ctx.seqno, session: ctx.session, fence: ctx.fence });
    switch (type) {
      case MsgType.Twatch: {
        const { fid } = decodeTwatch(body);
        note(fid);
        ctx.park();
        await waitOrClose(gate(fid).promise, ctx.signal);
        return reply(MsgType.Rwatch);
      }
      case MsgType.Tclunk: {
        const { fid } = decodeTclunk(body);
        note(fid);
        if (held.has(fid)) await waitOrClose(gate(fid).promise, ctx.signal);
        return reply(MsgType.Rclunk);
      }
      case MsgType.Tdetach:
        return reply(MsgType.Rdetach);
      default:
        throw new SigmaError(ErrCode.NotSupported, String(type));
    }
  };
  const server = await startSessionServer({
    // Explicit: an undefined host would override netsrv's default.
    host: "127.0.0.1",
    ...opts,
    dispatch,
    async onDetach(session) {
      await opts.onDetach?.(session);
      detached.push(session);
    },
  });
  return {
    server,
    addr: server.addr,
    started,
    detached,
    hold: (fid) => held.add(fid),
    release: (fid) => gate(fid).resolve(),
    runs: (fid) => started.all.filter((s) => s.fid === fid).length,
    close: () => server.close(),
  };
}

function waitOrClose(p: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    void p.then(resolve);
  });
}

/** What a tapped client sent and received, in order, per connection. */
export interface Tap {
  readonly dial: DialFn;
  readonly sent: Events<WireMessage>;
  readonly received: Events<WireMessage>;
  /** Every successful dial: the address and whether it resumed. */
  readonly connections: Events<{ addr: string; resume: boolean }>;
}

export function tap(): Tap {
  const sent = new Events<WireMessage>();
  const received = new Events<WireMessage>();
  const connections = new Events<{ addr: string; resume: boolean }>();
  const tapped: DialFn = async (addr: string, opts: DialOptions): Promise<MessageConn> => {
    const conn = await dial(addr, {
      ...opts,
      onMessage(msg) {
        received.push(msg);
        opts.onMessage(msg);
      },
      onClose: (reason) => opts.onClose?.(reason),
    });
    connections.push({ addr, resume: opts.resume });
    const send = conn.send.bind(conn);
    conn.send = (msg: WireMessage): void => {
      if (!conn.isClosed) sent.push(msg);
      send(msg);
    };
    return conn;
  };
  return { dial: tapped, sent, received, connections };
}

export const seqnosOf = (msgs: readonly WireMessage[]): number[] =>
  msgs.map((m) => Number(m.header.seqno));

export const isType =
  (type: number) =>
  (m: WireMessage): boolean =>
    m.header.type === type;

/**
 * A TCP proxy in front of one server. `cut()` drops every connection through it; `freeze()`
 * makes it a black hole (connections accepted and kept, bytes dropped) until `thaw()`.
 */
export interface Proxy {
  readonly addr: string;
  cut(): void;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const [host, port] = splitAddr(target);
  const sockets = new Set<Socket>();
  let frozen = false;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server: Server = createServer((down) => {
    track(down);
    if (frozen) return void down.resume();
    const up = connect({ host, port });
    track(up);
    const forward = (from: Socket, to: Socket): void => {
      from.on("data", (chunk: Buffer) => {
        if (!frozen) to.write(chunk);
      });
      from.on("close", () => to.destroy());
    };
    forward(down, up);
    forward(up, down);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy: no TCP address");
  return {
    addr: `127.0.0.1:${address.port}`,
    cut() {
      for (const s of sockets) s.destroy();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A server that answers every hello with another schema's fingerprint, as a peer built from a
 * different schema would.
 */
export async function startMismatchedServer(): Promise<{ addr: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => s.destroy());
    s.once("data", () => {
      const header: Header = helloHeader(MsgType.Rversion, 0n, 0n);
      const body = encodeRversion({ msize: 1 << 20, version: "sigmap", fingerprint: "0badc0de" });
      const payload = encodeMessage({ header, body, data: NO_DATA });
      const frame = Buffer.alloc(4 + payload.length);
      frame.writeUInt32BE(payload.length, 0);
      frame.set(payload, 4);
      s.end(frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    addr: `127.0.0.1:${address.port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An address nothing listens on (a port bound, then released). */
export async function deadAddr(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${address.port}`;
}

function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(":");
  return [addr.slice(0, i), Number(addr.slice(i + 1))];
}
