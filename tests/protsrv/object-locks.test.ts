import { describe, expect, it } from "vitest";
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs, type FsObj } from "../../runtime/fs/index.js";
import { logger } from "../../runtime/log.js";
import { FenceTable } from "../../runtime/protsrv/fence-table.js";
import { PROT_DEFAULTS } from "../../runtime/protsrv/limits.js";
import { ObjectLocks } from "../../runtime/protsrv/object-locks.js";
import { OverlayRoot } from "../../runtime/protsrv/overlay-root.js";
import type { ServerState } from "../../runtime/protsrv/server-state.js";
import { Sessions } from "../../runtime/protsrv/session-state.js";
import { Stats } from "../../runtime/protsrv/stats.js";
import { walk } from "../../runtime/protsrv/walk.js";
import { isPending, settle, setup } from "./fixture.js";

const ctx = (signal: AbortSignal) => ({ session: 1n, signal, park: () => {} });

/** Three objects of one store, with ids in creation order. */
async function objects(): Promise<FsObj[]> {
  const fs = new MemFs();
  return [
    await fs.create("a", Perm.DMDIR | 0o755),
    await fs.create("b", 0o644),
    await fs.create("c", 0o644),
  ];
}

describe("object locks", () => {
  it("excludes holders of one object and frees the table when unused", async () => {
    const [a] = await objects();
    const locks = new ObjectLocks();
    const h1 = await locks.lock(a as FsObj);
    const second = locks.lock(a as FsObj);
    expect(await isPending(second)).toBe(true);
    h1.release();
    h1.release();
    (await second).release();
    expect(locks.size).toBe(0);
  });

  it("takes several locks in id order, without deadlock in opposite request order", async () => {
    const [a, b] = (await objects()) as [FsObj, FsObj];
    const locks = new ObjectLocks();
    const order: string[] = [];
    const run = async (objs: FsObj[], tag: string) => {
      const h = await locks.lock(...objs);
      order.push(tag);
      await settle();
      h.release();
    };
    await Promise.all([run([b, a], "1"), run([a, b], "2"), run([b, a, b], "3")]);
    expect(order.sort()).toEqual(["1", "2", "3"]);
    expect(locks.size).toBe(0);
  });

  it("watch waiters keep their entry until woken or aborted", async () => {
    const [x, y] = (await objects()) as [FsObj, FsObj];
    const locks = new ObjectLocks();
    const ac = new AbortController();
    const w = locks.waitOn(x, ctx(ac.signal));
    expect(locks.size).toBe(1);
    locks.wake(y);
    locks.wake(undefined);
    expect(await isPending(w)).toBe(true);
    locks.wake(x);
    await w;
    expect(locks.size).toBe(0);
    const w2 = locks.waitOn(x, ctx(ac.signal));
    ac.abort();
    await expect(w2).rejects.toThrow();
    expect(locks.size).toBe(0);
  });

  it("takes a free lock at once and refuses a held one without queueing", async () => {
    const [a, b] = (await objects()) as [FsObj, FsObj];
    const locks = new ObjectLocks();
    const h1 = locks.tryLock(b);
    expect(h1).toBeDefined();
    expect(locks.tryLock(b)).toBeUndefined();
    expect(locks.tryLock(a)).toBeDefined();
    const waiter = locks.lock(b);
    expect(await isPending(waiter)).toBe(true);
    h1?.release();
    (await waiter).release();
    expect(locks.size).toBe(1); // a, still held
  });

  it("a lock handed to a waiter cannot be taken by tryLock in between", async () => {
    const [x] = (await objects()) as [FsObj];
    const locks = new ObjectLocks();
    const order: string[] = [];
    const h1 = locks.tryLock(x);
    const waiter = locks.lock(x).then((h) => {
      order.push("waiter");
      return h;
    });
    h1?.release();
    // Released, but already the waiter's: a newcomer must queue behind it.
    expect(locks.tryLock(x)).toBeUndefined();
    const late = locks.lock(x).then((h) => {
      order.push("late");
      return h;
    });
    (await waiter).release();
    (await late).release();
    expect(order).toEqual(["waiter", "late"]);
    expect(locks.size).toBe(0);
  });

  it("tryLock of several takes every lock or none", async () => {
    const [a, b] = (await objects()) as [FsObj, FsObj];
    const locks = new ObjectLocks();
    const held = await locks.lock(b);
    expect(locks.tryLock(a, b)).toBeUndefined();
    // Nothing of the refused attempt stays taken.
    const onlyA = locks.tryLock(a);
    expect(onlyA).toBeDefined();
    onlyA?.release();
    held.release();
    const both = locks.tryLock(b, a, b);
    expect(both).toBeDefined();
    expect(locks.tryLock(a)).toBeUndefined();
    expect(locks.tryLock(b)).toBeUndefined();
    both?.release();
    both?.release();
    expect(locks.size).toBe(0);
  });

  it("lock waits at a held lock while holding the ones before it in id order", async () => {
    const [a, b] = (await objects()) as [FsObj, FsObj];
    const locks = new ObjectLocks();
    const second = await locks.lock(b);
    const all = locks.lock(b, a);
    expect(await isPending(all)).toBe(true);
    // a precedes b, so it is taken already: another locker of a waits too.
    expect(locks.tryLock(a)).toBeUndefined();
    second.release();
    (await all).release();
    expect(locks.size).toBe(0);
  });
});

describe("walks and locks", () => {
  it("a walk takes no locks: it passes a locked directory and leaves the table as it was", async () => {
    const fs = new MemFs();
    await fs.mkdirAll("a/b/c");
    const server = serverOver(fs);
    const b = (await fs.lookup("a/b")) as FsObj;
    const held = await server.locks.lock(b);
    const r = await walk(server, server.root, "", ["a", "b", "c"]);
    expect(r.name).toBe("c");
    expect(r.qids).toHaveLength(3);
    expect(server.locks.size).toBe(1);
    held.release();
    expect(server.locks.size).toBe(0);
  });

  it("a walk through 5,000 nested directories is answered, and longer than maxWalkNames is Inval", async () => {
    const { fs, a } = setup();
    const depth = 5000;
    const names = Array.from({ length: depth }, () => "d");
    await fs.mkdirAll(names.join("/"));
    const root = await a.attach();
    const fid = a.fid();
    // The first 1024 elements (the default maxWalkNames) in one walk, then on from there.
    const r = await a.h.walk({ fid: root, newFid: fid, wnames: names.slice(0, 1024) }, a.ctx());
    expect(r.qids).toHaveLength(1024);
    let at = fid;
    for (let done = 1024; done < depth; done += 1024) {
      const next = a.fid();
      const step = names.slice(done, done + 1024);
      const w = await a.h.walk({ fid: at, newFid: next, wnames: step }, a.ctx());
      expect(w.qids).toHaveLength(step.length);
      at = next;
    }
    await expect(
      a.h.walk({ fid: root, newFid: a.fid(), wnames: names.slice(0, 1025) }, a.ctx()),
    ).rejects.toSatisfy(
      (e) =>
        isErr(e, ErrCode.Inval) &&
        e.obj === "walk too long" &&
        /maxWalkNames \(1024\)/.test(e.message),
    );
  });
});

function serverOver(fs: MemFs): ServerState {
  const root = new OverlayRoot(fs.root, [], []);
  const fences = new FenceTable({
    allocId: () => fs.allocId(),
    now: () => 0,
    changed: () => {},
    limits: PROT_DEFAULTS,
  });
  return {
    root,
    locks: new ObjectLocks(),
    limits: PROT_DEFAULTS,
    fences,
    stats: new Stats(),
    sessions: new Sessions(PROT_DEFAULTS),
    log: logger("protsrv"),
  };
}
