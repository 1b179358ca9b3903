import { describe, expect, it } from "vitest";
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { decodeRerror } from "../../generated/sigmap/codec.js";
import { ErrCode, Mode, MsgType, type Tfence } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { COUNTER_NAMES } from "../../runtime/protsrv/index.js";
import { dec, isPending, setup } from "./fixture.js";

const fence = (id: bigint, epoch: bigint): Tfence => ({
  fenceid: { path: id, serverid: 0n },
  epoch,
});

describe("fences", () => {
  it("an older epoch is Stale and does not run; a newer one raises the fence", async () => {
    const { a, b } = setup();
    await a.put("f", "x");
    const { fid } = await a.walkTo("f");
    const wr = (s: typeof a, f: Tfence, data: string) =>
      s.h.writeV(
        { fid, offset: 0n, version: 0xffffffff, data: new TextEncoder().encode(data) },
        s.ctx(f),
      );
    await wr(a, fence(0xabcn, 2n), "e2");
    await expect(wr(a, fence(0xabcn, 1n), "e1")).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Stale) && e.obj === "abc:1",
    );
    expect(await a.get("f")).toBe("e2");
    await wr(a, fence(0xabcn, 3n), "e3");
    await expect(wr(a, fence(0xabcn, 2n), "x")).rejects.toSatisfy((e) => isErr(e, ErrCode.Stale));
    // The null fence is never checked.
    const { fid: bf } = await b.walkTo("f");
    await b.h.readV({ fid: bf, offset: 0n, count: 10, version: 0xffffffff }, b.ctx());
  });

  it("a newer epoch waits for running requests of the old one", async () => {
    const { ps } = setup();
    const old = await ps.checkFence(fence(7n, 1n));
    const newer = ps.checkFence(fence(7n, 2n));
    expect(await isPending(newer)).toBe(true);
    // A later request of the old epoch queues behind the raise and then is Stale.
    const late = ps.checkFence(fence(7n, 1n));
    late.catch(() => undefined);
    old();
    (await newer)();
    await expect(late).rejects.toSatisfy((e) => isErr(e, ErrCode.Stale));
  });

  it("Stale through dispatchSigmap is an Rerror and the handler does not run", async () => {
    const { a, ps } = setup();
    await ps.checkFence(fence(9n, 5n)).then((r) => r());
    const rep = await dispatchSigmap(
      ps.handlers,
      MsgType.Tremovefile,
      [0, ["x"], false],
      new Uint8Array(),
      a.ctx(fence(9n, 4n)),
    );
    expect(rep.type).toBe(MsgType.Rerror);
    expect(decodeRerror(rep.body).errCode).toBe(ErrCode.Stale);
  });

  it(".fences lists fences by hex id; remove is allowed, read and write are not", async () => {
    const { a, ps } = setup();
    (await ps.checkFence(fence(0x1fn, 1n)))();
    (await ps.checkFence(fence(0x2an, 1n)))();
    expect(await a.list(".fences")).toEqual(["1f", "2a"]);
    const { fid } = await a.walkTo(".fences/1f");
    await expect(a.read(fid)).rejects.toSatisfy((e) => isErr(e, ErrCode.NotSupported));
    await expect(a.write(fid, "x")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotSupported));
    await a.h.remove({ fid }, a.ctx());
    expect(await a.list(".fences")).toEqual(["2a"]);
    // A removed fence starts afresh at the next epoch it sees.
    (await ps.checkFence(fence(0x1fn, 0n)))();
  });
});

describe(".statsd", () => {
  it("has exactly SigmaOS's counters, and counts exactly", async () => {
    const { ps, a } = setup();
    const root = await a.attach(); // attach
    await a.h.walk({ fid: root, newFid: 1, wnames: [".statsd"] }, a.ctx()); // walk
    await a.h.open({ fid: 1, mode: Mode.OREAD }, a.ctx()); // open
    await a.h.stat({ fid: 1 }, a.ctx()); // stat
    await a.h.clunk({ fid: root }, a.ctx()); // clunk
    const data = await a.read(1); // read (counts itself)
    const json = JSON.parse(dec(data)) as Record<string, number>;
    expect(Object.keys(json)).toEqual([...COUNTER_NAMES, "Qlen", "AvgQlen", "Util"]);
    expect(json).toMatchObject({
      Ntotal: 6,
      Nattach: 1,
      Nwalk: 1,
      Nopen: 1,
      Nstat: 1,
      Nclunk: 1,
      Nread: 1,
      Nwrite: 0,
      Nversion: 0,
      Qlen: 1,
    });
    expect(ps.stats().Ntotal).toBe(6);
    await expect(a.write(1, "x")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotSupported));
    expect(ps.stats()).toMatchObject({ Ntotal: 7, Nwrite: 1, Qlen: 0 });
  });

  it("overlay entries come first in root listings and win on lookup", async () => {
    const { fs, a } = setup();
    await fs.create(".statsd", 0o644); // made by server code, shadowed
    await a.put("!first", "x");
    await a.put("a", "x");
    expect(await a.list("")).toEqual([".statsd", ".fences", "!first", "a"]);
    const { qids } = await a.walkTo(".statsd");
    expect(qids[0]?.path).not.toBe((await fs.lookup(".statsd"))?.id);
  });
});
