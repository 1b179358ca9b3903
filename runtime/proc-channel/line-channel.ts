/**
 * A duplex stream carrying one JSON value per line: the transport of the proc channel on both
 * ends (procd's pipe to the child, the child's inherited descriptor).
 */
import type { Duplex } from "node:stream";

/** JSON lines over a duplex stream. */
export class LineChannel<In, Out> {
  readonly #stream: Duplex;
  #pending = "";
  #onMessage: (msg: In) => void = () => undefined;
  #closed = false;
  readonly #closeHandlers: (() => void)[] = [];

  /** Starts reading `stream` at once; messages before `onMessage` is set are dropped. */
  constructor(stream: Duplex) {
    this.#stream = stream;
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => this.#read(chunk));
    // A peer that died shows up as end, close or a reset; all of them end the channel.
    const close = (): void => this.#close();
    stream.on("end", close);
    stream.on("close", close);
    stream.on("error", close);
  }

  /** The stream underneath (for ref/unref). */
  get stream(): Duplex {
    return this.#stream;
  }

  /** Whether the peer has gone. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sets the handler of incoming messages. */
  onMessage(fn: (msg: In) => void): void {
    this.#onMessage = fn;
  }

  /** Runs `fn` once the channel ends (at once if it has). */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#closeHandlers.push(fn);
  }

  /** Sends one message; false when the channel has closed. */
  send(msg: Out): boolean {
    if (this.#closed) return false;
    this.#stream.write(`${JSON.stringify(msg)}\n`);
    return true;
  }

  /** Stops reading and closes the stream. */
  destroy(): void {
    this.#stream.destroy();
    this.#close();
  }

  #read(chunk: string): void {
    this.#pending += chunk;
    let nl: number;
    while ((nl = this.#pending.indexOf("\n")) >= 0) {
      const line = this.#pending.slice(0, nl).trim();
      this.#pending = this.#pending.slice(nl + 1);
      if (line === "") continue;
      let msg: In;
      try {
        msg = JSON.parse(line) as In;
      } catch {
        continue; // a line that is not JSON is noise, not a message
      }
      this.#onMessage(msg);
    }
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fn of this.#closeHandlers.splice(0)) fn();
  }
}
