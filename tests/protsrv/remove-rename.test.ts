import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { setup } from "./fixture.js";

const named = (name: string): Stat => ({ name }) as Stat;

describe("remove", () => {
  it("Tremove keeps the fid valid; the root and overlay entries are refused", async () => {
    const { a } = setup();
    await a.put("f", "x");
    const { fid } = await a.walkTo("f");
    await a.h.remove({ fid }, a.ctx());
    expect((await a.h.stat({ fid }, a.ctx())).stat.name).toBe("f");
    await expect(a.h.remove({ fid }, a.ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
    const root = await a.attach();
    await expect(a.h.remove({ fid: root }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Inval),
    );
    const { fid: s } = await a.walkTo(".statsd");
    await expect(a.h.remove({ fid: s }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Noremove),
    );
  });

  it("NotEmpty for a non-empty directory", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const root = await a.attach();
    await expect(
      a.h.removefile({ fid: root, wnames: ["d"], resolve: false }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.NotEmpty) && e.obj === "d");
  });

  it("Tremovefile walks and removes; missing is Notfound(name); . is Inval", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const root = await a.attach();
    await a.h.removefile({ fid: root, wnames: ["d", "f"], resolve: true }, a.ctx());
    await expect(
      a.h.removefile({ fid: root, wnames: ["d", "f"], resolve: true }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound) && e.obj === "f");
    await expect(
      a.h.removefile({ fid: root, wnames: ["d", "."], resolve: true }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
  });

  it("a final symlink with resolve is NotDir; without resolve the symlink goes", async () => {
    const { a } = setup();
    await a.create("ln", Perm.DMSYMLINK | 0o777);
    const root = await a.attach();
    await expect(
      a.h.removefile({ fid: root, wnames: ["ln"], resolve: true }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.NotDir) && e.obj === "ln");
    await a.h.removefile({ fid: root, wnames: ["ln"], resolve: false }, a.ctx());
    expect(await a.list("")).toEqual([".statsd", ".fences"]);
  });

  it("a symlink in the middle of the path is NotDir (the client falls back)", async () => {
    const { a } = setup();
    await a.create("ln", Perm.DMSYMLINK | 0o777);
    const root = await a.attach();
    await expect(
      a.h.removefile({ fid: root, wnames: ["ln", "x"], resolve: false }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.NotDir));
  });
});

describe("wstat rename", () => {
  it("renames within the directory, replacing a file, or a directory an empty directory", async () => {
    const { a } = setup();
    await a.put("f", "1");
    await a.put("g", "2");
    const { fid } = await a.walkTo("f");
    await a.h.wstat({ fid, stat: named("g") }, a.ctx());
    expect(await a.list("")).toEqual([".statsd", ".fences", "g"]);
    expect(await a.get("g")).toBe("1");
    expect((await a.h.stat({ fid }, a.ctx())).stat.name).toBe("g");
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("e", Perm.DMDIR | 0o755);
    const { fid: d } = await a.walkTo("d");
    await a.h.wstat({ fid: d, stat: named("e") }, a.ctx());
    expect(await a.list("")).toEqual([".statsd", ".fences", "e", "g"]);
    expect((await a.h.stat({ fid: d }, a.ctx())).stat.name).toBe("e");
  });

  it("replaces only within a family (deviation 14): the target survives, the error names it", async () => {
    const { a } = setup();
    await a.put("f", "keep");
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("empty", Perm.DMDIR | 0o755);
    await a.create("full", Perm.DMDIR | 0o755);
    await a.put("full/x", "x");
    const { fid: d } = await a.walkTo("d");
    const { fid: f } = await a.walkTo("f");
    // A directory over a file (the data loss this prevents), over a non-empty directory.
    await expect(a.h.wstat({ fid: d, stat: named("f") }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotDir) && e.obj === "f",
    );
    await expect(a.h.wstat({ fid: d, stat: named("full") }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotEmpty) && e.obj === "full",
    );
    // A file over a directory, empty or not.
    await expect(a.h.wstat({ fid: f, stat: named("empty") }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Isdir) && e.obj === "empty",
    );
    await expect(a.h.wstat({ fid: f, stat: named("full") }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Isdir) && e.obj === "full",
    );
    expect(await a.get("f")).toBe("keep");
    expect(await a.list("full")).toEqual(["x"]);
    expect(await a.list("")).toEqual([".statsd", ".fences", "d", "empty", "f", "full"]);
    // Trenameat keeps the same rule across directories.
    await a.create("full/sub", Perm.DMDIR | 0o755);
    const { fid: root } = await a.walkTo("");
    const { fid: full } = await a.walkTo("full");
    await expect(
      a.h.renameat({ oldFid: root, oldName: "d", newFid: full, newName: "x" }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.NotDir) && e.obj === "x");
    await expect(
      a.h.renameat({ oldFid: root, oldName: "f", newFid: full, newName: "sub" }, a.ctx()),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Isdir) && e.obj === "sub");
    expect(await a.get("full/x")).toBe("x");
    expect(await a.get("f")).toBe("keep");
  });

  it("refuses a non-empty target directory, overlay names and the root", async () => {
    const { a } = setup();
    await a.put("f", "1");
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/x", "x");
    await a.create("e", Perm.DMDIR | 0o755);
    const { fid: e0 } = await a.walkTo("e");
    await expect(a.h.wstat({ fid: e0, stat: named("d") }, a.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotEmpty) && e.obj === "d",
    );
    const { fid } = await a.walkTo("f");
    await expect(a.h.wstat({ fid, stat: named(".statsd") }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Exists),
    );
    const root = await a.attach();
    await expect(a.h.wstat({ fid: root, stat: named("r") }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Inval),
    );
    // An empty name changes nothing.
    await a.h.wstat({ fid, stat: named("") }, a.ctx());
    expect(await a.get("f")).toBe("1");
  });
});

describe("renameat", () => {
  it("moves between directories and updates parent and name", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("e", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const { fid: f } = await a.walkTo("d/f");
    const { fid: d } = await a.walkTo("d");
    const { fid: e } = await a.walkTo("e");
    await a.h.renameat({ oldFid: d, oldName: "f", newFid: e, newName: "g" }, a.ctx());
    expect(await a.list("d")).toEqual([]);
    expect(await a.get("e/g")).toBe("x");
    // The object knows its new place: a Tremove through the old fid removes e/g.
    await a.h.remove({ fid: f }, a.ctx());
    expect(await a.list("e")).toEqual([]);
  });

  it("refuses non-directories, one directory, a missing source and a move into itself", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("d/sub", Perm.DMDIR | 0o755);
    await a.put("f", "x");
    const { fid: d } = await a.walkTo("d");
    const { fid: d2 } = await a.walkTo("d");
    const { fid: f } = await a.walkTo("f");
    const { fid: sub } = await a.walkTo("d/sub");
    const root = await a.attach();
    const ren = (oldFid: number, oldName: string, newFid: number, newName: string) =>
      a.h.renameat({ oldFid, oldName, newFid, newName }, a.ctx());
    await expect(ren(f, "x", d, "y")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotDir));
    await expect(ren(d, "sub", d2, "y")).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
    await expect(ren(d, "nope", root, "y")).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Notfound) && e.obj === "nope",
    );
    await expect(ren(root, "d", sub, "d")).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
    await expect(ren(d, "sub", root, ".fences")).rejects.toSatisfy((e) => isErr(e, ErrCode.Exists));
    await a.h.open({ fid: root, mode: Mode.OREAD }, a.ctx());
  });
});
