import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib.js";
import { bytes, connect, startTestServer, type TestServer, text } from "./server-fixture.js";

let srv: TestServer;
let fsl: FsLib;
let other: FsLib;
let n = 0;
async function dir(): Promise<string> {
  const d = `name/w${n++}`;
  await fsl.mkDir(d);
  return d;
}
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
/** Whether `p` settles within `ms`. */
async function settles(p: Promise<unknown>, ms = 100): Promise<boolean> {
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    tick(ms).then(() => false),
  ]);
}

beforeAll(async () => {
  srv = await startTestServer();
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
    const w = await fsl.setDirWatch(fd);
    expect(await settles(w.fired)).toBe(false);
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
    const w = await fsl.setRemoveWatch(`${d}/f`);
    expect(await settles(w.fired)).toBe(false);
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
    const missing = await fsl.openWatch(`${d}/later`, Mode.OREAD);
    expect(missing.kind).toBe("missing");
    if (missing.kind !== "missing") return;
    expect(isErr(missing.error, ErrCode.Notfound)).toBe(true);
    expect(await settles(missing.changed)).toBe(false);
    await other.putFile(`${d}/later`, 0o777, 0, bytes("y"));
    await missing.changed;
    const e = await fsl.openWatch(`${d}/nodir/x`, Mode.OREAD).catch((err: unknown) => err);
    expect(isErr(e, ErrCode.Notfound)).toBe(true);
  });

  it("getFileWatch, getFileJsonWatch and openReaderWatch wait for the file", async () => {
    const d = await dir();
    const got = fsl.getFileWatch(`${d}/f`);
    const json = fsl.getFileJsonWatch(`${d}/j`);
    const rdr = fsl.openReaderWatch(`${d}/r`);
    await tick();
    await other.putFile(`${d}/f`, 0o777, 0, bytes("arrived"));
    await other.putFileJson(`${d}/j`, 0o777, { ok: true });
    await other.putFile(`${d}/r`, 0o777, 0, bytes("read me"));
    expect(text(await got)).toBe("arrived");
    expect(await json).toEqual({ ok: true });
    const r = await rdr;
    expect(text(await r.getData())).toBe("read me");
    await r.close();
  });

  it("readDirWatch returns once the predicate is satisfied", async () => {
    const d = await dir();
    const done = fsl.readDirWatch(d, (entries) => entries.length < 3);
    for (const f of ["a", "b", "c"]) {
      await tick(20);
      await other.putFile(`${d}/${f}`, 0o777, 0, bytes(f));
    }
    let entries: { name: string }[] | undefined;
    for (let i = 0; i < 20 && entries === undefined; i++) {
      try {
        entries = await done;
      } catch (e) {
        // A change between listing and watch surfaces as Version: the caller relists.
        if (!isErr(e, ErrCode.Version)) throw e;
        entries = await fsl.readDirWatch(d, (es) => es.length < 3);
      }
    }
    expect(entries?.map((s) => s.name)).toEqual(["a", "b", "c"]);
  });
});
