/** memfs's byte quota and sparse files (docs/session.md, "Server limits: protsrv and memfs"). */
import { describe, expect, it } from "vitest";
import { ErrCode, NoOffset, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs, OBJECT_BYTES, PAGE_BYTES, type FsObj } from "../../runtime/fs/index.js";

const MIB = 2 ** 20;

function fileOf(obj: FsObj | undefined) {
  if (obj?.kind !== "file") throw new Error("not a file");
  return obj;
}

describe("sparse files", () => {
  it("a 1-byte write at 1023 MiB holds one page, reads zeros before it, and has the right size", async () => {
    const fs = new MemFs();
    const f = fileOf(await fs.create("f", 0o644));
    const before = fs.usedBytes;
    await f.write(1023n * BigInt(MIB), new Uint8Array([7]));
    expect(fs.usedBytes - before).toBe(PAGE_BYTES);
    expect((await f.meta()).length).toBe(1023n * BigInt(MIB) + 1n);
    expect(Array.from(await f.read(0n, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const tail = await f.read(1023n * BigInt(MIB) - 2n, 10);
    expect(Array.from(tail)).toEqual([0, 0, 7]);
    // Created with content at an offset (Tputfile's new file): the same.
    const g = fileOf(
      await fs.root.create("g", 0o644, {
        owner: "",
        content: new Uint8Array([1, 2]),
        contentOffset: 512n * BigInt(MIB),
      }),
    );
    expect((await g.meta()).length).toBe(512n * BigInt(MIB) + 2n);
    expect(fs.usedBytes - before).toBeLessThan(2 * PAGE_BYTES + 2 * OBJECT_BYTES);
  });

  it("reads across pages and holes, appends, truncates down and up keep exact content", async () => {
    const fs = new MemFs();
    const f = fileOf(await fs.create("f", 0o644));
    const a = new Uint8Array(PAGE_BYTES + 100).map((_, i) => (i % 250) + 1);
    await f.write(0n, a);
    await f.write(BigInt(3 * PAGE_BYTES - 1), new Uint8Array([9, 9]));
    await f.write(NoOffset, new Uint8Array([5]));
    const all = await f.read(0n, 4 * PAGE_BYTES);
    expect(all.length).toBe(3 * PAGE_BYTES + 2);
    expect(Array.from(all.subarray(0, a.length))).toEqual(Array.from(a));
    expect(all.subarray(a.length, 3 * PAGE_BYTES - 1).every((b) => b === 0)).toBe(true);
    expect(Array.from(all.subarray(3 * PAGE_BYTES - 1))).toEqual([9, 9, 5]);
    const held = fs.usedBytes;
    await f.truncate(10n);
    expect(fs.usedBytes).toBeLessThan(held - 2 * PAGE_BYTES);
    await f.truncate(BigInt(2 * PAGE_BYTES));
    const grown = await f.read(0n, 3 * PAGE_BYTES);
    expect(grown.length).toBe(2 * PAGE_BYTES);
    expect(Array.from(grown.subarray(0, 10))).toEqual(Array.from(a.subarray(0, 10)));
    expect(grown.subarray(10).every((b) => b === 0)).toBe(true);
  });
});

describe("the memfs quota", () => {
  it("refuses with Nomem whatever would pass maxBytes, and changes nothing", async () => {
    const fs = new MemFs({ maxBytes: 64 * 1024 });
    const f = fileOf(await fs.create("f", 0o644, new Uint8Array([1, 2, 3])));
    await expect(f.write(0n, new Uint8Array(64 * 1024))).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Nomem) && e.obj === "f" && /maxBytes \(65536 B\)/.test(e.message),
    );
    expect(Array.from(await f.read(0n, 10))).toEqual([1, 2, 3]);
    await expect(f.replace(new Uint8Array(70_000))).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Nomem),
    );
    expect(Array.from(await f.read(0n, 10))).toEqual([1, 2, 3]);
    // Objects are charged too: a directory of empty files fills the quota.
    let made = 0;
    await expect(
      (async () => {
        for (;;) {
          await fs.create(`e${made}`, 0o644);
          made++;
        }
      })(),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
    expect(made).toBeGreaterThan(10);
    expect(made).toBeLessThan(64);
    expect(await fs.lookup(`e${made}`)).toBeUndefined();
    // Removing gives the bytes back.
    for (let i = 0; i < made; i++) await fs.remove(`e${i}`);
    await fs.create("again", Perm.DMDIR | 0o755);
  });

  it("a removed object keeps its charge until released, once", async () => {
    const fs = new MemFs();
    const base = fs.usedBytes;
    const f = fileOf(await fs.create("f", 0o644, new Uint8Array(1000)));
    const charged = fs.usedBytes - base;
    expect(charged).toBeGreaterThanOrEqual(1000 + OBJECT_BYTES);
    const removed = await fs.root.remove("f");
    expect(fs.usedBytes - base).toBe(charged);
    removed.release?.();
    removed.release?.();
    expect(fs.usedBytes).toBe(base);
    expect(f.kind).toBe("file");
  });
});
