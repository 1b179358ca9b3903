/** Spec 2.7, 4.6, deviation 8: directory reads with exact cursors. */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { compareNames } from "../../runtime/fs/index.js";
import { parseEntries, setup } from "./fixture.js";

describe("directory reads", () => {
  it("lists 1,000 entries across many small reads, in exact byte-wise order", async () => {
    const { fs, a } = setup();
    await fs.mkdirAll("big");
    const names: string[] = [];
    for (let i = 0; i < 1000; i++) names.push(`e${(i * 7919) % 1000}-${"x".repeat(i % 5)}`);
    names.push("Z", "é", "😀", "\u{ffff}");
    for (const n of names) await fs.create(`big/${n}`, 0o644);
    const listed = await a.list("big", 200);
    expect(listed).toEqual([...names].sort(compareNames));
    // Byte-wise: U+FFFF sorts before the astral emoji, unlike UTF-16 order.
    expect(listed.indexOf("\u{ffff}")).toBeLessThan(listed.indexOf("😀"));
  });

  it("returns whole entries only; Badcount when the next entry does not fit", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    const { fid } = await a.walkTo("d");
    await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
    await expect(a.read(fid, 10)).rejects.toSatisfy((e) => isErr(e, ErrCode.Badcount));
    const data = await a.read(fid, 1000);
    const [st] = parseEntries(data);
    expect(st?.name).toBe("f");
    expect(st?.length).toBe(1n);
    expect(await a.read(fid, 1000)).toHaveLength(0);
  });

  it("a directory's length is the size of its full listing", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.put("d/f", "x");
    await a.put("d/g", "yy");
    const { fid } = await a.walkTo("d");
    const data = await a.read(fid, 1000);
    expect((await a.stat("d")).length).toBe(BigInt(data.length));
  });

  it("a scan during creates and removes sees every stable entry exactly once", async () => {
    const { fs, a, b } = setup();
    await fs.mkdirAll("d");
    const stable = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const n = `s${String(i).padStart(3, "0")}`;
      stable.add(n);
      await fs.create(`d/${n}`, 0o644);
    }
    for (let i = 0; i < 100; i++) await fs.create(`d/t${i}`, 0o644);
    const { fid } = await a.walkTo("d");
    const seen: string[] = [];
    let step = 0;
    for (;;) {
      const data = await a.read(fid, 300);
      if (data.length === 0) break;
      for (const st of parseEntries(data)) seen.push(st.name);
      // Between reads another client churns the directory around the cursor.
      const root = await b.attach();
      await b.put(`d/n${step}`, "x");
      await b.put(`d/a${step}`, "x");
      if (step < 100) {
        await b.h.removefile({ fid: root, wnames: ["d", `t${step}`], resolve: false }, b.ctx());
      }
      step++;
    }
    for (const n of stable) expect(seen.filter((s) => s === n)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("readV on a directory checks the version", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const { fid, qids } = await a.walkTo("d");
    await a.put("d/f", "x");
    await expect(a.read(fid, 1000, 0n, qids[0]?.version)).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Version),
    );
  });
});
