import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { dec, enc, FakeSession, isPending, setup } from "./fixture.js";

const PIPE = Perm.DMNAMEDPIPE | 0o644;

describe("pipes through protsrv", () => {
  it("open blocks until the other side opens, then data flows", async () => {
    const { a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const { fid: r } = await a.walkTo("p");
    const ro = a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx());
    expect(await isPending(ro)).toBe(true);
    expect(a.parks).toBeGreaterThan(0);
    const { fid: w } = await b.walkTo("p");
    await b.h.open({ fid: w, mode: Mode.OWRITE }, b.ctx());
    await ro;
    const read = a.read(r, 100);
    expect(await isPending(read)).toBe(true);
    await b.write(w, "hi");
    expect(dec(await read)).toBe("hi");
  });

  it("a writer whose session dies: the reader drains, then gets Closed", async () => {
    const { a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const { fid: r } = await a.walkTo("p");
    const { fid: w } = await b.walkTo("p");
    const ro = a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx());
    await b.h.open({ fid: w, mode: Mode.OWRITE }, b.ctx());
    await ro;
    await b.write(w, "last words");
    await b.detach();
    expect(dec(await a.read(r, 100))).toBe("last words");
    await expect(a.read(r, 100)).rejects.toSatisfy((e) => isErr(e, ErrCode.Closed));
  });

  it("the only writer's session ends while its open waits: a second writer gets Closed (spec 4.12)", async () => {
    const { ps, a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const { fid: w1 } = await b.walkTo("p");
    const opening = b.h.open({ fid: w1, mode: Mode.OWRITE }, b.ctx());
    expect(await isPending(opening)).toBe(true);
    await b.detach(); // the timeout's path: abort, then protsrv's detach
    await expect(opening).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    const c = new FakeSession(ps);
    const { fid: w2 } = await c.walkTo("p");
    await expect(c.h.open({ fid: w2, mode: Mode.OWRITE }, c.ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Closed) && e.obj === "pipe",
    );
    // A reader is not left waiting either: the write side is gone, so its read sees the end.
    const { fid: r } = await a.walkTo("p");
    await a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx());
    await expect(a.read(r, 10)).rejects.toSatisfy((e) => isErr(e, ErrCode.Closed));
  });

  it("a blocked read fails with SessClosed when its session closes", async () => {
    const { a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const { fid: r } = await a.walkTo("p");
    const { fid: w } = await b.walkTo("p");
    const ro = a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx());
    await b.h.open({ fid: w, mode: Mode.OWRITE }, b.ctx());
    await ro;
    const read = a.read(r, 10);
    expect(await isPending(read)).toBe(true);
    a.controller.abort();
    await expect(read).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
  });

  it("removing the pipe fails blocked opens with Notfound(pipe)", async () => {
    const { a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const { fid: r } = await a.walkTo("p");
    const ro = a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx());
    expect(await isPending(ro)).toBe(true);
    await b.h.removefile({ fid: await b.attach(), wnames: ["p"], resolve: false }, b.ctx());
    await expect(ro).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound) && e.obj === "pipe");
  });

  it("getfile and putfile go through pipes", async () => {
    const { a, b } = setup();
    await a.create("p", PIPE, Mode.ORDWR);
    const got = a.h.getfile(
      {
        fid: await a.attach(),
        mode: Mode.OREAD,
        offset: 0n,
        count: 100,
        wnames: ["p"],
        resolve: true,
      },
      a.ctx(),
    );
    expect(await isPending(got)).toBe(true);
    await b.h.putfile(
      {
        fid: await b.attach(),
        mode: Mode.OWRITE,
        perm: 0o644,
        offset: 0n,
        wnames: ["p"],
        resolve: true,
        data: enc("x"),
      },
      b.ctx(),
    );
    expect(dec((await got).data)).toBe("x");
  });
});

describe("devices", () => {
  it("read and write go to the handlers; a missing handler is NotSupported", async () => {
    const { fs, a } = setup();
    const written: string[] = [];
    await fs.makeDevice("ro", { read: (off) => enc(`at ${off}`) });
    await fs.makeDevice("wo", { write: (_o, d) => (written.push(dec(d)), d.length) });
    const { fid: ro } = await a.walkTo("ro");
    const { fid: wo } = await a.walkTo("wo");
    expect(dec(await a.read(ro, 100, 5n))).toBe("at 5");
    await expect(a.write(ro, "x")).rejects.toSatisfy((e) => isErr(e, ErrCode.NotSupported));
    await a.write(wo, "cmd");
    expect(written).toEqual(["cmd"]);
    await expect(a.read(wo)).rejects.toSatisfy((e) => isErr(e, ErrCode.NotSupported));
  });

  it("open and close handlers run with the fid's mode", async () => {
    const { fs, a } = setup();
    const log: string[] = [];
    await fs.makeDevice("d", {
      open: (m) => void log.push(`open ${m}`),
      close: (m) => void log.push(`close ${m}`),
      read: () => enc(""),
    });
    const { fid } = await a.walkTo("d");
    await a.h.open({ fid, mode: Mode.ORDWR }, a.ctx());
    await a.h.clunk({ fid }, a.ctx());
    expect(log).toEqual([`open ${Mode.ORDWR}`, `close ${Mode.ORDWR}`]);
  });

  it("writeread reaches RPC devices only", async () => {
    const { fs, a } = setup();
    await fs.makeDevice("rpc", { writeRead: (req, ctx) => enc(`${dec(req)} from ${ctx.session}`) });
    await a.put("f", "x");
    const { fid } = await a.walkTo("rpc");
    const r = await a.h.writeread({ fid, data: enc("ping") }, a.ctx());
    expect(dec(r.data)).toBe(`ping from ${a.id}`);
    const { fid: f } = await a.walkTo("f");
    await expect(a.h.writeread({ fid: f, data: enc("x") }, a.ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.NotSupported),
    );
  });

  it("a handler throwing a plain error becomes Error without harming the server", async () => {
    const { fs, a } = setup();
    await fs.makeDevice("bad", {
      read: () => {
        throw new TypeError("boom");
      },
    });
    const { fid } = await a.walkTo("bad");
    await expect(a.read(fid)).rejects.toSatisfy((e) => isErr(e, ErrCode.Error));
    expect(await a.list("")).toContain("bad");
  });
});
