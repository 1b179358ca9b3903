/** Spec 4.8, deviation 4: ephemeral objects go at session end, by identity. */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { inFlight } from "../support/in-flight.js";
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

  it("a large cleanup runs in slices: others' requests run between them, by identity, watches fire", async () => {
    const { fs, a, b } = setup();
    await fs.mkdirAll("tmp");
    const n = 20_000;
    const root = await a.attach();
    for (let i = 0; i < n; i++) {
      await a.h.putfile(
        {
          fid: root,
          mode: Mode.OWRITE,
          perm: TMP,
          offset: 0n,
          wnames: ["tmp", `f${i}`],
          resolve: true,
          data: new Uint8Array(1),
        },
        a.ctx(),
      );
    }
    // A watch on the last file: it must fire when the cleanup reaches it.
    const { fid: last, qids } = await b.walkTo(`tmp/f${n - 1}`);
    expect(qids).toHaveLength(2);
    const watched = inFlight(b.h.watch({ fid: last }, b.ctx()));
    const cleanup = inFlight(a.detach());
    // One turn of the event loop: a cleanup in one synchronous run has finished by now.
    await new Promise((r) => setImmediate(r));
    const { fid: tmp } = await b.walkTo("tmp");
    const midway = (await b.h.stat({ fid: tmp }, b.ctx())).stat;
    expect(midway.qid.version).toBeGreaterThan(1);
    const left = await b.list("tmp");
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(n);
    // Meanwhile another client replaces a file the cleanup has not reached: the newer one stays.
    const name = left[left.length - 1] as string;
    await b.h.removefile({ fid: await b.attach(), wnames: ["tmp", name], resolve: false }, b.ctx());
    await b.put(`tmp/${name}`, "newer");
    await cleanup;
    await watched;
    expect(await b.list("tmp")).toEqual([name]);
    expect(await b.get(`tmp/${name}`)).toBe("newer");
  });
});
