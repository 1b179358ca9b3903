/** Small helpers shared by the coordination tests. */
import type { FsLib } from "../../runtime/client/index.js";

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The error `p` rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
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

/** A counter of named's `.statsd` (e.g. Nwatch, Ncreate). */
export async function namedCounter(fsl: FsLib, name: string): Promise<number> {
  const stats = JSON.parse(text(await fsl.getFile("name/.statsd"))) as Record<string, number>;
  const v = stats[name];
  if (typeof v !== "number") throw new Error(`no counter ${name} in .statsd`);
  return v;
}

/**
 * Resolves once named has received `n` more requests counted as `name` than `before`: the way to
 * know that a blocking request (a watch, an OWATCH create) has reached the server, without sleeping.
 */
export async function namedCounterReaches(fsl: FsLib, name: string, target: number): Promise<void> {
  while ((await namedCounter(fsl, name)) < target) {
    await new Promise((r) => setImmediate(r));
  }
}
