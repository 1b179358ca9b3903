/** Small helpers shared by the coordination tests. */
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

export { inFlight, isPending } from "../support/in-flight.js";
export {
  serverCounter as namedCounter,
  serverCounterReaches as namedCounterReaches,
} from "../support/server-stats.js";
