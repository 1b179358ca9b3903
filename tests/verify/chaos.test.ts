import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseHistory } from "../../verify/lincheck/index.js";
import { runChaosCli } from "./run-chaos.js";

const SUMMARY =
  /^chaos: linearizable, (\d+) ops \((\d+) unknown\), faults: (\d+) cuts, 0 kills, (\d+) pauses, seed 7$/;

describe("npm run chaos on memfs", () => {
  it("a run under cuts and pauses is linearizable, keeps session order and saves its history", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "chaos-"));
    try {
      const r = await runChaosCli([
        "--seconds",
        "3",
        "--clients",
        "4",
        "--seed",
        "7",
        "--out",
        out,
      ]);
      expect(r.last).toMatch(SUMMARY);
      expect(r.code).toBe(0);
      const [, ops, , cuts, pauses] = (SUMMARY.exec(r.last) ?? []).map(Number);
      expect(ops).toBeGreaterThanOrEqual(1000);
      expect((cuts as number) + (pauses as number)).toBeGreaterThan(0);
      // The saved history is in the checker's format, final reads included.
      const history = parseHistory(await readFile(path.join(out, "history.json"), "utf8"));
      expect(history.ops).toHaveLength(ops as number);
      expect(history.ops.filter((o) => o.client === 4)).toHaveLength(24);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("refuses kill on memfs, whose only copy a kill loses, before starting anything", async () => {
    const r = await runChaosCli(["--faults", "cut,kill"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(
      "chaos: --faults kill: the memfs store keeps its only copy in memory: a kill loses it\n",
    );
  });

  it("refuses an unknown store or fault", async () => {
    const store = await runChaosCli(["--store", "zk"]);
    expect({ code: store.code, err: store.stderr }).toEqual({
      code: 64,
      err: "chaos: --store zk: known stores: memfs, etcd\n",
    });
    const fault = await runChaosCli(["--faults", "flood"]);
    expect({ code: fault.code, err: fault.stderr }).toEqual({
      code: 64,
      err: "chaos: --faults flood: known faults: cut, pause, kill, etcd-kill, partition\n",
    });
    const etcdOnly = await runChaosCli(["--faults", "etcd-kill"]);
    expect({ code: etcdOnly.code, err: etcdOnly.stderr }).toEqual({
      code: 64,
      err: "chaos: --faults etcd-kill: the memfs store has no etcd members\n",
    });
    const failpoint = await runChaosCli(["--failpoints", "fence-of"]);
    expect(failpoint.code).toBe(64);
    expect(failpoint.stderr).toMatch(
      /^error: option '--failpoints <list>' argument 'fence-of' is invalid\. SIGMA_FAILPOINTS: unknown failpoint "fence-of" \(known: dedup-off, .*, lease-late, reply-lost, hello-kill\)\n$/,
    );
  });

  it("fails a run that completed too few ops", async () => {
    const r = await runChaosCli([
      "--seconds",
      "1",
      "--clients",
      "1",
      "--faults",
      "",
      "--min-ops",
      "100000000",
    ]);
    expect(r.code).toBe(1);
    expect(r.last).toMatch(
      /^chaos: FAILED \(only \d+ ops completed \(at least 100000000 needed\)\), \d+ ops/,
    );
  });
});
