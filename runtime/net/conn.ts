import type { Socket } from "node:net";
import { errorText } from "../errors/index.js";
import type { Logger as Debugger } from "../log.js";
import { FrameError } from "../wire/frame.js";
import { FrameReader } from "../wire/frame-reader.js";
import { FrameWriter } from "../wire/frame-writer.js";
import { formatAddr } from "./addr.js";
import { encodeMessage } from "./message.js";
import type { PartialFrameBudget } from "./partial-budget.js";
import { MessageDecoder } from "./message-decode.js";
import { MessageEncoder } from "./message-encode.js";
import type { CloseReason, MessageConn, WireMessage } from "./types.js";

/** Where a connection's messages and its end go; netclnt and netsrv swap it after the hello. */
export interface ConnHandler {
  onMessage(conn: FramedConn, msg: WireMessage): void;
  onClose(conn: FramedConn, reason: CloseReason): void;
}

export interface FramedConnOptions {
  /** The peer, `host:port`. */
  remote: string;
  /** Largest frame received or sent until the hello negotiates a smaller one. */
  maxFrame: number;
  /** Reading pauses while the socket buffers more than this many unsent bytes. */
  writeHighWater: number;
  log: Debugger;
  /** Server side: the budget of bytes held in unfinished frames over all connections. */
  partialBudget?: PartialFrameBudget;
  /** The verified client certificate's CN (mutual TLS, server side). */
  peerUser?: string | undefined;
}

/** After a graceful close, a peer that does not take our last bytes is cut off this much later. */
const LINGER_MS = 2000;

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * A MessageConn over a socket. Writes made in one event-loop turn leave in one syscall: frames
 * gather in a FrameWriter and are flushed on the next tick, so 64 pipelined requests cost one
 * write, not 64; a sender that knows nothing follows (`send(msg, true)`) flushes at once. Reading pauses while the socket holds more than writeHighWater unsent bytes,
 * so a peer that never reads its replies cannot make us buffer without bound.
 *
 * Nothing thrown inside a socket callback escapes: a bad frame closes the connection with
 * "protocol" (or "frame-too-large"), a handler that throws closes it with "error"; both logged.
 */
export class FramedConn implements MessageConn {
  readonly remote: string;
  readonly peerUser: string | undefined;
  readonly closed: Promise<CloseReason>;
  readonly #socket: Socket;
  readonly #reader: FrameReader;
  readonly #writer = new FrameWriter();
  readonly #encoder = new MessageEncoder();
  readonly #decoder = new MessageDecoder();
  readonly #writeHighWater: number;
  readonly #log: Debugger;
  readonly #budget: PartialFrameBudget | null;
  // What the budget was last told this connection holds.
  #budgeted = 0;
  #handler: ConnHandler;
  #maxFrame: number;
  #isClosed = false;
  #resolveClosed!: (reason: CloseReason) => void;
  #flushScheduled = false;
  #blocked = false;
  #unblocked: Promise<void> | null = null;
  #resolveUnblocked: (() => void) | null = null;
  #linger: NodeJS.Timeout | null = null;
  // Once bound by the hello, every frame must name this client and session (spec 2.2, rule 6).
  #client: bigint | null = null;
  #session = 0n;
  // Counted, not timed, so the receive path reads no clock: netsrv's deadline sweep compares
  // them between its passes to tell an idle connection or a frame that never finishes.
  #chunksReceived = 0;
  #framesReceived = 0;

  // Bound once here, so the per-message paths allocate no closures.
  readonly #flushTick = (): void => this.#flush();
  // A write's callback costs a tick of its own, so only writes that leave the socket above our
  // mark get one. While the buffer is above the mark its last write always has one (it was made
  // above the mark), so the callback that finds it back below the mark is never missed.
  readonly #writeChunk = (chunk: Uint8Array): void => {
    const socket = this.#socket;
    if (socket.writableLength + chunk.length > this.#writeHighWater) {
      socket.write(chunk, this.#afterWrite);
    } else {
      socket.write(chunk);
    }
  };
  readonly #afterWrite = (): void => {
    if (this.#blocked && this.#socket.writableLength <= this.#writeHighWater) this.#unblock();
  };

  constructor(socket: Socket, handler: ConnHandler, opts: FramedConnOptions) {
    this.remote = opts.remote;
    this.peerUser = opts.peerUser;
    this.#socket = socket;
    this.#handler = handler;
    this.#maxFrame = opts.maxFrame;
    this.#writeHighWater = opts.writeHighWater;
    this.#log = opts.log;
    this.#budget = opts.partialBudget ?? null;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#reader = new FrameReader(opts.maxFrame, (payload) => this.#onPayload(payload));

    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("end", () => {
      if (this.#reader.partialBytes > 0) {
        this.#log(
          "%s: closed by peer mid-frame (%d bytes held)",
          this.remote,
          this.#reader.partialBytes,
        );
      }
      this.#terminate("remote", false);
    });
    socket.on("error", (err) => {
      this.#log("%s: socket error: %s", this.remote, err.message);
      this.#terminate("error", true);
    });
    socket.on("close", (hadError) => {
      if (this.#linger !== null) clearTimeout(this.#linger);
      this.#terminate(hadError ? "error" : "remote", true);
    });
  }

  get maxFrame(): number {
    return this.#maxFrame;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Bytes sent and not yet handed to the kernel: the socket's buffer plus frames not flushed. */
  get bufferedBytes(): number {
    return this.#socket.writableLength + this.#writer.pendingBytes;
  }

  /** Data events so far: changes whenever the peer sends anything. */
  get chunksReceived(): number {
    return this.#chunksReceived;
  }

  /** Frames completed so far. */
  get framesReceived(): number {
    return this.#framesReceived;
  }

  /** Bytes of a frame begun and not yet complete. */
  get partialBytes(): number {
    return this.#reader.partialBytes;
  }

  /** Whether reading is paused because the peer does not take its replies. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Lowers the frame limit both ways to what the hello negotiated. */
  setMaxFrame(maxFrame: number): void {
    this.#maxFrame = maxFrame;
    this.#reader.maxFrame = maxFrame;
  }

  /** From now on every received frame must name this client and session. */
  bind(client: bigint, session: bigint): void {
    this.#client = client;
    this.#session = session;
    this.#encoder.bind(client, session);
    this.#decoder.bind(client, session);
  }

  setHandler(handler: ConnHandler): void {
    this.#handler = handler;
  }

  send(msg: WireMessage, now = false): void {
    if (this.#isClosed) return;
    // The hand-written encoder covers every well-typed header; the generic one the rest.
    const encoder = this.#encoder;
    const headLength = encoder.encodeHead(msg);
    if (headLength >= 0) {
      if (this.#tooLarge(headLength + msg.data.length)) return;
      this.#writer.appendFrame(encoder.head, headLength, msg.data);
    } else {
      const payload = encodeMessage(msg);
      if (this.#tooLarge(payload.length)) return;
      this.#writer.append(payload);
    }
    if (now) {
      // A flush already scheduled then finds nothing left and returns.
      this.#flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flushTick);
    }
  }

  // The peer would refuse the frame and close anyway; the session layer should have chunked.
  #tooLarge(length: number): boolean {
    if (length <= this.#maxFrame) return false;
    this.#fail(
      "frame-too-large",
      `sending a frame of ${length} bytes, above the negotiated ${this.#maxFrame}`,
    );
    return true;
  }

  writable(): Promise<void> {
    if (this.#isClosed) return RESOLVED;
    if (!this.#blocked) {
      if (this.#socket.writableLength + this.#writer.pendingBytes <= this.#writeHighWater) {
        return RESOLVED;
      }
      this.#flush();
      if (!this.#blocked) return RESOLVED;
    }
    if (this.#unblocked === null) {
      this.#unblocked = new Promise((resolve) => (this.#resolveUnblocked = resolve));
    }
    return this.#unblocked;
  }

  /** Flushes what was sent, then ends the connection; `closed` settles at once. */
  close(reason: CloseReason = "local"): void {
    this.#terminate(reason, false);
  }

  #onData(chunk: Buffer): void {
    this.#chunksReceived++;
    try {
      this.#reader.push(chunk);
      // A frame complete in its chunk costs two field reads here, nothing more.
      const budget = this.#budget;
      if (budget !== null && !this.#isClosed) {
        const held = this.#reader.partialBytes;
        if (held !== 0 || this.#budgeted !== 0) {
          this.#budgeted = held;
          budget.note(this, held);
        }
      }
    } catch (e) {
      if (e instanceof FrameError) {
        this.#fail(e.tooLarge ? "frame-too-large" : "protocol", e.message);
      } else {
        // Decode failures are caught in #onPayload, so this is a handler that threw.
        this.#fail("error", `message handler failed: ${errorText(e)}`);
      }
    }
  }

  #onPayload(payload: Uint8Array): void {
    this.#framesReceived++;
    let msg: WireMessage;
    try {
      msg = this.#decoder.decode(payload);
    } catch (e) {
      this.#fail("protocol", `undecodable frame: ${errorText(e)}`);
      return;
    }
    const client = this.#client;
    if (client !== null && (msg.header.client !== client || msg.header.session !== this.#session)) {
      this.#fail(
        "protocol",
        `frame names client ${msg.header.client} session ${msg.header.session}, ` +
          `connection is bound to client ${client} session ${this.#session}`,
      );
      return;
    }
    this.#handler.onMessage(this, msg);
  }

  #flush(): void {
    this.#flushScheduled = false;
    const writer = this.#writer;
    const count = writer.chunkCount;
    if (count === 0 || this.#socket.destroyed) return;
    const socket = this.#socket;
    // Several chunks (a large payload among small frames) still leave in one writev.
    if (count > 1) socket.cork();
    writer.flush(this.#writeChunk);
    if (count > 1) socket.uncork();
    if (!this.#blocked && socket.writableLength > this.#writeHighWater) {
      this.#blocked = true;
      socket.pause();
    }
  }

  // 'drain' is not enough to learn that the buffer went below our mark: it only fires when
  // the stream's own (smaller or larger) mark was crossed. Every write's callback is.
  #unblock(): void {
    this.#blocked = false;
    if (!this.#isClosed) this.#socket.resume();
    const resolve = this.#resolveUnblocked;
    this.#unblocked = null;
    this.#resolveUnblocked = null;
    if (resolve !== null) resolve();
  }

  #fail(reason: CloseReason, why: string): void {
    if (this.#isClosed) return;
    this.#log("%s: closing (%s): %s", this.remote, reason, why);
    this.#terminate(reason, true);
  }

  #terminate(reason: CloseReason, destroy: boolean): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#reader.stop();
    this.#budget?.release(this);
    const socket = this.#socket;
    if (destroy) {
      this.#writer.discard();
      socket.destroy();
    } else {
      this.#flush();
      socket.end();
      if (!socket.destroyed) {
        this.#linger = setTimeout(() => socket.destroy(), LINGER_MS);
        this.#linger.unref();
      }
    }
    if (this.#blocked) this.#unblock();
    this.#resolveClosed(reason);
    try {
      this.#handler.onClose(this, reason);
    } catch (e) {
      this.#log("%s: close handler failed: %s", this.remote, errorText(e));
    }
  }
}

/** `host:port` of a socket's peer. */
export function remoteOf(socket: Socket): string {
  return formatAddr(socket.remoteAddress ?? "unknown", socket.remotePort ?? 0);
}
