/**
 * Leadership moves when the holder is partitioned from named: the server times the holder's
 * session out, removes its ephemeral leader file and wakes the next contender.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { ElectClnt } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { bytes, inFlight, isPending, rejection, text } from "./helpers.js";

const TIMEOUT_MS = 250;
let c: Cluster;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store, TIMEOUT_MS);
  });
  afterAll(() => c?.close());

  async function firstClosed(fsl: FsLib): Promise<SessionClosedEvent> {
    for await (const ev of fsl.sessionEvents()) return ev;
    throw new Error("no session event");
  }

  describe("leader failover", () => {
    it("leadership moves when the holder's session times out behind a partition", async () => {
      const { fsl: holder, proxy } = await c.partitionable();
      const next = await c.connect();
      const path = "name/failover-leader";
      const elect1 = new ElectClnt(holder, path);
      await elect1.acquireLeadership(bytes("holder"));
      const acquired = inFlight(new ElectClnt(next, path).acquireLeadership(bytes("next")));
      // Requests of one session start in order: once this answers, the create is parked on the server.
      expect(text(await next.getFile(path))).toBe("holder");
      expect(await isPending(acquired)).toBe(true);

      const t0 = performance.now();
      proxy.down();
      await acquired;
      const handOver = performance.now() - t0;
      // named waited for the session timeout, not less. How little more it takes is a benchmark
      // (coord-handover-partition, a target range): an upper bound here flakes on a loaded machine.
      expect(handOver).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(text(await next.getFile(path))).toBe("next");
      expect(proxy.stats.refused).toBeGreaterThan(0);

      // The old holder learns its session is gone; its release cannot touch the new leader's file.
      const ev = await firstClosed(holder);
      expect(ev.reason).toBe("unreachable");
      expect(isErr(await rejection(elect1.releaseLeadership()), ErrCode.SessClosed)).toBe(true);
      expect(text(await next.getFile(path))).toBe("next");
    });
  });
});
