import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startChild } from "../../bench/lib/child.js";
import type { SuiteContext } from "../../bench/lib/suite.js";
import { findEtcd } from "../../bench/suites/named/etcd-binary.js";
import { startEtcd } from "../../bench/suites/named/etcd.js";
import { needing } from "../support/needs-tool.js";

const ETCD = findEtcd();
const KEEPER = new URL("../../bench/suites/named/etcd-keeper.ts", import.meta.url);

/** The deferred cleanups of a fake suite context, run by the test. */
function deferring(): { ctx: SuiteContext; cleanup: () => Promise<void> } {
  const cleanups: (() => unknown)[] = [];
  const ctx = { defer: (fn: () => unknown) => void cleanups.push(fn) } as unknown as SuiteContext;
  return {
    ctx,
    cleanup: async () => {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}

function childrenOf(pid: number): number[] {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean).map(Number),
  );
}

function gone(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state === "Z"; // dead, waiting to be reaped
  } catch {
    return true;
  }
}

async function waitUntil(cond: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

function etcdDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith("sigmats-bench-etcd-"));
}

describe("findEtcd", () => {
  it("prefers ETCD_BIN and reports a missing binary as null", () => {
    const empty = mkdtempSync(join(tmpdir(), "no-etcd-"));
    try {
      expect(findEtcd({ PATH: empty, ETCD_BIN: join(empty, "etcd") })).toBeNull();
      expect(findEtcd({ ETCD_BIN: process.execPath })).toBe(process.execPath);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

const etcdBaseline = needing("etcd baseline", {
  name: "etcd",
  provider: "Debian package etcd-server, or set ETCD_BIN",
  found: ETCD !== null,
});
describe.skipIf(etcdBaseline.missing)(etcdBaseline.title, () => {
  it("serves put and get once started, and leaves no process or directory when stopped", async () => {
    const before = new Set(etcdDirs());
    const { ctx, cleanup } = deferring();
    try {
      const kv = await startEtcd(ctx, ETCD ?? "");
      await kv.put("k", Buffer.from("v"));
      expect((await kv.get("k"))?.toString()).toBe("v");
    } finally {
      await cleanup();
    }
    expect(await waitUntil(() => etcdDirs().every((d) => before.has(d)))).toBe(true);
  });

  it("a keeper killed by SIGKILL takes etcd with it; the next keeper sweeps its directory", async () => {
    const keeper = await startChild({ module: KEEPER, args: [ETCD ?? ""] });
    const [etcdPid] = childrenOf(keeper.pid);
    expect(etcdPid).toBeDefined();
    const dir = etcdDirs().find((d) => d.startsWith(`sigmats-bench-etcd-${keeper.pid}-`));
    expect(dir).toBeDefined();
    process.kill(keeper.pid, "SIGKILL");
    await keeper.stop();
    expect(await waitUntil(() => gone(etcdPid ?? 0))).toBe(true);

    const next = await startChild({ module: KEEPER, args: [ETCD ?? ""] });
    await next.stop();
    expect(existsSync(join(tmpdir(), dir ?? ""))).toBe(false);
  });
});
