import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { inFlight, isPending } from "../support/in-flight.js";
import { serverCounter, serverCounterReaches } from "../support/server-stats.js";
import { bytes, connect, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let srv: Named;
let fsl: FsLib;
let other: FsLib;
let n = 0;
async function dir(): Promise<string> {
  const d = `name/w${n++}`;
  await fsl.mkDir(d);
  return d;
}
/**
 * Whether `w` is still unfired once the server has the watch parked and has answered a later
 * request of the same client: the watch did not fire spuriously.
 */
async function stillArmed(w: Promise<unknown>, watches: number): Promise<boolean> {
  await serverCounterReaches(fsl, "Nwatch", watches);
  await fsl.getFile("name/.statsd");
  return isPending(w);
}

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    fsl = await connect(srv.addr);
    other = await connect(srv.addr);
  });
  afterAll(async () => {
    await other?.exit();
    await fsl?.exit();
    await srv?.close();
  });

  describe("watches", () => {
    it("a directory watch fires on a create by another client", async () => {
      const d = await dir();
      const { fd } = await fsl.readDir(d);
      const watches = (await serverCounter(fsl, "Nwatch")) + 1;
      const w = await fsl.setDirWatch(fd);
      expect(await stillArmed(w.fired, watches)).toBe(true);
      await other.putFile(`${d}/new`, 0o777, 0, bytes("x"));
      await w.fired;
      await fsl.close(fd);
    });

    it("a directory watch armed after a change fails with Version", async () => {
      const d = await dir();
      const fd = await fsl.open(d, Mode.OREAD);
      await other.putFile(`${d}/new`, 0o777, 0, bytes("x"));
      const w = await fsl.setDirWatch(fd);
      const e = await w.fired.catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Version)).toBe(true);
      await fsl.close(fd);
    });

    it("a remove watch fires when the file is removed; Notfound if already gone", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("x"));
      const watches = (await serverCounter(fsl, "Nwatch")) + 1;
      const w = await fsl.setRemoveWatch(`${d}/f`);
      expect(await stillArmed(w.fired, watches)).toBe(true);
      await other.remove(`${d}/f`);
      await w.fired;
      const e = await fsl.setRemoveWatch(`${d}/f`).catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Notfound)).toBe(true);
    });

    it("openWatch opens an existing file, or reports it missing and wakes on the create", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/there`, 0o777, 0, bytes("x"));
      const open = await fsl.openWatch(`${d}/there`, Mode.OREAD);
      expect(open.kind).toBe("open");
      if (open.kind === "open") await fsl.close(open.fd);
      const watches = (await serverCounter(fsl, "Nwatch")) + 1;
      const missing = await fsl.openWatch(`${d}/later`, Mode.OREAD);
      expect(missing.kind).toBe("missing");
      if (missing.kind !== "missing") return;
      expect(isErr(missing.error, ErrCode.Notfound)).toBe(true);
      expect(await stillArmed(missing.changed, watches)).toBe(true);
      await other.putFile(`${d}/later`, 0o777, 0, bytes("y"));
      await missing.changed;
      const e = await fsl.openWatch(`${d}/nodir/x`, Mode.OREAD).catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Notfound)).toBe(true);
    });

    it("getFileWatch, getFileJsonWatch and openReaderWatch wait for the file", async () => {
      const d = await dir();
      const watches = await serverCounter(fsl, "Nwatch");
      const got = inFlight(fsl.getFileWatch(`${d}/f`));
      const json = inFlight(fsl.getFileJsonWatch(`${d}/j`));
      const rdr = inFlight(fsl.openReaderWatch(`${d}/r`));
      // All three found their file missing and wait on the directory.
      await serverCounterReaches(fsl, "Nwatch", watches + 3);
      expect(await isPending(Promise.any([got, json, rdr]))).toBe(true);
      await other.putFile(`${d}/f`, 0o777, 0, bytes("arrived"));
      await other.putFileJson(`${d}/j`, 0o777, { ok: true });
      await other.putFile(`${d}/r`, 0o777, 0, bytes("read me"));
      expect(text(await got)).toBe("arrived");
      expect(await json).toEqual({ ok: true });
      const r = await rdr;
      expect(text(await r.getData())).toBe("read me");
      await r.close();
    });

    it("readDirWatch relists on every change and returns once the predicate is satisfied", async () => {
      const d = await dir();
      const watches = await serverCounter(fsl, "Nwatch");
      const seen: string[][] = [];
      const done = inFlight(
        fsl.readDirWatch(d, (entries) => {
          seen.push(entries.map((s) => s.name));
          return entries.length < 3;
        }),
      );
      // One file per armed watch: a create between a listing and its watch would be a Version,
      // which readDirWatch reports rather than hides.
      for (const [i, f] of ["a", "b", "c"].entries()) {
        await serverCounterReaches(fsl, "Nwatch", watches + i + 1);
        await other.putFile(`${d}/${f}`, 0o777, 0, bytes(f));
      }
      expect((await done).map((s) => s.name)).toEqual(["a", "b", "c"]);
      expect(seen).toEqual([[], ["a"], ["a", "b"], ["a", "b", "c"]]);
    });

    it("readDirWatch reports a change between its listing and its watch as Version", async () => {
      const d = await dir();
      let put: Promise<unknown> | undefined;
      const e = await fsl
        .readDirWatch(d, () => {
          // The listing is done and the watch not yet sent: the window of the race. A request of
          // the same session starts before the watch does.
          put ??= inFlight(fsl.putFile(`${d}/late`, 0o777, 0, bytes("x")));
          return true;
        })
        .catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Version)).toBe(true);
      await put;
    });
  });
});
