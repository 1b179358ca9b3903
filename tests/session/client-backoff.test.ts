import { describe, expect, it } from "vitest";
import { Backoff, pause } from "../../runtime/session/client/backoff.js";
import { preferenceOrder } from "../../runtime/session/client/redial.js";

describe("redial pacing", () => {
  it("starts at 10 ms and doubles up to the cap", () => {
    const b = new Backoff(250);
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([10, 20, 40, 80, 160, 250, 250]);
  });

  it("never exceeds a cap below the initial delay", () => {
    const b = new Backoff(4);
    expect([b.next(), b.next()]).toEqual([4, 4]);
  });

  it("tries the current address first, then the others in list order", () => {
    expect(preferenceOrder(4, 2)).toEqual([2, 0, 1, 3]);
    expect(preferenceOrder(1, 0)).toEqual([0]);
  });

  it("cuts a pause short when its signal fires", async () => {
    const ac = new AbortController();
    const started = performance.now();
    const p = pause(10_000, ac.signal);
    ac.abort();
    await p;
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
