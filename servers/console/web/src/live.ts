/**
 * The live channel: one event stream per page, read with fetch so that it carries the page's
 * token (sse-reader.ts says why not EventSource). After every (re)connect the server names the
 * stream in `hello`; the page then asks again for every directory it shows, since a new stream
 * starts with no watches. A dropped stream is reopened after a second; a 401 (the token expired
 * or was refused) is not retried: the session shows the login form.
 */
import type { ClusterJson, DirEvent, HelloEvent, LogEntry, StatsSample } from "../../api-types.js";
import { errorBodyOf, noteRefusal, sendJson } from "./api.js";
import { authHeaders, session } from "./session.js";
import { readEvents } from "./sse-reader.js";

/** How long a dropped stream waits before it reconnects (what the server's `retry:` says). */
const RETRY_MS = 1000;

export interface LiveHandlers {
  hello(h: HelloEvent): void;
  dir(ev: DirEvent): void;
  log(e: LogEntry): void;
  stats(s: StatsSample): void;
  cluster(c: ClusterJson): void;
  /** The stream dropped; it reconnects by itself. */
  down(): void;
}

export class Live {
  #stream: string | null = null;
  readonly #stop = new AbortController();
  readonly #h: LiveHandlers;

  constructor(h: LiveHandlers) {
    this.#h = h;
    void this.#run();
  }

  get connected(): boolean {
    return this.#stream !== null;
  }

  /** Starts (or stops) live updates of a directory; resolves once its watch is armed. */
  async watch(path: string, on: boolean): Promise<void> {
    if (this.#stream === null) return;
    await sendJson("POST", "/api/watch", { stream: this.#stream, path, on });
  }

  close(): void {
    this.#stop.abort();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const sent = session.token;
      try {
        const res = await fetch("/api/events", {
          headers: authHeaders(sent),
          cache: "no-store",
          signal,
        });
        if (res.status === 401) {
          noteRefusal(401, await errorBodyOf(res), sent);
          return;
        }
        if (res.ok && res.body !== null) await readEvents(res.body, (e, d) => this.#on(e, d));
      } catch {
        // Unreachable console or a cut stream: try again below, like EventSource would.
      }
      if (signal.aborted) return;
      this.#stream = null;
      this.#h.down();
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  #on(event: string, data: string): void {
    const h = this.#h;
    const v: unknown = JSON.parse(data);
    switch (event) {
      case "hello":
        this.#stream = (v as HelloEvent).stream;
        h.hello(v as HelloEvent);
        break;
      case "dir":
        h.dir(v as DirEvent);
        break;
      case "log":
        h.log(v as LogEntry);
        break;
      case "stats":
        h.stats(v as StatsSample);
        break;
      case "cluster":
        h.cluster(v as ClusterJson);
        break;
    }
  }
}
