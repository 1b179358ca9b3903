/**
 * A blocked down or acquire never hangs: it fails with SessClosed when its own session dies
 * (partitioned past the timeout) or the server goes away, and with Aborted/Timeout on request.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { ElectClnt, SemClnt } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import {
  bytes,
  inFlight,
  isPending,
  namedCounter,
  namedCounterReaches,
  rejection,
} from "./helpers.js";

const TIMEOUT_MS = 200;
let c: Cluster | undefined;

afterEach(async () => {
  await c?.close();
  c = undefined;
});

/**
 * Starts a blocking call of `waiter` against `holder`'s state and resolves once the server has it.
 * The call comes back wrapped: an async function returning it bare would wait for it to settle.
 */
type Blocker = (
  holder: FsLib,
  waiter: FsLib,
  signal?: AbortSignal,
) => Promise<{ blocked: Promise<void> }>;

const blockers: [string, Blocker][] = [
  [
    "down",
    async (holder, waiter, signal) => {
      await new SemClnt(holder, "name/blocked-sem").init();
      const watches = await namedCounter(holder, "Nwatch");
      const p = inFlight(new SemClnt(waiter, "name/blocked-sem").down({ signal }));
      await namedCounterReaches(holder, "Nwatch", watches + 1);
      return { blocked: p };
    },
  ],
  [
    "acquire",
    async (holder, waiter, signal) => {
      await new ElectClnt(holder, "name/blocked-leader").acquireLeadership(bytes("holder"));
      const creates = await namedCounter(holder, "Ncreate");
      const p = inFlight(
        new ElectClnt(waiter, "name/blocked-leader").acquireLeadership(bytes("w"), { signal }),
      );
      await namedCounterReaches(holder, "Ncreate", creates + 1);
      return { blocked: p };
    },
  ],
];

forEachStore((store) => {
  describe.each(blockers)("a blocked %s", (_name, block) => {
    it("fails with SessClosed when its session is partitioned past the timeout", async () => {
      c = await startCluster(store, TIMEOUT_MS);
      const holder = await c.connect();
      const { fsl: waiter, proxy } = await c.partitionable();
      const { blocked } = await block(holder, waiter);
      expect(await isPending(blocked)).toBe(true);
      const t0 = performance.now();
      proxy.down();
      expect(isErr(await rejection(blocked), ErrCode.SessClosed)).toBe(true);
      // The client gave up after its reconnect window (twice the timeout), not at the first refusal.
      expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    });

    it("fails with SessClosed when the server goes away", async () => {
      c = await startCluster(store, TIMEOUT_MS);
      const holder = await c.connect();
      const waiter = await c.connect();
      const { blocked } = await block(holder, waiter);
      expect(await isPending(blocked)).toBe(true);
      await c.named.close();
      expect(isErr(await rejection(blocked), ErrCode.SessClosed)).toBe(true);
    });

    it("fails with Aborted when its signal fires, and the session stays usable", async () => {
      c = await startCluster(store, TIMEOUT_MS);
      const holder = await c.connect();
      const waiter = await c.connect();
      const ac = new AbortController();
      const { blocked } = await block(holder, waiter, ac.signal);
      ac.abort(new Error("enough"));
      const e = await rejection(blocked);
      expect(isErr(e, ErrCode.Aborted)).toBe(true);
      expect((e as Error).cause).toEqual(new Error("enough"));
      await waiter.putFile("name/after-abort", 0o777, 0, bytes("ok"));
    });
  });
});
