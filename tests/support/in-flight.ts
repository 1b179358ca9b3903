/**
 * Calls a test starts now and awaits later. Node reports a promise that rejects before anything
 * handles it as an unhandled rejection, and vitest then fails the whole run even though every
 * test passed: a watch that fails with Version while the test is still creating files is enough.
 * Wrap such a call at its creation; awaiting the result still sees the rejection.
 */

/** `p`, already marked handled; await it later as usual. */
export function inFlight<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Whether `p` is still pending once every already-queued microtask and I/O callback has run. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  const winner = await Promise.race([
    p.then(
      () => 0,
      () => 0,
    ),
    new Promise((r) => setImmediate(() => r(marker))),
  ]);
  return winner === marker;
}
