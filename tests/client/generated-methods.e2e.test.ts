/**
 * The hooks generated FsLib methods call (runtime/contract/fs-methods.ts), driven as a generated
 * `@fslib(path)`, `@fslib(fid)` and `@fslib(none)` method drives them, with descriptors sigmap
 * already has: a path resolves to a fid that is clunked afterwards, a fid is used as given, and a
 * message naming nothing goes to named. tests/exercise.test.ts generates such a method for real.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TstatDesc, TwatchDesc } from "../../generated/sigmap/registry.js";
import { ErrCode, Perm, type Rstat } from "../../generated/sigmap/types.js";
import { FsLibCore, type FsLibOptions } from "../../runtime/client/fslib/core.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { bytes } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

/** What a generated class adds to FsLib, written out by hand with sigmap's own descriptors. */
class HookedFsLib extends FsLib {
  static open(opts: FsLibOptions): Promise<HookedFsLib> {
    return FsLibCore.start(new HookedFsLib(opts));
  }
  statAt(path: string): Promise<Rstat> {
    return this.requestAtPath(TstatDesc, path, (fid) => ({ fid }));
  }
  statOn(fid: number): Promise<Rstat> {
    return this.requestOnFid(TstatDesc, fid, { fid });
  }
  // Tstat names a fid, so the `none` hook is given one only named's session knows.
  statNamed(fid: number): Promise<Rstat> {
    return this.requestNamed(TstatDesc, { fid });
  }
  watchAt(path: string, signal: AbortSignal): Promise<unknown> {
    return this.requestAtPath(TwatchDesc, path, (fid) => ({ fid }), { signal });
  }
}

let srv: Named;
let fsl: HookedFsLib;

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    fsl = await HookedFsLib.open({ named: srv.addr, localIp: "127.0.0.1" });
    await fsl.mkDir("name/d");
    await fsl.putFile("name/d/f", 0o644, 0, bytes("four"));
  });

  afterAll(async () => {
    await fsl.exit();
    await srv.close();
  });

  describe("the hooks of generated FsLib methods", () => {
    it("path: resolves the path to a fid, sends the request on it, and clunks it", async () => {
      const st = (await fsl.statAt("name/d/f")).stat;
      expect(st.name).toBe("f");
      expect(st.length).toBe(4n);
      const dir = (await fsl.statAt("name/d")).stat;
      expect((dir.mode & Perm.DMDIR) !== 0).toBe(true);
      // The fid was clunked: a fresh walk reuses the same number.
      const a = await fsl.walkPath("name/d", false);
      await fsl.clunk(a);
      await fsl.statAt("name/d/f");
      const b = await fsl.walkPath("name/d", false);
      expect(b).toBe(a);
      await fsl.clunk(b);
    });

    it("path: a missing path fails with the walk's Notfound and sends nothing else", async () => {
      await expect(fsl.statAt("name/d/missing")).rejects.toSatisfy((e: unknown) =>
        isErr(e, ErrCode.Notfound),
      );
    });

    it("path: an aborted call rejects with Aborted", async () => {
      const ac = new AbortController();
      const p = fsl.watchAt("name/d", ac.signal);
      ac.abort();
      await expect(p).rejects.toSatisfy((e: unknown) => isErr(e, ErrCode.Aborted));
    });

    it("fid: the request goes out on the given fid, which stays the caller's", async () => {
      const fid = await fsl.walkPath("name/d/f", false);
      expect((await fsl.statOn(fid)).stat.name).toBe("f");
      expect((await fsl.statOn(fid)).stat.length).toBe(4n);
      await fsl.clunk(fid);
      await expect(fsl.statOn(fid)).rejects.toSatisfy((e: unknown) => isErr(e, ErrCode.Unknownfid));
    });

    it("none: the request goes to named's session", async () => {
      const fid = await fsl.walkPath("name/d", false);
      expect((await fsl.statNamed(fid)).stat.name).toBe("d");
      await fsl.clunk(fid);
    });
  });
});
