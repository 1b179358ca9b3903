import { describe, expect, it } from "vitest";
import { PathLocks } from "../../runtime/protsrv/path-locks.js";
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
});
