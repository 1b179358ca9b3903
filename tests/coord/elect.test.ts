/**
 * ElectClnt (spec 7): one leader at a time through an ephemeral create-or-block file; leadership
 * ends with the holder's release or session, and never with another client's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { ElectClnt } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { bytes, inFlight, isPending, rejection, text } from "./helpers.js";

let c: Cluster;
let observer: FsLib;
// 3,000 hand-overs of one leader file: on etcd each is several transactions, and a loaded
// machine stretches that past vitest's default 30 s (a bound against hangs, not a speed check).
const HEAVY_TIMEOUT_MS = 120_000;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store);
    observer = await c.connect();
  });
  afterAll(() => c?.close());

  const contenders = (n: number): Promise<FsLib[]> =>
    Promise.all(Array.from({ length: n }, () => c.connect()));
  const three = async (): Promise<[FsLib, FsLib, FsLib]> => [
    await c.connect(),
    await c.connect(),
    await c.connect(),
  ];

  describe("ElectClnt", () => {
    it(
      "20 contenders lead 3,000 times in total; a counter bumped only while leading ends at 3,000",
      async () => {
        const N = 3000;
        await observer.putFile("name/elect-counter", 0o777, 0, bytes("0"));
        const clients = await contenders(20);
        let leading = 0;
        let maxLeading = 0;
        const wins = await Promise.all(
          clients.map(async (fsl) => {
            const elect = new ElectClnt(fsl, "name/elect-concur");
            let mine = 0;
            for (;;) {
              await elect.acquireLeadership();
              leading++;
              maxLeading = Math.max(maxLeading, leading);
              // Read-modify-write without versions: only mutual exclusion keeps increments apart.
              const n = Number(text(await fsl.getFile("name/elect-counter")));
              const more = n < N;
              if (more) {
                await fsl.putFile("name/elect-counter", 0o777, 0, bytes(String(n + 1)));
                mine++;
              }
              leading--;
              await elect.releaseLeadership();
              if (!more) return mine;
            }
          }),
        );
        expect(text(await observer.getFile("name/elect-counter"))).toBe(String(N));
        expect(wins.reduce((x, y) => x + y, 0)).toBe(N);
        expect(maxLeading).toBe(1);
        // The leadership really moved between sessions.
        expect(wins.filter((w) => w > 0).length).toBeGreaterThan(1);
        expect(isErr(await rejection(observer.stat("name/elect-concur")), ErrCode.Notfound)).toBe(
          true,
        );
      },
      HEAVY_TIMEOUT_MS,
    );

    it("contenders take turns in a fixed order: each leads until it finds its turn", async () => {
      await observer.putFile("name/elect-turn", 0o777, 0, bytes("0"));
      const clients = await contenders(20);
      const order: number[] = [];
      await Promise.all(
        clients.map(async (fsl, i) => {
          const elect = new ElectClnt(fsl, "name/elect-turns");
          for (;;) {
            await elect.acquireLeadership(bytes(String(i)));
            const turn = Number(text(await fsl.getFile("name/elect-turn")));
            if (turn === i) {
              order.push(i);
              await fsl.putFile("name/elect-turn", 0o777, 0, bytes(String(i + 1)));
            }
            await elect.releaseLeadership();
            if (turn >= i) return;
          }
        }),
      );
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(text(await observer.getFile("name/elect-turn"))).toBe("20");
    });

    it("another client's exit does not remove a leader file it did not create", async () => {
      const [leader, other] = await three();
      const elect = new ElectClnt(leader, "name/elect-eph");
      await elect.acquireLeadership(bytes("leader"));
      const before = await observer.stat("name/elect-eph");
      // The other client reads the leader file, holds an ephemeral file of its own and waits to lead.
      expect(text(await other.getFile("name/elect-eph"))).toBe("leader");
      await other.putFile("name/elect-other-eph", (0o777 | Perm.DMTMP) >>> 0, 0, bytes("o"));
      const waiting = inFlight(
        new ElectClnt(other, "name/elect-eph").acquireLeadership(bytes("other")),
      );
      expect(text(await other.getFile("name/elect-eph"))).toBe("leader");
      expect(await isPending(waiting)).toBe(true);
      await other.exit();
      expect(isErr(await rejection(waiting), ErrCode.SessClosed)).toBe(true);
      // Its own ephemeral file went with its session; the leader's file is the same object as before.
      expect(isErr(await rejection(observer.stat("name/elect-other-eph")), ErrCode.Notfound)).toBe(
        true,
      );
      const after = await observer.stat("name/elect-eph");
      expect(after.qid.path).toBe(before.qid.path);
      expect(text(await observer.getFile("name/elect-eph"))).toBe("leader");
      await elect.releaseLeadership();
      expect(isErr(await rejection(observer.stat("name/elect-eph")), ErrCode.Notfound)).toBe(true);
    });

    it("an aborted acquisition stops waiting and never leaves its file behind", async () => {
      const [holder, quitter, next] = await three();
      const path = "name/elect-abort";
      await new ElectClnt(holder, path).acquireLeadership(bytes("holder"));
      const ac = new AbortController();
      const quitting = inFlight(
        new ElectClnt(quitter, path).acquireLeadership(bytes("quitter"), { signal: ac.signal }),
      );
      // A leftover file from the abandoned acquisitions would make this fail with Timeout.
      const nextUp = inFlight(
        new ElectClnt(next, path).acquireLeadership(bytes("next"), { timeoutMs: 5000 }),
      );
      expect(text(await quitter.getFile(path))).toBe("holder");
      expect(text(await next.getFile(path))).toBe("holder");
      ac.abort(new Error("gave up"));
      expect(isErr(await rejection(quitting), ErrCode.Aborted)).toBe(true);
      const timedOut = new ElectClnt(quitter, path).acquireLeadership(bytes("q2"), {
        timeoutMs: 50,
      });
      expect(isErr(await rejection(timedOut), ErrCode.Timeout)).toBe(true);
      await new ElectClnt(holder, path).releaseLeadership();
      // Whichever create the server grants next, an abandoned one is removed again, so `next` leads.
      await nextUp;
      expect(text(await observer.getFile(path))).toBe("next");
    });
  });
});
