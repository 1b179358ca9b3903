/**
 * Long server-side runs (a dead session's cleanup) cut into slices that yield to the event loop,
 * so that one client's mass of state cannot stall named for everyone: named runs on one thread,
 * and a stall longer than the reconnect window closes every other session.
 */
import { setImmediate as yieldToLoop } from "node:timers/promises";

/**
 * A slice's budget of work between yields. Each unit of work (one removal, one close) costs a
 * few microseconds, so a slice is a few hundred of them; 2 ms keeps other clients' requests
 * waiting no longer than a busy request of their own would.
 */
export const SLICE_MS = 2;

export class Slicer {
  readonly #budgetMs: number;
  #start = performance.now();

  constructor(budgetMs = SLICE_MS) {
    this.#budgetMs = budgetMs;
  }

  /** Call before each unit of work: yields to the event loop once the slice's budget is spent. */
  async turn(): Promise<void> {
    if (performance.now() - this.#start < this.#budgetMs) return;
    await yieldToLoop();
    this.#start = performance.now();
  }
}
