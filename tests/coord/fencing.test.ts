/**
 * The deposed-leader scenario (spec 7): leader 1 is cut off from named but keeps its session to
 * a second file server. Once leader 2 has entered the next epoch and written there, leader 1's
 * fenced writes are refused with Stale and never land.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { LeaderClnt } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { FS2, startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { bytes, inFlight, isPending, rejection, text } from "./helpers.js";

const TIMEOUT_MS = 250;
const LEADER = "name/fenced-leader";
const DIR = `${FS2}/data`;
let c: Cluster;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store, TIMEOUT_MS);
  });
  afterAll(() => c?.close());

  describe("fencing", () => {
    it("a deposed leader's next fenced write on the second server fails with Stale and never lands", async () => {
      const observer = await c.connect();
      await observer.mkDir(DIR);
      const { fsl: l1, proxy } = await c.partitionable();
      const l2 = await c.connect();
      const leader1 = new LeaderClnt(l1, LEADER);
      const leader2 = new LeaderClnt(l2, LEADER);

      expect(await leader1.acquireFencedEpoch(bytes("l1"), [DIR])).toBe(1n);
      await l1.putFile(`${DIR}/state`, 0o777, 0, bytes("l1 epoch 1"));
      const taking = inFlight(leader2.acquireFencedEpoch(bytes("l2"), [DIR]));
      expect(text(await l2.getFile(LEADER))).toBe("l1");
      expect(await isPending(taking)).toBe(true);

      // Leader 1 is cut off from named beyond the session timeout; its fs2 session stays up.
      const t0 = performance.now();
      proxy.down();
      expect(await taking).toBe(2n);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS);
      await l2.putFile(`${DIR}/state`, 0o777, 0, bytes("l2 epoch 2"));

      // Leader 1 still reaches fs2 (unfenced paths work), but its fenced writes are refused.
      await l1.putFile(`${FS2}/unfenced`, 0o777, 0, bytes("l1 still connected"));
      const overwrite = await rejection(l1.putFile(`${DIR}/state`, 0o777, 0, bytes("l1 late")));
      expect(isErr(overwrite, ErrCode.Stale)).toBe(true);
      const create = await rejection(l1.putFile(`${DIR}/l1-late`, 0o777, 0, bytes("l1 late")));
      expect(isErr(create, ErrCode.Stale)).toBe(true);
      expect(text(await observer.getFile(`${DIR}/state`))).toBe("l2 epoch 2");
      expect((await observer.getDir(DIR)).map((s) => s.name)).toEqual(["state"]);
      expect(text(await observer.getFile(`${FS2}/unfenced`))).toBe("l1 still connected");

      // fs2 holds exactly one fence, named by the epoch file's object id in named.
      const epochFile = await observer.stat(`${LEADER}-epoch`);
      const fences = await leader2.getFences(DIR);
      expect(fences.map((s) => s.name)).toEqual([epochFile.qid.path.toString(16)]);
      await leader2.removeFence([DIR]);
      expect(await leader2.getFences(DIR)).toEqual([]);
      expect(await leader2.readEpoch()).toBe(2n);
    });
  });
});
