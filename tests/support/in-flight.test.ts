import { describe, expect, it } from "vitest";
import { inFlight, isPending } from "./in-flight.js";

describe("inFlight", () => {
  it("a call that fails before the test awaits it is no unhandled rejection, and still fails", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const call = inFlight(Promise.reject(new Error("early")));
      // Node reports unhandled rejections once the microtask queue has drained.
      await new Promise((r) => setImmediate(r));
      await expect(call).rejects.toThrow("early");
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("isPending tells a parked call from a settled one", async () => {
    expect(await isPending(new Promise(() => undefined))).toBe(true);
    expect(await isPending(Promise.resolve(1))).toBe(false);
    expect(await isPending(inFlight(Promise.reject(new Error("x"))))).toBe(false);
  });
});
