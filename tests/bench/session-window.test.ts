import { describe, expect, it } from "vitest";
import { CallWindow } from "../../bench/suites/session/window.js";

/** Calls that complete only when the test says so, in any order. */
function manualCalls(): { call: () => Promise<void>; inFlight: () => number; finish: () => void } {
  const pending: (() => void)[] = [];
  return {
    call: () => new Promise<void>((resolve) => pending.push(resolve)),
    inFlight: () => pending.length,
    finish: () => pending.shift()?.(),
  };
}

describe("CallWindow", () => {
  it("keeps depth calls in flight: op n waits for the call issued depth ops earlier", async () => {
    const calls = manualCalls();
    const w = new CallWindow(calls.call, 3);
    for (let i = 0; i < 3; i++) await w.op(); // the window fills without waiting
    expect(calls.inFlight()).toBe(3);

    let done = false;
    const fourth = w.op().then(() => (done = true));
    expect(calls.inFlight()).toBe(4);
    await Promise.resolve();
    expect(done).toBe(false); // still waiting for the first call
    calls.finish();
    await fourth;
    expect(calls.inFlight()).toBe(3);
  });

  it("records one latency per completed call and settles every call in flight", async () => {
    const calls = manualCalls();
    const w = new CallWindow(calls.call, 4);
    for (let i = 0; i < 4; i++) await w.op();
    const settled = w.settle();
    while (calls.inFlight() > 0) calls.finish();
    await settled;
    expect(w.latency.values().length).toBe(4);
    w.latency.reset();
    expect(w.latency.values().length).toBe(0);
    // After settling the window starts empty again.
    await w.op();
    expect(calls.inFlight()).toBe(1);
  });

  it("raises a failed call on a later op and on settle, never as an unhandled rejection", async () => {
    let n = 0;
    const w = new CallWindow(
      () => (n++ === 0 ? Promise.reject(new Error("boom")) : Promise.resolve()),
      2,
    );
    await w.op(); // the failing call, not awaited yet
    await expect(w.op()).rejects.toThrow("boom");
    await expect(w.settle()).rejects.toThrow("boom");
  });
});
