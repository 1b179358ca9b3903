/**
 * Ten successive leaders, each deposed by a partition, append `{epoch, leader}` records to one
 * file on the second server while they believe they lead. Fencing must make the file read as a
 * clean succession: epochs rising by one, each leader's records together, none after its successor's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FsLib } from "../../runtime/client/index.js";
import { isErrStale } from "../../runtime/client/index.js";
import { LeaderClnt } from "../../runtime/coord/index.js";
import { FS2, startCluster, type Cluster } from "./cluster.js";
import { forEachStore } from "../support/store-matrix.js";
import { bytes, inFlight } from "./helpers.js";

const TIMEOUT_MS = 300;
const LEADER = "name/succession-leader";
const DIR = `${FS2}/log`;
const LOG = `${DIR}/records`;
const LEADERS = 10;
let c: Cluster;

forEachStore((store) => {
  beforeAll(async () => {
    c = await startCluster(store, TIMEOUT_MS);
  });
  afterAll(() => c?.close());

  interface Rec {
    epoch: number;
    leader: number;
  }

  interface Reign {
    leader: number;
    epoch: bigint;
    /** Resolves after the leader's first three appends succeeded. */
    established: Promise<void>;
    /** Resolves with the count of successful appends once an append fails (it must be Stale). */
    ended: Promise<number>;
  }

  /** Contends for leadership, then appends records until fenced out; rejects if it cannot contend. */
  function contend(fsl: FsLib, leader: number, onLeading: (r: Reign) => void): Promise<void> {
    return (async () => {
      const lc = new LeaderClnt(fsl, LEADER);
      const epoch = await lc.acquireFencedEpoch(bytes(String(leader)), [DIR]);
      let established!: () => void;
      const reign: Reign = {
        leader,
        epoch,
        established: new Promise((r) => (established = r)),
        ended: inFlight(
          (async () => {
            for (let n = 0; ; n++) {
              if (n === 3) established();
              try {
                await fsl.appendFileJson(LOG, { epoch: Number(epoch), leader });
              } catch (e) {
                if (!isErrStale(e)) throw e;
                return n;
              }
              // Pace the appends: the test is about order, not volume.
              await new Promise((r) => setTimeout(r, 2));
            }
          })(),
        ),
      };
      onLeading(reign);
    })();
  }

  describe("succession", () => {
    it("ten leaders deposed by partitions leave records with epochs rising by one and none late", async () => {
      const observer = await c.connect();
      await observer.mkDir(DIR);
      const reigns: Reign[] = [];
      let wake: (() => void) | undefined;
      const nextReign = async (): Promise<Reign> => {
        while (reigns.length === 0) await new Promise<void>((r) => (wake = r));
        return reigns.shift()!;
      };
      const onLeading = (r: Reign): void => {
        reigns.push(r);
        wake?.();
      };
      const proxies = new Map<number, { down(): void }>();
      let fail!: (e: unknown) => void;
      // A contender that fails fails the test at once, instead of leaving it waiting for a reign.
      const failed = new Promise<never>((_, reject) => (fail = reject));
      failed.catch(() => undefined);
      for (let i = 0; i < LEADERS; i++) {
        const { fsl, proxy } = await c.partitionable();
        proxies.set(i, proxy);
        contend(fsl, i, onLeading).catch(fail);
      }

      const history: Reign[] = [];
      for (let k = 0; k < LEADERS; k++) {
        const reign = await Promise.race([nextReign(), failed]);
        history.push(reign);
        await Promise.race([reign.established, reign.ended, failed]);
        proxies.get(reign.leader)!.down();
      }
      // A last leader, never deposed, takes over from the tenth and writes one closing record.
      const closerFsl = await c.connect();
      const closer = new LeaderClnt(closerFsl, LEADER);
      const lastEpoch = await closer.acquireFencedEpoch(bytes("closer"), [DIR]);
      await closerFsl.appendFileJson(LOG, { epoch: Number(lastEpoch), leader: LEADERS });

      const appended = await Promise.all(history.map((r) => r.ended));
      const recs: Rec[] = [];
      for await (const v of observer.jsonReader(LOG)) recs.push(v as Rec);

      // Epochs rise by exactly one per leader, in the order they led.
      const epochs = history.map((r) => Number(r.epoch));
      expect(epochs).toEqual(epochs.map((_, i) => epochs[0]! + i));
      expect(Number(lastEpoch)).toBe(epochs[LEADERS - 1]! + 1);
      // Each leader's records form one run, in reign order, with its own epoch; nothing interleaves.
      const runs: Rec[] = [];
      for (const r of recs) {
        const last = runs[runs.length - 1];
        if (last === undefined || last.leader !== r.leader || last.epoch !== r.epoch) runs.push(r);
      }
      expect(runs).toEqual([
        ...history.map((h) => ({ epoch: Number(h.epoch), leader: h.leader })),
        { epoch: Number(lastEpoch), leader: LEADERS },
      ]);
      // Every append a leader saw succeed is in the file, and no other; each wrote several.
      for (const [i, h] of history.entries()) {
        expect(recs.filter((r) => r.leader === h.leader).length).toBe(appended[i]);
        expect(appended[i]).toBeGreaterThanOrEqual(3);
      }
      expect(recs.length).toBe(appended.reduce((a, b) => a + b, 0) + 1);
    });
  });
});
