// The runner's side hooks (settle, latency) were added for the session suite's windows.
import { describe, expect, it } from "vitest";
import { LatencyRecorder } from "../../bench/lib/latency-probe.js";
import { measurePair } from "../../bench/lib/measure.js";
import type { Timing } from "../../bench/lib/timing.js";

const FAST: Timing = { warmupMs: 2, roundMs: 2, rounds: 4, minBatchMs: 0.05 };

describe("side hooks", () => {
  it("settle runs after warm-up and after every round; latency replaces per-op samples", async () => {
    const settles = { a: 0, b: 0 };
    const probe = new LatencyRecorder();
    probe.record(999); // recorded during warm-up: must be forgotten
    const [, b] = await measurePair(
      () => undefined,
      async () => probe.record(7),
      { timing: FAST, timeEachOp: false },
      {
        baseline: { settle: () => settles.a++ },
        subject: { settle: () => settles.b++, latency: probe },
      },
    );
    expect(settles).toEqual({ a: 1 + FAST.rounds, b: 1 + FAST.rounds });
    expect(b.opMs).not.toBeNull();
    expect(b.opMs?.length).toBeGreaterThan(0);
    expect([...(b.opMs ?? [])].every((ms) => ms === 7)).toBe(true);
  });
});
