import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm, QType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { setup } from "./fixture.js";

describe("attach", () => {
  it("attaches at the root and at an aname", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const root = await a.attach();
    const st = await a.h.stat({ fid: root }, a.ctx());
    expect(st.stat.name).toBe("");
    expect(st.stat.qid.type).toBe(QType.QTDIR);
    const d = await a.attach("/d/");
    expect((await a.h.stat({ fid: d }, a.ctx())).stat.name).toBe("d");
  });

  it("fails on a missing aname, a symlink inside it, and a fid in use", async () => {
    const { a } = setup();
    await expect(a.attach("nope")).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
    await a.create("ln", Perm.DMSYMLINK | 0o777);
    await expect(a.attach("ln/x")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotDir));
    const fid = await a.attach();
    await expect(
      a.h.attach(
        { fid, afid: 0xffffffff, uname: "u", aname: "", credentials: new Uint8Array() },
        a.ctx(),
      ),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Dupfid));
  });

  it("auth is NotSupported", async () => {
    const { a } = setup();
    await expect(a.h.auth({ afid: 1, unames: [], anames: [] }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.NotSupported),
    );
  });
});

describe("walk", () => {
  it("walks fully, one qid per element, and clones with empty wnames", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const root = await a.attach();
    const r = await a.h.walk({ fid: root, newFid: 7, wnames: ["d", "f"] }, a.ctx());
    expect(r.qids.map((q) => q.type)).toEqual([QType.QTDIR, QType.QTFILE]);
    expect((await a.h.stat({ fid: 7 }, a.ctx())).stat.name).toBe("f");
    const c = await a.h.walk({ fid: 7, newFid: 8, wnames: [] }, a.ctx());
    expect(c.qids).toEqual([]);
    expect((await a.h.stat({ fid: 8 }, a.ctx())).stat.qid).toEqual(r.qids[1]);
  });

  it("dir/. names dir; .. is Notfound", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const root = await a.attach();
    const r = await a.h.walk({ fid: root, newFid: 5, wnames: ["d", "."] }, a.ctx());
    expect(r.qids).toHaveLength(2);
    expect(r.qids[1]).toEqual(r.qids[0]);
    await expect(
      a.h.walk({ fid: root, newFid: 6, wnames: ["d", ".."] }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound) && e.obj === "..");
  });

  it("a missing ordinary name is Notfound and creates no newFid", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const root = await a.attach();
    await expect(
      a.h.walk({ fid: root, newFid: 9, wnames: ["d", "x", "y"] }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound) && e.obj === "x");
    await expect(a.h.stat({ fid: 9 }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Unknownfid),
    );
  });

  it("stops at a symlink or a missing union element with the qids walked", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("d/ln", Perm.DMSYMLINK | 0o777);
    const root = await a.attach();
    const r = await a.h.walk({ fid: root, newFid: 10, wnames: ["d", "ln", "a", "b"] }, a.ctx());
    expect(r.qids).toHaveLength(2);
    expect(r.qids[1]?.type).toBe(QType.QTSYMLINK);
    expect((await a.h.stat({ fid: 10 }, a.ctx())).stat.name).toBe("ln");
    const u = await a.h.walk({ fid: root, newFid: 11, wnames: ["d", "~any", "x"] }, a.ctx());
    expect(u.qids).toHaveLength(1);
    expect((await a.h.stat({ fid: 11 }, a.ctx())).stat.name).toBe("d");
  });

  it("from a non-directory fid, newFid is a clone and there are no qids", async () => {
    const { a } = setup();
    await a.put("f", "x");
    const { fid } = await a.walkTo("f");
    const r = await a.h.walk({ fid, newFid: 12, wnames: ["a"] }, a.ctx());
    expect(r.qids).toEqual([]);
    expect((await a.h.stat({ fid: 12 }, a.ctx())).stat.name).toBe("f");
  });

  it("Unknownfid and Dupfid", async () => {
    const { a } = setup();
    await expect(a.h.walk({ fid: 42, newFid: 43, wnames: [] }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Unknownfid),
    );
    const r1 = await a.attach();
    const r2 = await a.attach();
    await expect(a.h.walk({ fid: r1, newFid: r2, wnames: [] }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Dupfid),
    );
    await expect(a.h.clunk({ fid: 42 }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Unknownfid),
    );
  });

  it("fids are per session", async () => {
    const { a, b } = setup();
    const fid = await a.attach();
    await expect(b.h.stat({ fid }, b.ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Unknownfid));
    await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
  });
});
