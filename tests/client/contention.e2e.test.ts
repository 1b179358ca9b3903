import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { isErrNotfound, isErrVersion } from "../../runtime/client/errors.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { inFlight, isPending } from "../support/in-flight.js";
import { serverCounter, serverCounterReaches } from "../support/server-stats.js";
import { bytes, connect, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let srv: Named;
let setup: FsLib;

async function clients(n: number): Promise<FsLib[]> {
  return Promise.all(Array.from({ length: n }, () => connect(srv.addr)));
}

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    setup = await connect(srv.addr);
  });
  afterAll(async () => {
    await setup?.exit();
    await srv?.close();
  });

  describe("contention", () => {
    it("10 clients increment a counter with versioned writes; it ends at exactly 10", async () => {
      await setup.putFile("name/counter", 0o777, 0, bytes("0"));
      const cs = await clients(10);
      let retries = 0;
      // Every client's first read happens before any first write, so the first round certainly
      // collides: one write wins, nine fail with Version. Without version checks all ten would
      // write "1".
      let firstReads = 0;
      let allRead!: () => void;
      const barrier = new Promise<void>((r) => (allRead = r));
      await Promise.all(
        cs.map(async (c) => {
          for (let attempt = 0; ; attempt++) {
            const fd = await c.open("name/counter", Mode.ORDWR);
            try {
              const v = Number(text(await c.readV(fd, 100)));
              if (attempt === 0) {
                if (++firstReads === cs.length) allRead();
                await barrier;
              }
              c.seek(fd, 0);
              await c.writeV(fd, bytes(String(v + 1)));
              return;
            } catch (e) {
              if (!isErrVersion(e)) throw e;
              retries++;
            } finally {
              await c.close(fd);
            }
          }
        }),
      );
      expect(text(await setup.getFile("name/counter"))).toBe("10");
      expect(retries).toBeGreaterThanOrEqual(cs.length - 1);
      await Promise.all(cs.map((c) => c.exit()));
    });

    it("20 clients take an OWATCH ephemeral lock one at a time, and all get it", async () => {
      const cs = await clients(20);
      let holders = 0;
      let maxHolders = 0;
      const order: number[] = [];
      const lockPerm = (0o777 | Perm.DMTMP) >>> 0;
      await Promise.all(
        cs.map(async (c, i) => {
          const fd = await c.create("name/lock", lockPerm, Mode.OWRITE | Mode.OWATCH);
          holders++;
          maxHolders = Math.max(maxHolders, holders);
          order.push(i);
          await new Promise((r) => setTimeout(r, 2));
          holders--;
          await c.remove("name/lock");
          await c.close(fd);
        }),
      );
      expect(maxHolders).toBe(1);
      expect(new Set(order).size).toBe(20);
      expect(isErr(await setup.stat("name/lock").catch((e: unknown) => e), ErrCode.Notfound)).toBe(
        true,
      );
      await Promise.all(cs.map((c) => c.exit()));
    });

    it("a lock held by a client that exits is released by its session's end", async () => {
      const [holder, waiter] = await clients(2);
      const lockPerm = (0o777 | Perm.DMTMP) >>> 0;
      await holder!.create("name/lock2", lockPerm, Mode.OWRITE | Mode.OWATCH);
      const creates = await serverCounter(setup, "Ncreate");
      const got = inFlight(waiter!.create("name/lock2", lockPerm, Mode.OWRITE | Mode.OWATCH));
      // The waiter's create is parked on the server behind the holder's lock.
      await serverCounterReaches(setup, "Ncreate", creates + 1);
      expect((await setup.getDir("name/")).map((s) => s.name)).toContain("lock2");
      expect(await isPending(got)).toBe(true);
      await holder!.exit();
      const fd = await got;
      // The waiter now holds a lock file of its own: ephemeral, gone with its session.
      expect(await setup.isDir("name/lock2")).toBe(false);
      await waiter!.close(fd);
      await waiter!.exit();
      expect(isErr(await setup.stat("name/lock2").catch((e: unknown) => e), ErrCode.Notfound)).toBe(
        true,
      );
    });

    it("20 clients renaming 1,000 jobs move each exactly once", async () => {
      await setup.mkDir("name/todo");
      await setup.mkDir("name/done");
      const jobs = Array.from({ length: 1000 }, (_, i) => `job${i}`);
      for (let i = 0; i < jobs.length; i += 100) {
        await Promise.all(
          jobs.slice(i, i + 100).map((j) => setup.putFile(`name/todo/${j}`, 0o777, 0, bytes(j))),
        );
      }
      const cs = await clients(20);
      const moved = new Map<string, number>();
      await Promise.all(
        cs.map(async (c, k) => {
          const mine = (await c.getDir("name/todo")).map((s) => s.name);
          // Each client walks the list from a different place, so they collide all the time.
          const start = (k * 50) % mine.length;
          const list = [...mine.slice(start), ...mine.slice(0, start)];
          for (let i = 0; i < list.length; i += 10) {
            await Promise.all(
              list.slice(i, i + 10).map(async (j) => {
                try {
                  await c.rename(`name/todo/${j}`, `name/done/${j}`);
                  moved.set(j, (moved.get(j) ?? 0) + 1);
                } catch (e) {
                  if (!isErrNotfound(e)) throw e;
                }
              }),
            );
          }
        }),
      );
      expect(moved.size).toBe(1000);
      expect([...moved.values()].every((n) => n === 1)).toBe(true);
      expect(await setup.getDir("name/todo")).toEqual([]);
      expect((await setup.getDir("name/done")).length).toBe(1000);
      await Promise.all(cs.map((c) => c.exit()));
    }, 60_000);
  });
});
