/** Spec 4.7: watches fire exactly on the listed wake-ups, and fail with Version or SessClosed. */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { type FakeSession, isPending, setup } from "./fixture.js";

/** Starts a watch on `path` and checks that it blocks; `fired` settles when it returns. */
async function watching(s: FakeSession, path: string): Promise<{ fired: Promise<unknown> }> {
  const { fid } = await s.walkTo(path);
  const fired = s.h.watch({ fid }, s.ctx());
  fired.catch(() => undefined);
  expect(await isPending(fired)).toBe(true);
  return { fired };
}

describe("watch", () => {
  it("a directory watch fires on a create, and parks", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const w = await watching(b, "d");
    expect(b.parks).toBe(1);
    await a.create("d/x");
    await expect(w.fired).resolves.toEqual({});
  });

  it("a directory watch fires on a putfile create, a remove and a rename inside", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    let w = await watching(b, "d");
    await a.put("d/f", "x");
    await w.fired;
    w = await watching(b, "d");
    const { fid } = await a.walkTo("d/f");
    await a.h.wstat({ fid, stat: { name: "g" } as Stat }, a.ctx());
    await w.fired;
    w = await watching(b, "d");
    await a.h.remove({ fid }, a.ctx());
    await w.fired;
  });

  it("writes never wake watches; putfile on an existing file does not either", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const wf = await watching(b, "d/f");
    const wd = await watching(b, "d");
    const { fid } = await a.walkTo("d/f");
    await a.write(fid, "more");
    await a.put("d/f", "again");
    expect(await isPending(wf.fired)).toBe(true);
    expect(await isPending(wd.fired)).toBe(true);
    b.controller.abort();
    await expect(wf.fired).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    await expect(wd.fired).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
  });

  it("a file watch fires when the file is removed, renamed away, or replaced by a rename", async () => {
    const { a, b } = setup();
    await a.put("f", "1");
    let w = await watching(b, "f");
    const { fid } = await a.walkTo("f");
    await a.h.wstat({ fid, stat: { name: "g" } as Stat }, a.ctx());
    await w.fired;
    await a.put("f", "2");
    w = await watching(b, "f");
    const { fid: g } = await a.walkTo("g");
    await a.h.wstat({ fid: g, stat: { name: "f" } as Stat }, a.ctx());
    await w.fired;
    w = await watching(b, "f");
    await a.h.remove({ fid: g }, a.ctx());
    await w.fired;
  });

  it("renameat wakes the new path, the old path and both directories", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("e", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    await a.put("e/f", "y");
    const ws = [
      await watching(b, "d"),
      await watching(b, "e"),
      await watching(b, "d/f"),
      await watching(b, "e/f"),
    ];
    const { fid: d } = await a.walkTo("d");
    const { fid: e } = await a.walkTo("e");
    await a.h.renameat({ oldFid: d, oldName: "f", newFid: e, newName: "f" }, a.ctx());
    await Promise.all(ws.map((w) => w.fired));
  });

  it("Version at once when the object moved since the walk", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const { fid } = await b.walkTo("d");
    await a.create("d/x");
    await expect(b.h.watch({ fid }, b.ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Version));
    expect(b.parks).toBe(0);
  });

  it("a watch fails with SessClosed when its session detaches", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const w = await watching(b, "d");
    await b.ps.onDetach({ id: b.id });
    await expect(w.fired).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
  });

  it("ephemeral cleanup wakes the object's path and its directory", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("d/t", Perm.DMTMP | 0o644, Mode.OWRITE);
    const wd = await watching(b, "d");
    const wt = await watching(b, "d/t");
    await a.detach();
    await Promise.all([wd.fired, wt.fired]);
  });
});
