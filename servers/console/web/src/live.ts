/**
 * The live channel: one EventSource per page. After every (re)connect the server names the
 * stream in `hello`; the page then asks again for every directory it shows, since a new stream
 * starts with no watches.
 */
import type { ClusterJson, DirEvent, HelloEvent, LogEntry, StatsSample } from "../../api-types.js";
import { sendJson } from "./api.js";

export interface LiveHandlers {
  hello(h: HelloEvent): void;
  dir(ev: DirEvent): void;
  log(e: LogEntry): void;
  stats(s: StatsSample): void;
  cluster(c: ClusterJson): void;
  /** The stream dropped; EventSource reconnects by itself. */
  down(): void;
}

export class Live {
  #stream: string | null = null;
  readonly #source: EventSource;

  constructor(h: LiveHandlers) {
    this.#source = new EventSource("/api/events");
    const on = <T>(name: string, f: (v: T) => void) =>
      this.#source.addEventListener(name, (ev) =>
        f(JSON.parse((ev as MessageEvent<string>).data) as T),
      );
    on<HelloEvent>("hello", (v) => {
      this.#stream = v.stream;
      h.hello(v);
    });
    on<DirEvent>("dir", h.dir);
    on<LogEntry>("log", h.log);
    on<StatsSample>("stats", h.stats);
    on<ClusterJson>("cluster", h.cluster);
    this.#source.addEventListener("error", () => {
      this.#stream = null;
      h.down();
    });
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
    this.#source.close();
  }
}
