/**
 * The live channel: Server-Sent Events over plain HTTP (docs/console.md says why not
 * WebSocket). Each browser tab holds one stream; it learns the stream's id from the `hello`
 * event and names it when it asks to watch a directory.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

/** Comment lines keep idle streams from being cut by proxies and detect gone clients. */
const KEEPALIVE_MS = 15_000;
/** setTimeout's longest delay; a later end is left to the stream's other ends. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class EventStreams {
  readonly #streams = new Map<string, ServerResponse>();
  readonly #closed = new Set<(id: string) => void>();
  readonly #keepalive: NodeJS.Timeout;

  constructor() {
    this.#keepalive = setInterval(() => {
      for (const res of this.#streams.values()) res.write(": keepalive\n\n");
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  get count(): number {
    return this.#streams.size;
  }

  /**
   * Starts a stream on `res`, sends `hello(id)` first, and returns the id. `endAt` (ms since the
   * epoch): the stream is ended then (a bearer token's expiry).
   */
  open(res: ServerResponse, hello: (id: string) => unknown, endAt?: number): string {
    const id = randomUUID();
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 1000\n\n");
    this.#streams.set(id, res);
    // A browser that went away mid-write is noticed by "close"; its write errors are not news.
    res.on("error", () => undefined);
    const delay = endAt === undefined ? Infinity : endAt - Date.now();
    const ending =
      delay <= MAX_TIMER_MS ? setTimeout(() => res.end(), Math.max(0, delay)) : undefined;
    ending?.unref();
    res.on("close", () => {
      clearTimeout(ending);
      if (!this.#streams.delete(id)) return;
      for (const f of this.#closed) f(id);
    });
    this.send(id, "hello", hello(id));
    return id;
  }

  has(id: string): boolean {
    return this.#streams.has(id);
  }

  /** Sends one event to one stream (nothing if it has gone). */
  send(id: string, event: string, data: unknown): void {
    this.#streams.get(id)?.write(frame(event, data));
  }

  /** Sends one event to every stream. */
  broadcast(event: string, data: unknown): void {
    if (this.#streams.size === 0) return;
    const text = frame(event, data);
    for (const res of this.#streams.values()) res.write(text);
  }

  /** Runs `f` with the id of every stream that ends. */
  onClosed(f: (id: string) => void): void {
    this.#closed.add(f);
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.#keepalive);
    for (const res of this.#streams.values()) res.end();
    this.#streams.clear();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
