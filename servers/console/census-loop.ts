/**
 * Runs the census for the panels: on request (answered from a recent result when there is one)
 * and every interval while at least one page is open, pushing each result to the pages. One run
 * at a time; callers arriving meanwhile share it.
 */
import type { FsLib } from "../../runtime/client/index.js";
import type { ClusterJson } from "./api-types.js";
import { takeCensus, type CensusOptions } from "./census.js";

export interface CensusLoopOptions extends CensusOptions {
  intervalMs: number;
  /** Whether anyone is looking (an event stream is open). */
  watched(): boolean;
  publish(c: ClusterJson): void;
}

export class CensusLoop {
  readonly #fsl: FsLib;
  readonly #o: CensusLoopOptions;
  #last: ClusterJson | undefined;
  #running: Promise<ClusterJson> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(fsl: FsLib, opts: CensusLoopOptions) {
    this.#fsl = fsl;
    this.#o = opts;
  }

  start(): void {
    this.#schedule();
  }

  /** The last result if younger than the interval, else a fresh one. */
  latest(): Promise<ClusterJson> {
    if (this.#last !== undefined && Date.now() - this.#last.at < this.#o.intervalMs) {
      return Promise.resolve(this.#last);
    }
    return this.run();
  }

  /** The last result, if any, without running. */
  get last(): ClusterJson | undefined {
    return this.#last;
  }

  /** Runs now (or joins the run under way). */
  run(): Promise<ClusterJson> {
    this.#running ??= takeCensus(this.#fsl, this.#o)
      .then((c) => {
        this.#last = c;
        if (!this.#stopped) this.#o.publish(c);
        return c;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const work = this.#o.watched() ? this.run().catch(() => undefined) : Promise.resolve();
      void work.finally(() => this.#schedule());
    }, this.#o.intervalMs);
    this.#timer.unref();
  }
}
