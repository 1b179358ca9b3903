/**
 * FsLib.rename across directories walks both parents at once (three round trips, not five); the
 * outcome is the sequential one: the source's walk error wins, then the target's, and every fid
 * a walk made is clunked whichever walk fails (counted by the server's `.statsd`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr, type SigmaError } from "../../runtime/errors/index.js";
import { serverCounter, serverCounterReaches } from "../support/server-stats.js";
import { bytes, connect, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let srv: Named;
let fsl: FsLib;

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    fsl = await connect(srv.addr);
    await fsl.mkDir("name/a");
    await fsl.mkDir("name/b");
  });

  afterAll(async () => {
    await fsl.exit();
    await srv.close();
  });

  /** The server's walk, clunk and renameat counters. */
  async function counts(): Promise<{ walks: number; clunks: number; renames: number }> {
    return {
      walks: await serverCounter(fsl, "Nwalk"),
      clunks: await serverCounter(fsl, "Nclunk"),
      renames: await serverCounter(fsl, "Nrenameat"),
    };
  }

  async function failure(p: Promise<unknown>): Promise<SigmaError> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!isErr(e, ErrCode.Notfound)) throw new Error(`expected Notfound, got ${String(e)}`);
    return e;
  }

  describe("rename across directories", () => {
    it("moves the file in two walks, one Trenameat and two clunks", async () => {
      await fsl.putFile("name/a/f", 0o644, 0, bytes("moved"));
      const before = await counts();
      await fsl.rename("name/a/f", "name/b/f");
      expect(await counts()).toEqual({
        walks: before.walks + 2,
        clunks: before.clunks + 2,
        renames: before.renames + 1,
      });
      expect(text(await fsl.getFile("name/b/f"))).toBe("moved");
      await expect(fsl.getFile("name/a/f")).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
    });

    it("reports the source's missing parent first, even when the target's is missing too", async () => {
      const c0 = await counts();
      const both = await failure(fsl.rename("name/nosrc/f", "name/nodst/f"));
      expect(both.obj).toBe("nosrc");
      // Neither walk made a fid: nothing to clunk, nothing renamed.
      expect(await counts()).toEqual({ ...c0, walks: c0.walks + 2 });

      const src = await failure(fsl.rename("name/nosrc/f", "name/b/f"));
      expect(src.obj).toBe("nosrc");
      // The target's fid is clunked once its walk returns, after the error was reported.
      await serverCounterReaches(fsl, "Nclunk", c0.clunks + 1);
      expect(await counts()).toEqual({ ...c0, walks: c0.walks + 4, clunks: c0.clunks + 1 });

      const dst = await failure(fsl.rename("name/b/f", "name/nodst/f"));
      expect(dst.obj).toBe("nodst");
      expect(await counts()).toEqual({ ...c0, walks: c0.walks + 6, clunks: c0.clunks + 2 });
    });
  });
});
