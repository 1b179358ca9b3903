/**
 * A proc's end of its channel to procd: requests (started, exited) that procd acknowledges once
 * named holds the result. The descriptor is kept unreferenced except while a request waits, so
 * the channel never keeps a finished proc alive.
 */
import { Socket } from "node:net";
import type { FromProcd, ToProcd } from "../proc-channel/channel-messages.js";
import { LineChannel } from "../proc-channel/line-channel.js";
import type { Status } from "../proc-channel/status.js";

/** The proc side of the channel to procd. */
export class ProcdChannel {
  readonly #lines: LineChannel<FromProcd, ToProcd>;
  readonly #socket: Socket;
  readonly #waiting = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
  #nextId = 1;
  #runHandler: ((msg: Extract<FromProcd, { t: "run" }>) => void) | null = null;
  readonly #tokenHandlers: ((token: string) => void)[] = [];

  private constructor(fd: number) {
    this.#socket = new Socket({ fd, readable: true, writable: true });
    this.#socket.unref();
    this.#lines = new LineChannel(this.#socket);
    this.#lines.onMessage((msg) => this.#receive(msg));
    this.#lines.onClose(() => {
      for (const w of this.#waiting.values()) w.fail(new Error("procd went away"));
      this.#waiting.clear();
    });
  }

  /** The channel on descriptor `fd`; one per process, however often it is asked for. */
  static open(fd: number): ProcdChannel {
    let ch = channels.get(fd);
    if (ch === undefined) {
      ch = new ProcdChannel(fd);
      channels.set(fd, ch);
    }
    return ch;
  }

  /** Tells procd the proc has started; resolves once procd has raised the parent's start-sem. */
  started(): Promise<void> {
    return this.#request((id) => ({ t: "started", id }));
  }

  /** Tells procd the proc's status; resolves once the status is in named and the procdir gone. */
  exited(status: Status): Promise<void> {
    return this.#request((id) => ({ t: "exited", id, status }));
  }

  /** Runs `fn` with each renewed token procd sends (SIGMA_TOKEN's successors). */
  onToken(fn: (token: string) => void): void {
    this.#tokenHandlers.push(fn);
  }

  /** Runs `fn` when procd goes away. */
  onClose(fn: () => void): void {
    this.#lines.onClose(fn);
  }

  /**
   * For a warm runtime: says it is ready and keeps the process alive until procd hands it a
   * module to run.
   */
  awaitRun(): Promise<Extract<FromProcd, { t: "run" }>> {
    return new Promise((resolve, reject) => {
      this.#socket.ref();
      this.#runHandler = (msg) => {
        this.#socket.unref();
        resolve(msg);
      };
      this.#lines.onClose(() => reject(new Error("procd went away")));
      this.#lines.send({ t: "ready" });
    });
  }

  #request(make: (id: number) => ToProcd): Promise<void> {
    const id = this.#nextId++;
    return new Promise<void>((ok, fail) => {
      if (!this.#lines.send(make(id))) return fail(new Error("procd went away"));
      this.#waiting.set(id, { ok, fail });
      this.#socket.ref();
    });
  }

  #receive(msg: FromProcd): void {
    if (msg.t === "run") {
      this.#runHandler?.(msg);
      return;
    }
    if (msg.t === "token") {
      for (const fn of this.#tokenHandlers) fn(msg.token);
      return;
    }
    const w = this.#waiting.get(msg.id);
    if (w === undefined) return;
    this.#waiting.delete(msg.id);
    if (this.#waiting.size === 0) this.#socket.unref();
    if (msg.error === undefined) w.ok();
    else w.fail(new Error(`procd: ${msg.error}`));
  }
}

const channels = new Map<number, ProcdChannel>();
