import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, NoOffset } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { bytes, connect, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let srv: Named;
let fsl: FsLib;

forEachStore((store) => {
  beforeAll(async () => {
    srv = await store.startNamed();
    fsl = await connect(srv.addr);
  });
  afterAll(async () => {
    await fsl?.exit();
    await srv?.close();
  });

  describe("positional reads and writes", () => {
    it("pread and pwrite use their own offsets and leave the fd's alone", async () => {
      const fd = await fsl.create("name/p", 0o777, Mode.ORDWR);
      expect(await fsl.pwrite(fd, 4, bytes("efgh"))).toBe(4);
      expect(await fsl.pwrite(fd, 0, bytes("abcd"))).toBe(4);
      // The fd's own offset never moved: a plain read starts at 0.
      expect(text(await fsl.read(fd, 3))).toBe("abc");
      const [a, b, c] = await Promise.all([
        fsl.pread(fd, 6, 10),
        fsl.pread(fd, 0, 2),
        fsl.pread(fd, 3, 2),
      ]);
      expect([text(a), text(b), text(c)]).toEqual(["gh", "ab", "de"]);
      expect(text(await fsl.read(fd, 2))).toBe("de");
      await fsl.close(fd);
    });

    it("chunks a positional read or write larger than the chunk size", async () => {
      const fd = await fsl.create("name/q", 0o777, Mode.ORDWR);
      fsl.setChunkSize(3);
      try {
        expect(await fsl.pwrite(fd, 2, bytes("0123456789"))).toBe(10);
        expect(text(await fsl.pread(fd, 2, 100))).toBe("0123456789");
        expect(Array.from(await fsl.pread(fd, 0, 2))).toEqual([0, 0]);
      } finally {
        fsl.setChunkSize(10_000_000);
        await fsl.close(fd);
      }
    });

    it("a bad offset or count is Inval, as everywhere in the API", async () => {
      const fd = await fsl.create("name/r", 0o777, Mode.ORDWR);
      const inval = (p: Promise<unknown>) =>
        p.then(
          () => false,
          (e: unknown) => isErr(e, ErrCode.Inval),
        );
      expect(await inval(fsl.pread(fd, -1, 1))).toBe(true);
      expect(await inval(fsl.pread(fd, 0, 1.5))).toBe(true);
      expect(await inval(fsl.pwrite(fd, NoOffset as unknown as number, bytes("x")))).toBe(true);
      await fsl.close(fd);
    });
  });
});
