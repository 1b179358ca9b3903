/**
 * The raw-TCP baseline's client: writes a request frame, resolves when a reply frame comes back.
 * Replies arrive in request order, so pending calls are a FIFO. Per-message mode writes each
 * request at once (one socket write per message); batched mode gathers the requests issued in
 * one event-loop turn into a single write.
 */
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { fillerFrame, FrameReader, repeatFrame } from "./frame-reader.js";
import { TcpMode } from "./tcp-mode.js";

export interface TcpPingPongOptions {
  port: number;
  mode: TcpMode;
  requestBytes: number;
  /** Checked once per reply: a short reply would mean the server is not doing the work. */
  replyBytes: number;
}

export class TcpPingPong {
  // Pending calls, oldest first from `head`: parallel arrays instead of one object per call.
  private resolves: (() => void)[] = [];
  private rejects: ((e: Error) => void)[] = [];
  private head = 0;
  private queued = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly mode: TcpMode,
    private readonly request: Buffer,
    /** Requests back to back, for batched writes without a copy. */
    private readonly requests: Buffer,
  ) {}

  static async connect(opts: TcpPingPongOptions): Promise<TcpPingPong> {
    const socket = connect({ port: opts.port, host: "127.0.0.1", noDelay: true });
    await once(socket, "connect");
    socket.write(Buffer.of(opts.mode));
    const request = fillerFrame(opts.requestBytes);
    const client = new TcpPingPong(socket, opts.mode, request, repeatFrame(request, 256));
    const replyPayload = opts.replyBytes - 4;
    const reader = new FrameReader((payload) => {
      if (payload.length !== replyPayload) {
        client.fail(new Error(`tcp reply of ${payload.length} bytes, expected ${replyPayload}`));
      } else client.complete();
    });
    socket.on("data", (chunk: Buffer) => reader.push(chunk));
    socket.on("error", (e) => client.fail(e));
    socket.on("close", () => client.fail(new Error("tcp connection closed")));
    return client;
  }

  /** One round trip: resolves when this request's reply has arrived. */
  call(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.mode === TcpMode.perMessage) this.socket.write(this.request);
    else if (this.queued++ === 0) setImmediate(this.flush);
    return new Promise((resolve, reject) => {
      this.resolves.push(resolve);
      this.rejects.push(reject);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  // setImmediate runs after the I/O phase: every request issued while handling this turn's
  // replies is already queued by then.
  private readonly flush = (): void => {
    const n = this.queued;
    this.queued = 0;
    const bytes = n * this.request.length;
    this.socket.write(
      bytes <= this.requests.length
        ? this.requests.subarray(0, bytes)
        : repeatFrame(this.request, n),
    );
  };

  private complete(): void {
    const resolve = this.resolves[this.head];
    if (resolve === undefined) return this.fail(new Error("tcp reply without a request"));
    this.head++;
    // Drop answered slots once they are most of the arrays: small arrays, no per-call shift.
    if (this.head >= 1024 && this.head * 2 >= this.resolves.length) {
      this.resolves = this.resolves.slice(this.head);
      this.rejects = this.rejects.slice(this.head);
      this.head = 0;
    }
    resolve();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const rejects = this.rejects.slice(this.head);
    this.resolves = [];
    this.rejects = [];
    this.head = 0;
    for (const reject of rejects) reject(e);
  }
}
