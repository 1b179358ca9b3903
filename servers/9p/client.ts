/**
 * A small 9P2000.L client over the project's codec: for the protocol tests, the fuzzer and the
 * benchmark's load generator. It is not a file system client (no path walking, no caching): each
 * method is one request and its reply, with tags managed here.
 */
import net from "node:net";
import tls from "node:tls";
import type { TlsClientOptions } from "../../runtime/net/index.js";
import { type AnyMsg, decodeMessage, encodeMessage, type Msg, type MsgName } from "./codec.js";
import { FrameReader } from "./frame-reader.js";
import { NOFID, NONUNAME, NOTAG, VERSION_9P2000L } from "./messages.js";

/** A request: any T-message without its tag. */
export type Request = {
  [N in MsgName]: N extends `T${string}` ? Omit<Msg<N>, "tag"> : never;
}[MsgName];

/** The reply type of request `N`. */
export type ReplyOf<N> = N extends `T${infer R}`
  ? `R${R}` extends MsgName
    ? Msg<`R${R}`>
    : never
  : never;

/** An Rlerror answer. */
export class LerrorError extends Error {
  constructor(
    readonly ecode: number,
    readonly request: string,
  ) {
    super(`${request}: Rlerror ${ecode}`);
    this.name = "LerrorError";
  }
}

export interface NinepClientOptions {
  /** Largest frame the client accepts before Tversion. Default 1 MiB. */
  maxFrame?: number;
  /** Speak 9P over TLS to a gateway started with `tls`, checking its certificate against the host. */
  tls?: TlsClientOptions;
}

interface Waiter {
  request: string;
  resolve(m: AnyMsg): void;
  reject(e: Error): void;
}

export class NinepClient {
  readonly #sock: net.Socket;
  readonly #waiting = new Map<number, Waiter>();
  #nextTag = 0;
  #closedError: Error | undefined;
  /** Settles when the server closes the connection (or `close()` does). */
  readonly ended: Promise<void>;
  msize = 0;

  private constructor(sock: net.Socket, maxFrame: number) {
    this.#sock = sock;
    const reader = new FrameReader(() => Math.max(this.msize, maxFrame));
    sock.setNoDelay(true);
    sock.on("data", (chunk: Buffer) => {
      try {
        reader.push(chunk, (f) => this.#onFrame(f));
      } catch (e) {
        this.#fail(e instanceof Error ? e : new Error(String(e)));
        sock.destroy();
      }
    });
    this.ended = new Promise<void>((resolve) => {
      sock.once("close", () => {
        this.#fail(new Error("connection closed"));
        resolve();
      });
    });
    sock.on("error", (e) => this.#fail(e));
  }

  /** Connects to `addr` (`host:port`). */
  static async connect(addr: string, opts: NinepClientOptions = {}): Promise<NinepClient> {
    const i = addr.lastIndexOf(":");
    const port = Number(addr.slice(i + 1));
    const host = addr.slice(0, i);
    const t = opts.tls;
    const sock =
      t === undefined
        ? net.connect(port, host)
        : tls.connect({
            host,
            port,
            ...(net.isIP(host) === 0 ? { servername: host } : {}),
            ...(t.ca === undefined ? {} : { ca: pem(t.ca) }),
            ...(t.cert === undefined ? {} : { cert: pem(t.cert) }),
            ...(t.key === undefined ? {} : { key: pem(t.key) }),
          });
    await new Promise<void>((resolve, reject) => {
      sock.once(t === undefined ? "connect" : "secureConnect", resolve);
      sock.once("error", reject);
    });
    return new NinepClient(sock, opts.maxFrame ?? 1024 * 1024);
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closedError !== undefined;
  }

  /** Sends `req` with a fresh tag; `reply` settles with the reply (Rlerror rejects). */
  send<R extends Request>(req: R): { tag: number; reply: Promise<ReplyOf<R["type"]>> } {
    const tag = req.type === "Tversion" ? NOTAG : this.#tag();
    const reply = new Promise<AnyMsg>((resolve, reject) => {
      if (this.#closedError !== undefined) return reject(this.#closedError);
      this.#waiting.set(tag, { request: req.type, resolve, reject });
      this.#sock.write(encodeMessage({ ...req, tag } as AnyMsg));
    });
    return { tag, reply: reply as Promise<ReplyOf<R["type"]>> };
  }

  /** One request and its reply. */
  rpc<R extends Request>(req: R): Promise<ReplyOf<R["type"]>> {
    return this.send(req).reply;
  }

  /** The reply to `tag` of a request written raw (Rlerror rejects). */
  replyTo(tag: number): Promise<AnyMsg> {
    return new Promise<AnyMsg>((resolve, reject) => {
      if (this.#closedError !== undefined) return reject(this.#closedError);
      this.#waiting.set(tag, { request: `tag ${tag}`, resolve, reject });
    });
  }

  /** Writes raw bytes (the fuzzer's frames). */
  writeRaw(bytes: Uint8Array): void {
    if (this.#closedError === undefined) this.#sock.write(bytes);
  }

  /** Tversion; sets `msize` from the answer. */
  async version(msize = 65536, version = VERSION_9P2000L): Promise<Msg<"Rversion">> {
    const r = await this.rpc({ type: "Tversion", msize, version });
    this.msize = r.msize;
    return r;
  }

  /** Tattach without authentication. */
  attach(fid: number, aname: string, uname = "test", nUname = NONUNAME): Promise<Msg<"Rattach">> {
    return this.rpc({ type: "Tattach", fid, afid: NOFID, uname, aname, nUname });
  }

  walk(fid: number, newfid: number, wnames: string[]): Promise<Msg<"Rwalk">> {
    return this.rpc({ type: "Twalk", fid, newfid, wnames });
  }

  lopen(fid: number, flags: number): Promise<Msg<"Rlopen">> {
    return this.rpc({ type: "Tlopen", fid, flags });
  }

  async read(fid: number, offset: bigint, count: number): Promise<Uint8Array> {
    return (await this.rpc({ type: "Tread", fid, offset, count })).data;
  }

  async write(fid: number, offset: bigint, data: Uint8Array): Promise<number> {
    return (await this.rpc({ type: "Twrite", fid, offset, data })).count;
  }

  async clunk(fid: number): Promise<void> {
    await this.rpc({ type: "Tclunk", fid });
  }

  getattr(fid: number, requestMask = 0x3fffn): Promise<Msg<"Rgetattr">> {
    return this.rpc({ type: "Tgetattr", fid, requestMask });
  }

  /**
   * Tflush of `oldtag`. Replies come in order on one connection, so once Rflush is here the old
   * request's reply either came first or never will: a still-waiting old request then rejects
   * with "flushed".
   */
  async flush(oldtag: number): Promise<void> {
    await this.rpc({ type: "Tflush", oldtag });
    const w = this.#waiting.get(oldtag);
    if (w !== undefined) {
      this.#waiting.delete(oldtag);
      w.reject(new Error(`${w.request} flushed`));
    }
  }

  /** Closes the connection; outstanding requests reject. */
  close(): Promise<void> {
    this.#sock.end();
    this.#sock.destroySoon();
    return this.ended;
  }

  #tag(): number {
    for (let i = 0; i < 0xffff; i++) {
      const t = this.#nextTag;
      this.#nextTag = (this.#nextTag + 1) % 0xffff;
      if (!this.#waiting.has(t)) return t;
    }
    throw new Error("no free tag");
  }

  #onFrame(frame: Buffer): void {
    const m = decodeMessage(frame);
    const w = this.#waiting.get(m.tag);
    if (w === undefined) return;
    this.#waiting.delete(m.tag);
    if (m.type === "Rlerror") w.reject(new LerrorError(m.ecode, w.request));
    else w.resolve(m);
  }

  #fail(e: Error): void {
    this.#closedError ??= e;
    for (const w of this.#waiting.values()) w.reject(this.#closedError);
    this.#waiting.clear();
  }
}

function pem(v: string | Uint8Array): string | Buffer {
  return typeof v === "string" ? v : Buffer.from(v);
}
