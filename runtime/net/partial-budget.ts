/**
 * The server-wide budget of bytes held in unfinished frames (issue 10): without it every
 * connection may hold a frame up to maxFrame, and maxConnections × maxFrame is far more memory
 * than a server has.
 */
import type { Logger as Debugger } from "../log.js";
import type { CloseReason } from "./types.js";

/** What the budget needs of a connection holding part of a frame. */
export interface PartialHolder {
  readonly remote: string;
  close(reason: CloseReason): void;
}

/**
 * Counts the bytes of unfinished frames over all connections; past `limit` it closes the
 * connections whose frames have waited longest for a byte, until the total is back under it.
 *
 * Waited longest, not largest: a frame that is arriving is always the most recent, so an honest
 * upload in full flow (or any small frame, which is never partial for long) is the last to be
 * chosen, while bytes parked to hold memory age. Pausing instead would free nothing (a paused
 * connection keeps what it holds) and could stop every holder at once, none able to finish.
 */
export class PartialFrameBudget {
  readonly limit: number;
  /** Connections closed to get back under the limit. */
  evictions = 0;
  readonly #log: Debugger;
  readonly #addr: string;
  #bytes = 0;
  // A Map iterates in insertion order and `note` re-inserts, so the first is the stalest.
  readonly #held = new Map<PartialHolder, number>();

  constructor(limit: number, log: Debugger, addr: string) {
    this.limit = limit;
    this.#log = log;
    this.#addr = addr;
  }

  /** Bytes held in unfinished frames now, over all connections. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Connections holding part of a frame now. */
  get holders(): number {
    return this.#held.size;
  }

  /** `holder` received bytes and now holds `bytes` of an unfinished frame (0: none). */
  note(holder: PartialHolder, bytes: number): void {
    this.release(holder);
    if (bytes === 0) return;
    this.#held.set(holder, bytes);
    this.#bytes += bytes;
    while (this.#bytes > this.limit && this.#held.size > 0) this.#evictStalest();
  }

  /** `holder` holds nothing any more (it closed). */
  release(holder: PartialHolder): void {
    const had = this.#held.get(holder);
    if (had === undefined) return;
    this.#held.delete(holder);
    this.#bytes -= had;
  }

  #evictStalest(): void {
    const first = this.#held.entries().next();
    if (first.done === true) return;
    const [holder, had] = first.value;
    this.release(holder);
    this.evictions++;
    this.#log(
      "%s: closing %s: its unfinished frame (%d bytes held, waiting longest) is over maxPartialFrameBytes (%d) with %d bytes held over all connections",
      this.#addr,
      holder.remote,
      had,
      this.limit,
      this.#bytes + had,
    );
    holder.close("local");
  }
}
