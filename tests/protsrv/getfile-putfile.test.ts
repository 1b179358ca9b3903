/** Spec 4.11: the combined operations' exact rules. */
import { describe, expect, it } from "vitest";
import {
  ErrCode,
  MAXGETSET,
  Mode,
  NoOffset,
  Perm,
  type Tgetfile,
  type Tputfile,
} from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { dec, enc, type FakeSession, isPending, setup } from "./fixture.js";

async function put(s: FakeSession, p: Partial<Tputfile> & { wnames: string[] }) {
  const fid = p.fid ?? (await s.attach());
  return s.h.putfile(
    { fid, mode: Mode.OWRITE, perm: 0o644, offset: 0n, resolve: true, data: enc(""), ...p },
    s.ctx(),
  );
}

async function get(s: FakeSession, p: Partial<Tgetfile> & { wnames: string[] }) {
  const fid = p.fid ?? (await s.attach());
  const r = await s.h.getfile(
    { fid, mode: Mode.OREAD, offset: 0n, count: 1000, resolve: true, ...p },
    s.ctx(),
  );
  return dec(r.data);
}

const rejects = (code: number) => (e: unknown) => isErr(e, code);

describe("getfile", () => {
  it("reads [offset, offset+count) of a file", async () => {
    const { a } = setup();
    await a.put("f", "hello world");
    expect(await get(a, { wnames: ["f"], offset: 6n, count: 3 })).toBe("wor");
  });

  it("refuses counts above MAXGETSET, directories, special elements and final symlinks", async () => {
    const { a } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    await a.create("ln", Perm.DMSYMLINK | 0o777);
    await expect(get(a, { wnames: ["d"], count: MAXGETSET + 1 })).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Inval) && e.obj === "too large",
    );
    await expect(get(a, { wnames: ["d"] })).rejects.toSatisfy(rejects(ErrCode.NotFile));
    await expect(get(a, { wnames: ["ln", "x"] })).rejects.toSatisfy(rejects(ErrCode.NotDir));
    await expect(get(a, { wnames: ["~any", "x"] })).rejects.toSatisfy(rejects(ErrCode.Notfound));
    await expect(get(a, { wnames: ["ln"] })).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotDir) && e.obj === "ln",
    );
    await expect(get(a, { wnames: ["nope"] })).rejects.toSatisfy(rejects(ErrCode.Notfound));
  });

  it("without resolve returns a symlink's raw content", async () => {
    const { a } = setup();
    const fid = await a.create("ln", Perm.DMSYMLINK | 0o777, Mode.OWRITE);
    await a.write(fid, "target/path", 0n);
    expect(await get(a, { wnames: ["ln"], resolve: false })).toBe("target/path");
  });
});

describe("putfile", () => {
  it("creates, replaces with OTRUNC, writes at an offset, appends", async () => {
    const { a } = setup();
    await put(a, { wnames: ["f"], mode: Mode.OWRITE | Mode.OTRUNC, data: enc("hello") });
    expect(await a.get("f")).toBe("hello");
    await put(a, { wnames: ["f"], mode: Mode.OWRITE | Mode.OTRUNC, data: enc("hi") });
    expect(await a.get("f")).toBe("hi");
    await put(a, { wnames: ["f"], offset: 1n, data: enc("EY") });
    expect(await a.get("f")).toBe("hEY");
    await put(a, {
      wnames: ["f"],
      mode: Mode.OWRITE | Mode.OAPPEND,
      offset: NoOffset,
      data: enc("!"),
    });
    expect(await a.get("f")).toBe("hEY!");
    await put(a, { wnames: ["f"], offset: 6n, data: enc("z") });
    expect(Array.from(enc(await a.get("f")))).toEqual([104, 69, 89, 33, 0, 0, 122]);
    await put(a, { wnames: ["g"], offset: 2n, data: enc("x") });
    expect(Array.from(enc(await a.get("g")))).toEqual([0, 0, 120]);
  });

  it("checks OAPPEND/NoOffset and OTRUNC/offset 0, and MAXGETSET", async () => {
    const { a } = setup();
    const bad = [
      { mode: Mode.OWRITE | Mode.OAPPEND, offset: 0n },
      { mode: Mode.OWRITE, offset: NoOffset },
      { mode: Mode.OWRITE | Mode.OTRUNC, offset: 3n },
      { mode: Mode.OWRITE | Mode.OTRUNC | Mode.OAPPEND, offset: NoOffset },
    ];
    for (const b of bad) {
      await expect(put(a, { wnames: ["f"], ...b })).rejects.toSatisfy(rejects(ErrCode.Inval));
    }
    await expect(put(a, { wnames: ["f"], data: new Uint8Array(MAXGETSET + 1) })).rejects.toSatisfy(
      rejects(ErrCode.Inval),
    );
    expect(await a.list("")).toEqual([".statsd", ".fences"]);
  });

  it("OEXCL is Exists if present; a non-directory parent is NotDir; a directory is Isdir", async () => {
    const { a } = setup();
    await a.put("f", "x");
    await a.create("d", Perm.DMDIR | 0o755);
    await expect(put(a, { wnames: ["f"], mode: Mode.OWRITE | Mode.OEXCL })).rejects.toSatisfy(
      rejects(ErrCode.Exists),
    );
    await expect(put(a, { wnames: ["f", "g"] })).rejects.toSatisfy(rejects(ErrCode.NotDir));
    await expect(put(a, { wnames: ["d"], data: enc("x") })).rejects.toSatisfy(
      rejects(ErrCode.Isdir),
    );
  });

  it("an existing final symlink with resolve is NotDir", async () => {
    const { a } = setup();
    await a.create("ln", Perm.DMSYMLINK | 0o777);
    await expect(put(a, { wnames: ["ln"], data: enc("x") })).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.NotDir) && e.obj === "ln",
    );
    await put(a, {
      wnames: ["ln"],
      resolve: false,
      mode: Mode.OWRITE | Mode.OTRUNC,
      data: enc("t"),
    });
    expect(await get(a, { wnames: ["ln"], resolve: false })).toBe("t");
  });

  it("without wnames writes the fid's object", async () => {
    const { a } = setup();
    await a.put("f", "abc");
    const { fid } = await a.walkTo("f");
    await put(a, { fid, wnames: [], mode: Mode.OWRITE | Mode.OTRUNC, data: enc("new") });
    expect(await a.get("f")).toBe("new");
  });

  it("OWATCH waits while the name exists", async () => {
    const { a, b } = setup();
    await a.put("lock", "a");
    const p = put(b, { wnames: ["lock"], mode: Mode.OWRITE | Mode.OWATCH, data: enc("b") });
    expect(await isPending(p)).toBe(true);
    await a.h.removefile({ fid: await a.attach(), wnames: ["lock"], resolve: false }, a.ctx());
    await p;
    expect(await a.get("lock")).toBe("b");
  });
});
