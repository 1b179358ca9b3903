import { describe, expect, it } from "vitest";
import { ErrCode, NoOffset, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { compareNames, MemFs, type FsObj } from "../../runtime/fs/index.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const owner = { owner: "t" };

async function version(o: FsObj): Promise<number> {
  return (await o.meta()).version;
}

describe("memfs", () => {
  it("assigns object ids from 1, never reused", async () => {
    const fs = new MemFs();
    expect(fs.root.id).toBe(1n);
    const a = await fs.create("a", 0o644);
    await fs.remove("a");
    const b = await fs.create("a", 0o644);
    expect([a.id, b.id]).toEqual([2n, 3n]);
  });

  it("makes each kind from its perm and refuses devices", async () => {
    const fs = new MemFs();
    expect((await fs.create("d", Perm.DMDIR | 0o755)).kind).toBe("dir");
    expect((await fs.create("s", Perm.DMSYMLINK | 0o777)).kind).toBe("symlink");
    expect((await fs.create("p", Perm.DMNAMEDPIPE | 0o644)).kind).toBe("pipe");
    expect((await fs.create("t", Perm.DMTMP | 0o644)).kind).toBe("file");
    await expect(fs.create("x", Perm.DMDEVICE)).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
    await expect(fs.create("d", 0o644)).rejects.toSatisfy((e) => isErr(e, ErrCode.Exists));
  });

  it("files: offsets, append, zero fill, truncate, versions once per mutation", async () => {
    const fs = new MemFs();
    const f = await fs.create("f", 0o644);
    if (f.kind !== "file") throw new Error("kind");
    await f.write(0n, enc("abc"));
    await f.write(NoOffset, enc("d"));
    await f.write(6n, enc("g"));
    expect(Array.from(await f.read(0n, 100))).toEqual([97, 98, 99, 100, 0, 0, 103]);
    expect(await version(f)).toBe(4);
    await f.truncate(2n);
    await f.truncate(4n);
    expect(Array.from(await f.read(0n, 100))).toEqual([97, 98, 0, 0]);
    await f.replace(enc("new"));
    expect(dec(await f.read(0n, 100))).toBe("new");
    expect(await version(f)).toBe(7);
    await expect(f.read(0n, 1, 3)).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Version) && e.obj === "7",
    );
    await expect(f.write(1n << 40n, enc("x"))).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Badoffset),
    );
  });

  it("directories list byte-wise and page after a name", async () => {
    const fs = new MemFs();
    const names = ["b", "a", "B", "é", "😀", "\u{ffff}", "a0"];
    for (const n of names) await fs.create(n, 0o644);
    const all = (await fs.root.list(undefined, 100)).map((e) => e.name);
    expect(all).toEqual(["B", "a", "a0", "b", "é", "\u{ffff}", "😀"]);
    expect((await fs.root.list("a", 2)).map((e) => e.name)).toEqual(["a0", "b"]);
    expect((await fs.root.list("zz-missing", 10)).map((e) => e.name)).toEqual([
      "é",
      "\u{ffff}",
      "😀",
    ]);
    expect(compareNames("\u{ffff}", "😀")).toBeLessThan(0);
  });

  it("remove: NotEmpty, identity, versions of object and parent", async () => {
    const fs = new MemFs();
    const d = await fs.mkdirAll("d");
    const f = await d.create("f", 0o644, owner);
    await expect(fs.root.remove("d")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotEmpty));
    const other = await fs.create("g", 0o644);
    await expect(d.remove("f", other)).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
    const dv = await version(d);
    await d.remove("f", f);
    expect(await version(f)).toBe(2);
    expect(await version(d)).toBe(dv + 1);
    const m = await f.meta();
    expect([m.linked, m.parent, m.name]).toEqual([false, undefined, "f"]);
  });

  it("rename: within and across directories, replacing, never into itself", async () => {
    const fs = new MemFs();
    const d = await fs.mkdirAll("d");
    const e = await fs.mkdirAll("d/e");
    const f = await d.create("f", 0o644, owner);
    const g = await d.create("g", 0o644, owner);
    const r = await d.rename("f", d, "g");
    expect(r.replaced).toBe(g);
    expect((await g.meta()).linked).toBe(false);
    await d.rename("g", e, "h");
    expect((await f.meta()).parent).toBe(e);
    expect((await f.meta()).name).toBe("h");
    await expect(fs.root.rename("d", e, "x")).rejects.toSatisfy((x) => isErr(x, ErrCode.Inval));
    await e.create("z", 0o644, owner);
    await d.create("full", Perm.DMDIR | 0o755, owner);
    await expect(d.rename("e", d, "full")).resolves.toBeDefined();
    const d2 = await d.create("e2", Perm.DMDIR | 0o755, owner);
    await expect(d.rename("e2", d, "full")).rejects.toSatisfy(
      (x) => isErr(x, ErrCode.NotEmpty) && x.obj === "full",
    );
    expect(d2.kind).toBe("dir");
  });

  it("rename replaces a target only with an object of its family (deviation 14)", async () => {
    const fs = new MemFs();
    const d = await fs.mkdirAll("d");
    const dir = await d.create("dir", Perm.DMDIR | 0o755, owner);
    const file = await d.create("file", 0o644, { owner: "", content: enc("keep") });
    await d.create("empty", Perm.DMDIR | 0o755, owner);
    // A directory over a file: NotDir(target), and both stay as they were.
    await expect(d.rename("dir", d, "file")).rejects.toSatisfy(
      (x) => isErr(x, ErrCode.NotDir) && x.obj === "file",
    );
    // A file over a directory, even an empty one: Isdir(target).
    await expect(d.rename("file", d, "empty")).rejects.toSatisfy(
      (x) => isErr(x, ErrCode.Isdir) && x.obj === "empty",
    );
    expect(await d.lookup("file")).toBe(file);
    expect(await d.lookup("dir")).toBe(dir);
    expect(file.kind === "file" && dec(await file.read(0n, 10))).toBe("keep");
    // Same family: a directory over an empty directory.
    const r = await d.rename("dir", d, "empty");
    expect(r.moved).toBe(dir);
    expect(r.replaced?.kind).toBe("dir");
  });

  it("devices: inserted by helpers, missing handlers are NotSupported", async () => {
    const fs = new MemFs();
    const dev = await fs.makeDevice("dev", { read: () => enc("r") });
    const ctx = { session: 1n, signal: new AbortController().signal, park: () => {} };
    expect(dev.rpc).toBe(false);
    expect(dec(await dev.read(0n, 10, ctx))).toBe("r");
    await expect(dev.write(0n, enc("x"), ctx)).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.NotSupported),
    );
    await expect(dev.writeRead(enc("x"), ctx)).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.NotSupported),
    );
    expect((await fs.lookup("dev"))?.perm).toBe((Perm.DMDEVICE | 0o666) >>> 0);
  });

  it("hands out reads as copies that later writes and truncations leave alone", async () => {
    const fs = new MemFs();
    const f = await fs.create("f", 0o644);
    if (f.kind !== "file") throw new Error("not a file");
    await f.write(0n, enc("hello world"));
    const before = await f.read(0n, 5);
    const whole = await f.read(0n, 100);
    await f.write(0n, enc("HELLO"));
    await f.truncate(2n);
    expect(dec(before)).toBe("hello");
    expect(dec(whole)).toBe("hello world");
    expect(before).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(before)).toBe(false);
    expect(dec(await f.read(0n, 100))).toBe("HE");
  });
});
