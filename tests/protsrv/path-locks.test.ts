import { describe, expect, it } from "vitest";
import { MemFs } from "../../runtime/fs/index.js";
import { logger } from "../../runtime/log.js";
import { FenceTable } from "../../runtime/protsrv/fence-table.js";
import { OverlayRoot } from "../../runtime/protsrv/overlay-root.js";
import { PathLocks } from "../../runtime/protsrv/path-locks.js";
import type { ServerState } from "../../runtime/protsrv/server-state.js";
import { Sessions } from "../../runtime/protsrv/session-state.js";
import { Stats } from "../../runtime/protsrv/stats.js";
import { walk } from "../../runtime/protsrv/walk.js";
import { isPending, settle } from "./fixture.js";

const ctx = (signal: AbortSignal) => ({ session: 1n, signal, park: () => {} });

describe("path locks", () => {
  it("excludes holders of one path and frees the table when unused", async () => {
    const locks = new PathLocks();
    const h1 = await locks.lock(["a", "b"]);
    const second = locks.lock(["a", "b"]);
    expect(await isPending(second)).toBe(true);
    h1.release();
    h1.release();
    (await second).release();
    expect(locks.size).toBe(0);
  });

  it("takes several locks parent first, without deadlock in opposite request order", async () => {
    const locks = new PathLocks();
    const order: string[] = [];
    const run = async (paths: string[][], tag: string) => {
      const h = await locks.lockAll(paths);
      order.push(tag);
      await settle();
      h.release();
    };
    await Promise.all([run([["a", "b"], ["a"]], "1"), run([["a"], ["a", "b"]], "2")]);
    expect(order.sort()).toEqual(["1", "2"]);
    expect(locks.size).toBe(0);
  });

  it("watch waiters keep their entry until woken or aborted", async () => {
    const locks = new PathLocks();
    const ac = new AbortController();
    const w = locks.waitOn(["x"], ctx(ac.signal));
    expect(locks.size).toBe(1);
    locks.wake(["y"]);
    expect(await isPending(w)).toBe(true);
    locks.wake(["x"]);
    await w;
    expect(locks.size).toBe(0);
    const w2 = locks.waitOn(["x"], ctx(ac.signal));
    ac.abort();
    await expect(w2).rejects.toThrow();
    expect(locks.size).toBe(0);
  });

  it("takes a free lock at once and refuses a held one without queueing", async () => {
    const locks = new PathLocks();
    const h1 = locks.tryLockKey("a/b");
    expect(h1).toBeDefined();
    expect(locks.tryLockKey("a/b")).toBeUndefined();
    expect(locks.tryLockKey("a")).toBeDefined();
    const waiter = locks.lockKey("a/b");
    expect(await isPending(waiter)).toBe(true);
    h1?.release();
    (await waiter).release();
    expect(locks.size).toBe(1); // "a", still held
  });

  it("a lock handed to a waiter cannot be taken by tryLockKey in between", async () => {
    const locks = new PathLocks();
    const order: string[] = [];
    const h1 = locks.tryLockKey("x");
    const waiter = locks.lockKey("x").then((h) => {
      order.push("waiter");
      return h;
    });
    h1?.release();
    // Released, but already the waiter's: a newcomer must queue behind it.
    expect(locks.tryLockKey("x")).toBeUndefined();
    const late = locks.lockKey("x").then((h) => {
      order.push("late");
      return h;
    });
    (await waiter).release();
    (await late).release();
    expect(order).toEqual(["waiter", "late"]);
    expect(locks.size).toBe(0);
  });

  it("tryLockAll takes every lock or none", async () => {
    const locks = new PathLocks();
    const held = await locks.lock(["a", "b"]);
    expect(locks.tryLockAll([["a"], ["a", "b"]])).toBeUndefined();
    // Nothing of the refused attempt stays taken.
    const a = locks.tryLockKey("a");
    expect(a).toBeDefined();
    a?.release();
    held.release();
    const both = locks.tryLockAll([["a", "b"], ["a"], ["a", "b"]]);
    expect(both).toBeDefined();
    expect(locks.tryLockKey("a")).toBeUndefined();
    expect(locks.tryLockKey("a/b")).toBeUndefined();
    both?.release();
    both?.release();
    expect(locks.size).toBe(0);
  });

  it("lockAll waits at a held lock while holding the ones before it in the global order", async () => {
    const locks = new PathLocks();
    const child = await locks.lock(["d", "e"]);
    const all = locks.lockAll([["d", "e"], ["d"]]);
    expect(await isPending(all)).toBe(true);
    // "d" precedes "d/e", so it is taken already: a parent-first locker of "d" waits too.
    expect(locks.tryLockKey("d")).toBeUndefined();
    child.release();
    (await all).release();
    expect(locks.size).toBe(0);
  });

  it("a walk waits at a locked element and goes on when it is released", async () => {
    const fs = new MemFs();
    await fs.mkdirAll("a/b/c");
    const server = serverOver(fs);
    const held = await server.locks.lock(["a", "b"]);
    const walking = walk(server, server.root, [], ["a", "b", "c"]);
    expect(await isPending(walking)).toBe(true);
    // Hand over hand: the walk holds "a" while it waits for "a/b".
    expect(server.locks.tryLockKey("a")).toBeUndefined();
    held.release();
    const r = await walking;
    expect(r.path).toEqual(["a", "b", "c"]);
    expect(r.qids).toHaveLength(3);
    expect(server.locks.size).toBe(0);
    const quiet = await walk(server, server.root, [], ["a", "b"], { qids: false });
    expect(quiet.qids).toEqual([]);
  });
});

function serverOver(fs: MemFs): ServerState {
  const root = new OverlayRoot(fs.root, [], []);
  const fences = new FenceTable({ allocId: () => fs.allocId(), now: () => 0, changed: () => {} });
  return {
    root,
    locks: new PathLocks(),
    fences,
    stats: new Stats(),
    sessions: new Sessions(),
    log: logger("protsrv"),
  };
}
