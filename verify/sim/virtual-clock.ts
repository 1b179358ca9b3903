/**
 * The simulation's virtual clock: @sinonjs/fake-timers replaces the process's timers and clocks
 * (setTimeout, setInterval, setImmediate, Date, performance) for the length of one seed, and
 * `drive` advances virtual time one timer at a time, letting every promise chain settle in
 * between. No real time passes inside a seed, so a keepalive of 100 ms or a session timeout of
 * 1 s costs nothing, and the same seed runs the same callbacks in the same order.
 */
import FakeTimers from "@sinonjs/fake-timers";

// Captured before any clock is installed: the one real turn of the event loop the driver waits
// for between two virtual timers (microtasks and nextTicks all run before it).
const realImmediate = globalThis.setImmediate;
const realTurn = (): Promise<void> => new Promise((resolve) => realImmediate(resolve));

/** Virtual ms since the epoch at which every seed starts (any fixed instant would do). */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

export type VirtualClock = ReturnType<typeof FakeTimers.install>;

export function installClock(): VirtualClock {
  return FakeTimers.withGlobal(globalThis).install({
    now: SIM_EPOCH_MS,
    toFake: [
      "setTimeout",
      "clearTimeout",
      "setInterval",
      "clearInterval",
      "setImmediate",
      "clearImmediate",
      "Date",
      "performance",
    ],
  });
}

/**
 * Runs virtual time until `main` settles; returns its result. Throws when nothing is scheduled
 * but `main` has not settled (a hang the real system would show as one), or past `limitMs` of
 * virtual time.
 */
export async function drive<T>(clock: VirtualClock, main: Promise<T>, limitMs: number): Promise<T> {
  let settled = false;
  main.then(
    () => (settled = true),
    () => (settled = true),
  );
  const start = clock.now;
  for (;;) {
    await realTurn();
    if (settled) return main;
    if (clock.countTimers() === 0) throw new Error("sim: hang: nothing scheduled, run unfinished");
    if (clock.now - start > limitMs) throw new Error(`sim: run exceeded ${limitMs} virtual ms`);
    clock.next();
  }
}
