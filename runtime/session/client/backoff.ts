/**
 * Redial pacing (spec 3.8): passes over the addresses separated by a delay that starts at 10 ms
 * and doubles, capped at a twentieth of the session timeout.
 */

export const INITIAL_BACKOFF_MS = 10;

/**
 * Passes are at most this share of the session timeout apart. The server detaches a session
 * one timeout after its connection went; a partition that heals in time is only survived if a
 * pass follows soon after it heals. With a quarter, a 900 ms partition of a 1 s session was
 * followed by its next pass at 1,080 ms, after the detach; a twentieth leaves a partition that
 * heals by 90% of the timeout at least 50 ms of margin for the pass that follows.
 */
export const BACKOFF_CAP_SHARE = 1 / 20;

export class Backoff {
  #next: number;
  readonly #cap: number;

  constructor(capMs: number, initialMs = INITIAL_BACKOFF_MS) {
    this.#cap = Math.max(1, capMs);
    this.#next = Math.min(initialMs, this.#cap);
  }

  /** The delay before the next pass; each call doubles the one after it, up to the cap. */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.#cap);
    return delay;
  }
}

/** Waits `ms`, or less if `signal` fires; never rejects, so callers re-check their own state. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
