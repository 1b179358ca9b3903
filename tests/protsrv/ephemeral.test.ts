/** Spec 4.8, deviation 4: ephemeral objects go at session end, by identity. */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { setup } from "./fixture.js";

const TMP = Perm.DMTMP | 0o644;

describe("ephemeral objects", () => {
  it("are removed when their session detaches; others survive", async () => {
    const { a, b } = setup();
    await a.create("t", TMP, Mode.OWRITE);
    await a.create("keep");
    await a.put("pt", "x", { perm: TMP });
    await a.detach();
    expect(await b.list("")).toEqual([".statsd", ".fences", "keep"]);
  });

  it("a newer object with the same name survives", async () => {
    const { a, b } = setup();
    await a.create("t", TMP, Mode.OWRITE);
    const { fid } = await b.walkTo("t");
    await b.h.remove({ fid }, b.ctx());
    await b.put("t", "newer");
    await a.detach();
    expect(await b.get("t")).toBe("newer");
  });

  it("a renamed ephemeral object is removed under its current name", async () => {
    const { a, b } = setup();
    await a.create("d", Perm.DMDIR | 0o755);
    const fid = await a.create("d/t", TMP, Mode.OWRITE);
    await a.h.wstat({ fid, stat: { name: "u" } as Stat }, a.ctx());
    await b.put("d/t", "other");
    await a.detach();
    expect(await b.list("d")).toEqual(["t"]);
  });

  it("putfile with DMTMP on an existing file joins the set", async () => {
    const { a, b } = setup();
    await b.put("f", "b's");
    await a.put("f", "a's", { perm: TMP });
    await a.detach();
    await expect(b.get("f")).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
  });

  it("detach runs registered callbacks after the cleanup", async () => {
    const { a, b, ps } = setup();
    await a.create("t", TMP, Mode.OWRITE);
    const seen: string[][] = [];
    ps.registerDetach(a.id, async () => {
      seen.push(await b.list(""));
    });
    const off = ps.registerDetach(a.id, () => {
      seen.push(["never"]);
    });
    off();
    await a.detach();
    expect(seen).toEqual([[".statsd", ".fences"]]);
  });

  it("a removed ephemeral object is dropped from the set", async () => {
    const { a, b } = setup();
    await a.create("t", TMP, Mode.OWRITE);
    await a.h.removefile({ fid: await a.attach(), wnames: ["t"], resolve: false }, a.ctx());
    await b.put("t", "b's");
    await a.detach();
    expect(await b.get("t")).toBe("b's");
  });
});
