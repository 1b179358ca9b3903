/** Spec 4.3: which versions each request moves, exactly. */
import { describe, expect, it } from "vitest";
import { Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { dec, enc, setup } from "./fixture.js";

describe("versions (spec 4.3)", () => {
  it("a new object is at 1; create moves the parent only", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const d0 = await a.version("d");
    await a.create("d/f");
    expect(await a.version("d/f")).toBe(1);
    expect(await a.version("d")).toBe(d0 + 1);
  });

  it("putfile that creates moves the parent; the new file is at 1 with its content", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const d0 = await a.version("d");
    await a.put("d/f", "data");
    expect(await a.version("d/f")).toBe(1);
    expect(await a.version("d")).toBe(d0 + 1);
    expect(await a.get("d/f")).toBe("data");
  });

  it("writes, putfile on an existing file and OTRUNC move the file once each", async () => {
    const { a } = setup();
    const fid = await a.create("f");
    const root0 = await a.version("");
    await a.write(fid, "x");
    expect(await a.version("f")).toBe(2);
    await a.put("f", "y");
    expect(await a.version("f")).toBe(3);
    const { fid: g } = await a.walkTo("f");
    await a.h.open({ fid: g, mode: Mode.OWRITE | Mode.OTRUNC }, a.ctx());
    expect(await a.version("f")).toBe(4);
    expect(await a.version("")).toBe(root0);
  });

  it("walk, stat, reads, getfile and a dir listing move nothing", async () => {
    const { a } = setup();
    await a.put("f", "x");
    const before = await a.version("f");
    const rootBefore = await a.version("");
    await a.get("f");
    await a.list("");
    const { fid } = await a.walkTo("f");
    await a.read(fid);
    expect(await a.version("f")).toBe(before);
    expect(await a.version("")).toBe(rootBefore);
  });

  it("remove moves the object and its parent", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const { fid } = await a.walkTo("d/f");
    const d0 = await a.version("d");
    await a.h.remove({ fid }, a.ctx());
    expect((await a.h.stat({ fid }, a.ctx())).stat.qid.version).toBe(2);
    expect(await a.version("d")).toBe(d0 + 1);
  });

  it("rename moves the object, each directory and a replaced object", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("e", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    await a.put("d/g", "y");
    const { fid: g } = await a.walkTo("d/g");
    const { fid: f } = await a.walkTo("d/f");
    const d0 = await a.version("d");
    await a.h.wstat({ fid: f, stat: { name: "g" } as Stat }, a.ctx());
    expect((await a.h.stat({ fid: f }, a.ctx())).stat.qid.version).toBe(2);
    expect((await a.h.stat({ fid: g }, a.ctx())).stat.qid.version).toBe(2);
    expect(await a.version("d")).toBe(d0 + 1);
    expect(await a.get("d/g")).toBe("x");

    const e0 = await a.version("e");
    const { fid: dfid } = await a.walkTo("d");
    const { fid: efid } = await a.walkTo("e");
    await a.h.renameat({ oldFid: dfid, oldName: "g", newFid: efid, newName: "h" }, a.ctx());
    expect(await a.version("d")).toBe(d0 + 2);
    expect(await a.version("e")).toBe(e0 + 1);
    expect(await a.version("e/h")).toBe(3);
  });

  it("a write through a device moves the device; writeread too", async () => {
    const { fs, a } = setup();
    await fs.makeDevice("dev", { write: (_o, d) => d.length, writeRead: (r) => r });
    const { fid } = await a.walkTo("dev");
    await a.write(fid, "abc", 0n);
    expect(await a.version("dev")).toBe(2);
    const r = await a.h.writeread({ fid, data: enc("ping") }, a.ctx());
    expect(dec(r.data)).toBe("ping");
    expect(await a.version("dev")).toBe(3);
  });

  it("an open that yields another object moves the yielded one", async () => {
    const { fs, a } = setup();
    const target = await fs.create("target", 0o644, enc("t"));
    await fs.makeDevice("clone", { open: () => target });
    const { fid } = await a.walkTo("clone");
    const r = await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
    expect(r.qid.path).toBe(target.id);
    expect(r.qid.version).toBe(2);
    expect(dec(await a.read(fid))).toBe("t");
  });
});
