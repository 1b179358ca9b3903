/**
 * Reads the console's event stream the way EventSource does, for tests: `next(name, match)`
 * resolves with the first event of that name (already received or still to come) that matches.
 */
export interface SseEvent {
  event: string;
  data: unknown;
}

export class SseClient {
  readonly #events: SseEvent[] = [];
  readonly #waiters: {
    name: string;
    match: (d: unknown) => boolean;
    resolve: (d: unknown) => void;
  }[] = [];
  readonly #abort = new AbortController();
  readonly done: Promise<void>;

  private constructor(body: ReadableStream<Uint8Array>) {
    this.done = this.#read(body).catch(() => undefined);
  }

  /** `token`: sent as `Authorization: Bearer`, as the page does. */
  static async open(url: string, token?: string): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, {
      signal: abort.signal,
      headers: {
        accept: "text/event-stream",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
    if (res.status !== 200 || res.body === null) throw new Error(`event stream: ${res.status}`);
    const c = new SseClient(res.body);
    c.#abort.signal.addEventListener("abort", () => abort.abort());
    return c;
  }

  /** The first event `name` whose data satisfies `match`, seen or to come. */
  next<T = unknown>(name: string, match: (d: T) => boolean = () => true): Promise<T> {
    const seen = this.#events.find((e) => e.event === name && match(e.data as T));
    if (seen !== undefined) return Promise.resolve(seen.data as T);
    return new Promise<T>((resolve) => {
      this.#waiters.push({ name, match: (d) => match(d as T), resolve: (d) => resolve(d as T) });
    });
  }

  /** Every event received so far named `name`. */
  all<T = unknown>(name: string): T[] {
    return this.#events.filter((e) => e.event === name).map((e) => e.data as T);
  }

  close(): void {
    this.#abort.abort();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        this.#deliver(block);
      }
    }
  }

  #deliver(block: string): void {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    const e = { event, data: JSON.parse(data.join("\n")) as unknown };
    this.#events.push(e);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i];
      if (w !== undefined && w.name === e.event && w.match(e.data)) {
        this.#waiters.splice(i, 1);
        w.resolve(e.data);
      }
    }
  }
}
