import { describe, expect, it } from "vitest";
import { ErrCode, Mode, NoV, Perm, QType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { dec, isPending, setup } from "./fixture.js";

describe("create", () => {
  it("creates each kind; the request fid refers to the new object, opened", async () => {
    const { a } = setup();
    const fid = await a.create("f", 0o644, Mode.ORDWR);
    expect(await a.write(fid, "hello")).toBe(5);
    expect(dec(await a.read(fid, 100, 0n))).toBe("hello");
    const d = await a.create("d", Perm.DMDIR | 0o755, Mode.OREAD);
    expect((await a.h.stat({ fid: d }, a.ctx())).stat.mode).toBe((Perm.DMDIR | 0o777) >>> 0);
    await a.create("ln", Perm.DMSYMLINK | 0o777, Mode.OWRITE);
    expect((await a.stat("ln")).qid.type).toBe(QType.QTSYMLINK);
    await a.create("t", Perm.DMTMP | 0o644, Mode.OWRITE);
    expect((await a.stat("t")).qid.type).toBe(QType.QTTMP);
  });

  it("refuses Exists, . names, non-directories and device perms", async () => {
    const { a } = setup();
    await a.create("f");
    await expect(a.create("f")).rejects.toSatisfy((e) => isErr(e, ErrCode.Exists) && e.obj === "f");
    const root = await a.attach();
    await expect(
      a.h.create({ fid: root, name: ".", perm: 0o644, mode: 0 }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
    await expect(
      a.h.create({ fid: root, name: "dev", perm: Perm.DMDEVICE | 0o644, mode: 0 }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
    const { fid } = await a.walkTo("f");
    await expect(a.h.create({ fid, name: "x", perm: 0o644, mode: 0 }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotDir),
    );
  });

  it("creating an overlay name at the root is Exists", async () => {
    const { a } = setup();
    await expect(a.create(".statsd")).rejects.toSatisfy((e) => isErr(e, ErrCode.Exists));
    await expect(a.create(".fences")).rejects.toSatisfy((e) => isErr(e, ErrCode.Exists));
  });

  it("OWATCH blocks while the name exists and creates once it is removed", async () => {
    const { a, b } = setup();
    await a.create("lock", 0o644);
    const pending = b.create("lock", 0o644, Mode.OWRITE | Mode.OWATCH);
    expect(await isPending(pending)).toBe(true);
    expect(b.parks).toBeGreaterThan(0);
    // An unrelated create in the directory wakes it, but the name still exists: it waits again.
    await a.create("other");
    expect(await isPending(pending)).toBe(true);
    const { fid } = await a.walkTo("lock");
    await a.h.remove({ fid }, a.ctx());
    const bfid = await pending;
    expect(await b.write(bfid, "mine")).toBe(4);
    expect(await a.get("lock")).toBe("mine");
  });

  it("an OWATCH create fails with SessClosed when its session closes", async () => {
    const { a, b } = setup();
    await a.create("lock");
    const pending = b.create("lock", 0o644, Mode.OWRITE | Mode.OWATCH);
    expect(await isPending(pending)).toBe(true);
    b.controller.abort();
    await expect(pending).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.SessClosed) && e.obj === b.id.toString(16),
    );
  });
});

describe("open", () => {
  it("OTRUNC truncates a file and moves its version once", async () => {
    const { a } = setup();
    await a.put("f", "hello");
    const v = await a.version("f");
    const { fid } = await a.walkTo("f");
    const r = await a.h.open({ fid, mode: Mode.OWRITE | Mode.OTRUNC }, a.ctx());
    expect(r.qid.version).toBe(v + 1);
    expect(await a.get("f")).toBe("");
  });

  it("opening without OTRUNC moves nothing", async () => {
    const { a } = setup();
    await a.put("f", "hello");
    const v = await a.version("f");
    const { fid } = await a.walkTo("f");
    const r = await a.h.open({ fid, mode: Mode.ORDWR }, a.ctx());
    expect(r.qid.version).toBe(v);
    expect(r.iounit).toBe(0);
  });
});

describe("read and write", () => {
  it("write at offset, NoOffset appends, a gap zero-fills, reads stop at the end", async () => {
    const { a } = setup();
    const fid = await a.create("f");
    await a.write(fid, "abc", 0n);
    await a.write(fid, "Z", 1n);
    await a.write(fid, "de");
    await a.write(fid, "x", 7n);
    expect(Array.from(await a.read(fid, 100, 0n))).toEqual([97, 90, 99, 100, 101, 0, 0, 120]);
    expect(dec(await a.read(fid, 2, 1n))).toBe("Zc");
    expect(await a.read(fid, 10, 8n)).toHaveLength(0);
    expect(await a.read(fid, 10, 100n)).toHaveLength(0);
  });

  it("fails with Version when the version differs, NoV skips the check", async () => {
    const { a } = setup();
    const fid = await a.create("f");
    const v = (await a.h.stat({ fid }, a.ctx())).stat.qid.version;
    await a.write(fid, "one", 0n, v);
    await expect(a.write(fid, "two", 0n, v)).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Version) && e.obj === String(v + 1),
    );
    await expect(a.read(fid, 10, 0n, v)).rejects.toSatisfy((e) => isErr(e, ErrCode.Version));
    expect(dec(await a.read(fid, 10, 0n, v + 1))).toBe("one");
    expect(await a.write(fid, "two", 0n, NoV)).toBe(3);
  });

  it("writing a directory is Isdir", async () => {
    const { a } = setup();
    const d = await a.create("d", Perm.DMDIR | 0o755, Mode.OREAD);
    await expect(a.write(d, "x")).rejects.toSatisfy((e) => isErr(e, ErrCode.Isdir));
  });

  it("a removed file stays readable through its fid", async () => {
    const { a } = setup();
    await a.put("f", "keep");
    const { fid } = await a.walkTo("f");
    await a.h.removefile({ fid: await a.attach(), wnames: ["f"], resolve: false }, a.ctx());
    expect(dec(await a.read(fid))).toBe("keep");
    const st = (await a.h.stat({ fid }, a.ctx())).stat;
    expect(st.name).toBe("f");
  });
});
