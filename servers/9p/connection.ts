/**
 * One 9P connection: frames in, version negotiation, tags in flight, Tflush, replies out. Requests
 * run concurrently and reply in any order, as 9P allows. Any protocol violation (a bad frame, an
 * unknown type, a fid never attached, a walk of more than 16 names, a tag reused while in flight)
 * closes this connection with a logged reason; other connections are not affected.
 */
import type { Socket } from "node:net";
import { logger } from "../../runtime/log.js";
import { type AnyMsg, decodeMessage, encodeFrameParts, FrameError, msgName } from "./codec.js";
import { Errno, errnoOf } from "./errno.js";
import { FidTable, ProtocolError } from "./fid-table.js";
import { FrameReader } from "./frame-reader.js";
import { CLASSIC_REQUESTS, VERSION_9P2000L } from "./messages.js";
import { type RequestHost, serveRequest } from "./requests.js";
import { type Node, type OpCtx, RequestCtx } from "./tree.js";

const log = logger("9p");

/** The connection's settings (merged once in gateway.ts). */
export interface ConnectionConfig {
  maxMsize: number;
  minMsize: number;
  maxFids: number;
  maxInflight: number;
  /** Bytes of unsent replies above which the connection stops reading requests. */
  maxPendingWrite: number;
}

/** What the connection needs from the gateway: the tree behind an aname, and its end. */
export interface ConnectionHooks {
  attachRoot(uname: string, nUname: number, aname: string, ctx: OpCtx): Promise<Node>;
  /** Called once when the connection has closed, with the reason (`"eof"` for a clean end). */
  closed(reason: string): Promise<void>;
}

interface InFlight {
  readonly ctx: RequestCtx;
  /** Set by Tflush or a reset: the reply must not be sent. */
  flushed: boolean;
  done: Promise<void>;
}

export class Connection implements RequestHost {
  fids: FidTable;
  msize: number;
  #versioned = false;
  readonly #inflight = new Map<number, InFlight>();
  readonly #reader: FrameReader;
  #closed = false;
  #finish!: () => void;
  /** Settles once the connection has closed and its cleanup (the `closed` hook) is done. */
  readonly finished = new Promise<void>((resolve) => {
    this.#finish = resolve;
  });
  #paused = false;

  constructor(
    readonly sock: Socket,
    readonly config: ConnectionConfig,
    readonly hooks: ConnectionHooks,
  ) {
    this.msize = config.maxMsize;
    this.fids = new FidTable(config.maxFids);
    this.#reader = new FrameReader(() => this.msize);
    sock.setNoDelay(true);
    sock.on("data", (chunk: Buffer) => this.#onData(chunk));
    sock.on("end", () => this.close("eof"));
    sock.on("error", (e) => this.close(`socket error: ${e.message}`));
    sock.on("close", () => this.close("eof"));
    sock.on("drain", () => this.#flow());
  }

  /** The remote address, for logs. */
  get remote(): string {
    return `${this.sock.remoteAddress ?? "?"}:${this.sock.remotePort ?? "?"}`;
  }

  attachRoot(uname: string, nUname: number, aname: string, ctx: OpCtx): Promise<Node> {
    return this.hooks.attachRoot(uname, nUname, aname, ctx);
  }

  /** Closes the connection: every request in flight is cancelled, every fid released. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (reason !== "eof") log("%s: closing: %s", this.remote, reason);
    this.sock.destroy();
    const pending = this.#cancelAll();
    void pending
      .then(() => this.fids.clear())
      .then(() => this.hooks.closed(reason))
      .catch((e: unknown) => log("%s: cleanup failed: %O", this.remote, e))
      .finally(() => this.#finish());
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      this.#reader.push(chunk, (frame) => this.#onFrame(frame));
    } catch (e) {
      if (e instanceof FrameError || e instanceof ProtocolError) return this.close(reasonOf(e));
      // A bug must cost this connection, never the gateway.
      this.close(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  #onFrame(frame: Buffer): void {
    if (this.#closed) return;
    const num = frame.readUInt8(4);
    const tag = frame.readUInt16LE(5);
    if (CLASSIC_REQUESTS.has(num) && this.#versioned) {
      this.#checkTag(tag);
      this.#send({ type: "Rlerror", tag, ecode: Errno.EOPNOTSUPP });
      return;
    }
    const name = msgName(num);
    if (name === undefined || name.startsWith("R")) {
      throw new ProtocolError(`message type ${num} is not a 9P2000.L request`);
    }
    const m = decodeMessage(frame);
    if (m.type === "Tversion") return this.#version(m.msize, m.version, tag);
    if (!this.#versioned) throw new ProtocolError(`${m.type} before Tversion`);
    this.#checkTag(tag);
    if (m.type === "Tflush") return this.#flush(tag, m.oldtag);
    this.#start(m);
  }

  #checkTag(tag: number): void {
    if (this.#inflight.has(tag)) throw new ProtocolError(`tag ${tag} is already in flight`);
  }

  #version(msize: number, version: string, tag: number): void {
    if (msize < this.config.minMsize) {
      throw new ProtocolError(`msize ${msize} is below ${this.config.minMsize}`);
    }
    // A Tversion starts the connection over: outstanding requests are abandoned, fids released.
    // A fresh table, so that a late reply of an abandoned request cannot land in the new one;
    // the old one is emptied again once those requests have all settled.
    const old = this.fids;
    this.fids = new FidTable(this.config.maxFids);
    void old.clear();
    void this.#cancelAll().then(() => old.clear());
    this.msize = Math.min(msize, this.config.maxMsize);
    const ok = version === VERSION_9P2000L;
    this.#versioned = ok;
    this.#send({ type: "Rversion", tag, msize: this.msize, version: ok ? version : "unknown" });
  }

  #flush(tag: number, oldtag: number): void {
    const old = this.#inflight.get(oldtag);
    const entry = this.#track(tag);
    entry.done = (async () => {
      if (old !== undefined) {
        old.flushed = true;
        old.ctx.abort(new Error(`flushed by tag ${tag}`));
        await old.done;
      }
    })().then(() => this.#reply(tag, entry, { type: "Rflush", tag }));
  }

  #start(m: AnyMsg): void {
    const entry = this.#track(m.tag);
    entry.done = serveRequest(this, m, entry.ctx).then(
      (reply) => this.#reply(m.tag, entry, reply),
      (e: unknown) => {
        if (e instanceof ProtocolError) return this.close(reasonOf(e));
        this.#reply(m.tag, entry, { type: "Rlerror", tag: m.tag, ecode: errnoOf(e) });
      },
    );
  }

  #track(tag: number): InFlight {
    const entry: InFlight = { ctx: new RequestCtx(), flushed: false, done: Promise.resolve() };
    this.#inflight.set(tag, entry);
    this.#flow();
    return entry;
  }

  #reply(tag: number, entry: InFlight, reply: AnyMsg): void {
    if (this.#inflight.get(tag) === entry) this.#inflight.delete(tag);
    if (!entry.flushed) this.#send(reply);
    this.#flow();
  }

  #send(m: AnyMsg): void {
    if (this.#closed) return;
    let parts: ReturnType<typeof encodeFrameParts>;
    try {
      parts = encodeFrameParts(m);
    } catch (e) {
      // A reply the codec cannot express (a string over 65535 bytes): the request fails instead.
      log("%s: cannot encode %s: %O", this.remote, m.type, e);
      return this.#send({ type: "Rlerror", tag: m.tag, ecode: Errno.EIO });
    }
    const size = parts[0].readUInt32LE(0);
    if (size > this.msize) {
      // A reply the client cannot take (a directory entry or a string near the limit).
      return this.#send({ type: "Rlerror", tag: m.tag, ecode: Errno.EMSGSIZE });
    }
    if (parts.length === 1) {
      this.sock.write(parts[0]);
    } else {
      // Head and payload in one writev: the payload (often many KiB) is not copied.
      this.sock.cork();
      this.sock.write(parts[0]);
      this.sock.write(parts[1]);
      this.sock.uncork();
    }
    // write() says false past the stream's 16 KiB mark, which one Rread passes by itself; pausing
    // the reader on that would cost a stop and a restart per read. The bound is our own.
    if (this.sock.writableLength > this.config.maxPendingWrite) this.#flow();
  }

  /** Stops reading while too many requests are in flight or replies are not being taken. */
  #flow(): void {
    if (this.#closed) return;
    const stop =
      this.#inflight.size >= this.config.maxInflight ||
      this.sock.writableLength > this.config.maxPendingWrite;
    if (stop && !this.#paused) {
      this.#paused = true;
      this.sock.pause();
    } else if (!stop && this.#paused) {
      this.#paused = false;
      this.sock.resume();
    }
  }

  async #cancelAll(): Promise<void> {
    const all = [...this.#inflight.values()];
    this.#inflight.clear();
    for (const e of all) {
      e.flushed = true;
      e.ctx.abort(new Error("connection reset"));
    }
    await Promise.all(all.map((e) => e.done.catch(() => undefined)));
  }
}

function reasonOf(e: FrameError | ProtocolError): string {
  return e instanceof FrameError ? e.message : `protocol violation: ${e.reason}`;
}
