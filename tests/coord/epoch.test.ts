/** EpochClnt (spec 7): the epoch file's counter and the fence derived from it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { EpochClnt, FenceClnt, parseEpoch } from "../../runtime/coord/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { bytes, rejection, text } from "./helpers.js";

let c: Cluster;
let fsl: FsLib;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store);
    fsl = await c.connect();
  });
  afterAll(() => c?.close());

  describe("EpochClnt", () => {
    it("advances from 1, stores lowercase hex, and reads back", async () => {
      const epochs = new EpochClnt(fsl, "name/ep");
      expect(epochs.name()).toBe("name/ep-epoch");
      expect(isErr(await rejection(epochs.readEpoch()), ErrCode.Notfound)).toBe(true);
      for (let i = 1n; i <= 17n; i++) expect(await epochs.advanceEpoch()).toBe(i);
      expect(text(await fsl.getFile("name/ep-epoch"))).toBe("11");
      expect(await epochs.readEpoch()).toBe(17n);
    });

    it("gives the fence of the current epoch only; an older one is Stale", async () => {
      const epochs = new EpochClnt(fsl, "name/ep2");
      await epochs.advanceEpoch();
      await epochs.advanceEpoch();
      const id = (await fsl.stat("name/ep2-epoch")).qid.path;
      expect(await epochs.getFence(2n)).toEqual({ fenceid: { path: id, serverid: 0n }, epoch: 2n });
      const e = await rejection(epochs.getFence(1n));
      expect(isErr(e, ErrCode.Stale)).toBe(true);
      expect((e as Error).message).toContain("newer epoch: 2");
      // A fence for an epoch that is no longer current is refused before any directory is fenced.
      const fences = FenceClnt.forLeader(fsl, "name/ep2");
      expect(isErr(await rejection(fences.fenceAtEpoch(1n, ["name/x"])), ErrCode.Stale)).toBe(true);
    });

    it("an epoch file that is not hex is Inval, not a silent zero", async () => {
      await fsl.putFile("name/ep3-epoch", 0o777, 0, bytes("zz"));
      expect(
        isErr(await rejection(new EpochClnt(fsl, "name/ep3").readEpoch()), ErrCode.Inval),
      ).toBe(true);
      expect(parseEpoch(new Uint8Array(), "f")).toBe(0n);
    });
  });
});
