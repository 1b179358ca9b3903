/**
 * SemClnt (spec 7): down blocks while the semaphore file exists and returns once it is removed,
 * whichever of down and up reaches the server first.
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { SemClnt } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { inFlight, isPending, namedCounter, namedCounterReaches, rejection } from "./helpers.js";

let c: Cluster;
let a: FsLib;
let b: FsLib;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store);
    [a, b] = await Promise.all([c.connect(), c.connect()]);
  });
  afterAll(() => c?.close());

  const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  describe("SemClnt", () => {
    it("a down blocks until an up, then returns", async () => {
      const semA = new SemClnt(a, "name/sem-block");
      const semB = new SemClnt(b, "name/sem-block");
      await semA.init();
      const watches = await namedCounter(a, "Nwatch");
      const down = inFlight(semB.down());
      await namedCounterReaches(a, "Nwatch", watches + 1);
      // b's own later request completes while its down stays blocked on the server.
      expect(await b.getFile("name/sem-block")).toHaveLength(0);
      expect(await isPending(down)).toBe(true);
      await semA.up();
      await down;
      expect(isErr(await rejection(a.stat("name/sem-block")), ErrCode.Notfound)).toBe(true);
    });

    it("a down on a semaphore that is already up returns at once, without a watch", async () => {
      const sem = new SemClnt(a, "name/sem-up");
      await sem.init();
      await sem.up();
      const watches = await namedCounter(a, "Nwatch");
      await sem.down();
      expect(await namedCounter(a, "Nwatch")).toBe(watches);
      expect(sem.getPath()).toBe("name/sem-up");
    });

    it("1,000 rounds of init, then down and up from two clients at random moments, never deadlock", async () => {
      const rng = xoroshiro128plus(5);
      const semA = new SemClnt(a, "name/sem-race");
      const semB = new SemClnt(b, "name/sem-race");
      const watches = await namedCounter(a, "Nwatch");
      for (let round = 0; round < 1000; round++) {
        await semA.init();
        const dDown = uniformInt(rng, 0, 2);
        const dUp = uniformInt(rng, 0, 2);
        // A deadlock fails the round with Timeout instead of hanging the test.
        await Promise.all([
          delay(dDown).then(() => semA.down({ timeoutMs: 5000 })),
          delay(dUp).then(() => semB.up()),
        ]);
      }
      // Both orders happened: many downs armed a watch that the up then fired.
      const armed = (await namedCounter(a, "Nwatch")) - watches;
      expect(armed).toBeGreaterThan(100);
      expect(armed).toBeLessThan(1000);
    });
  });
});
