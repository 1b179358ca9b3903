/**
 * The deterministic simulation (verify/sim): seeds pass on the real code under every fault it
 * injects, a seed replays byte for byte (in this process, after other seeds, and alone), and
 * the faults are really injected (not a vacuous pass).
 */
import { describe, expect, it } from "vitest";
import { parseHistory } from "../../verify/lincheck/index.js";
import { replayCommand } from "../../verify/sim/replay.js";
import { runSeed, SIM_DEFAULTS, type SimResult } from "../../verify/sim/run-seed.js";
import { parseSeeds } from "../../verify/sim/seeds.js";

const seed = (n: number): Promise<SimResult> => runSeed({ ...SIM_DEFAULTS, seed: n });

describe("deterministic simulation", () => {
  it("passes seeds 1..8, with every kind of fault injected and ops of unknown outcome", async () => {
    const results: SimResult[] = [];
    for (let n = 1; n <= 8; n++) results.push(await seed(n));
    for (const r of results) {
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.summary).toMatch(new RegExp(`^sim: seed ${r.seed}: linearizable, \\d+ ops`));
    }
    const total = (what: string) =>
      results.reduce((n, r) => n + Number(new RegExp(`(\\d+) ${what}`).exec(r.summary)?.[1]), 0);
    for (const what of [
      "drops",
      "duplicates",
      "cuts",
      "partitions",
      "sessions closed",
      "unknown",
    ]) {
      expect(total(what), what).toBeGreaterThan(0);
    }
  });

  it("records the issue's history format, every client's ops plus the final reads", async () => {
    const r = await seed(2);
    const history = parseHistory(r.history);
    const clients = new Set(history.ops.map((op) => op.client));
    // Four clients and the final reader (client 4), which reads each path of both servers once.
    expect([...clients].sort()).toEqual([0, 1, 2, 3, 4]);
    const finals = history.ops.filter((op) => op.client === 4);
    expect(finals.map((op) => `${op.op} ${op.path}`)).toEqual(
      [0, 1].flatMap((k) => [0, 1, 2, 3].map((i) => `get s${k}/name/sim/p${i}`)),
    );
    // Both servers got ops from the clients.
    for (const k of [0, 1]) {
      expect(history.ops.some((op) => op.client < 4 && op.path.startsWith(`s${k}/`))).toBe(true);
    }
  });

  it("replays a seed byte for byte, also after other seeds ran", async () => {
    const first = await seed(5);
    await seed(6);
    const again = await seed(5);
    expect(again.history).toBe(first.history);
    expect(again.summary).toBe(first.summary);
    expect((await seed(6)).history).not.toBe(first.history);
  });

  it("reports a seed that does not finish in time as failed, and replays it too", async () => {
    const o = { ...SIM_DEFAULTS, seed: 4, virtualLimitMs: 300 };
    const r = await runSeed(o);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(["sim: run exceeded 300 virtual ms"]);
    expect(r.summary).toMatch(/^sim: seed 4: FAILED \(sim: run exceeded 300 virtual ms\), \d+ ops/);
    expect((await runSeed(o)).history).toBe(r.history);
  });

  it("names the command that replays a seed with its options", () => {
    expect(replayCommand({ ...SIM_DEFAULTS, seed: 17 })).toBe(
      "npm run sim -- --seed 17 --out sim-out",
    );
    const o = { ...SIM_DEFAULTS, seed: 3, servers: 1, clients: 6, failpoints: "lost-write" };
    expect(replayCommand(o, "out")).toBe(
      "npm run sim -- --seed 3 --servers 1 --clients 6 --failpoints lost-write --out out",
    );
  });

  it("parses seed ranges and refuses bad ones", () => {
    expect(parseSeeds("1..4")).toEqual([1, 2, 3, 4]);
    expect(parseSeeds("9")).toEqual([9]);
    expect(() => parseSeeds("4..1")).toThrow("--seeds 4..1: expected A..B with A <= B");
    expect(() => parseSeeds("x")).toThrow("--seeds x: expected N or A..B");
  });
});
