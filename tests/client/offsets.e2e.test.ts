/**
 * Offsets and counts of the public API (spec 6.1, docs/fslib.md): safe non-negative integer
 * numbers, plus NoOffset for appends in setFile. Anything else is Inval at the entry point, and
 * leaves the fd (offset included) and the file as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, NoOffset } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { AsyncReader } from "../../runtime/client/fslib/readers.js";
import { isErr } from "../../runtime/errors/index.js";
import { bytes, connect, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let srv: Named;
let fsl: FsLib;
const FILE = "name/offsets";

/** Values that are not offsets: a bigint, a negative, a fraction, NaN, unsafe, a string. */
const BAD: unknown[] = [3n, -1, 1.5, NaN, Infinity, 2 ** 53, "3", NoOffset];
const as = (x: unknown): number => x as number;

/** The error `f` throws or rejects with. */
async function failure(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

async function expectInval(f: () => unknown, shown: string): Promise<void> {
  const e = await failure(f);
  expect(isErr(e, ErrCode.Inval), String(e)).toBe(true);
  expect((e as Error).message).toContain(shown);
}

const shown = (x: unknown): string =>
  typeof x === "bigint" ? `${x}n` : typeof x === "string" ? JSON.stringify(x) : String(x);

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    fsl = await connect(srv.addr);
    await fsl.putFile(FILE, 0o777, 0, bytes("0123456789"));
  });
  afterAll(async () => {
    await fsl?.exit();
    await srv?.close();
  });

  describe("offsets", () => {
    it("seek and Reader.lseek refuse anything but a safe non-negative integer number", async () => {
      const fd = await fsl.open(FILE, Mode.OREAD);
      const r = await fsl.openReader(FILE);
      try {
        fsl.seek(fd, 2);
        for (const bad of BAD) {
          await expectInval(() => fsl.seek(fd, as(bad)), shown(bad));
          await expectInval(() => r.lseek(as(bad)), shown(bad));
        }
        // The offset set before is untouched, and reads work.
        expect(text(await fsl.read(fd, 3))).toBe("234");
        r.lseek(7);
        expect(text(await r.read(10))).toBe("789");
      } finally {
        await fsl.close(fd);
        await r.close();
      }
    });

    it("setFile takes a number, or NoOffset with OAPPEND; anything else is Inval and writes nothing", async () => {
      const path = "name/setfile-offsets";
      await fsl.putFile(path, 0o777, 0, bytes("abc"));
      for (const bad of BAD.filter((x) => x !== NoOffset)) {
        await expectInval(() => fsl.setFile(path, bytes("X"), 0, as(bad)), shown(bad));
      }
      expect(text(await fsl.getFile(path))).toBe("abc");
      await fsl.setFile(path, bytes("B"), 0, 1);
      await fsl.setFile(path, bytes("!"), Mode.OAPPEND, NoOffset);
      expect(text(await fsl.getFile(path))).toBe("aBc!");
    });

    it("openAsyncReader and new AsyncReader refuse bad offsets without leaking an fd", async () => {
      const probe = await fsl.open(FILE, Mode.OREAD);
      await fsl.close(probe);
      for (const bad of BAD) {
        await expectInval(() => fsl.openAsyncReader(FILE, as(bad)), shown(bad));
      }
      // The lowest free fd is reused: had a refused call left one open, this would be another.
      const fd = await fsl.open(FILE, Mode.OREAD);
      expect(fd).toBe(probe);
      await expectInval(() => new AsyncReader(fsl, fd, as(3n), {}), "3n");
      await fsl.close(fd);
      const ar = await fsl.openAsyncReader(FILE, 6);
      expect(text(await ar.read(100))).toBe("6789");
      await ar.close();
    });
  });

  describe("counts", () => {
    it("read, readV, readVU, Reader.read and AsyncReader.read refuse bad counts", async () => {
      const fd = await fsl.open(FILE, Mode.OREAD);
      const r = await fsl.openReader(FILE);
      const ar = await fsl.openAsyncReader(FILE);
      try {
        for (const bad of BAD) {
          await expectInval(() => fsl.read(fd, as(bad)), shown(bad));
          await expectInval(() => fsl.readV(fd, as(bad)), shown(bad));
          await expectInval(() => fsl.readVU(fd, as(bad)), shown(bad));
          await expectInval(() => r.read(as(bad)), shown(bad));
          await expectInval(() => ar.read(as(bad)), shown(bad));
        }
        // Nothing was read: every offset is still 0.
        expect(text(await fsl.read(fd, 2))).toBe("01");
        expect(text(await r.read(2))).toBe("01");
        expect(text(await ar.read(2))).toBe("01");
        expect(await fsl.read(fd, 0)).toHaveLength(0);
      } finally {
        await fsl.close(fd);
        await r.close();
        await ar.close();
      }
    });
  });
});
