/** protsrv's limits (docs/session.md, "Server limits: protsrv and memfs"): each a clear error. */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, NoV, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs, OBJECT_BYTES, PAGE_BYTES } from "../../runtime/fs/index.js";
import { createProtServer, type ProtServerOptions } from "../../runtime/protsrv/index.js";
import { REPLY_HEADROOM } from "../../runtime/protsrv/limits.js";
import { FakeSession, parseEntries } from "./fixture.js";

function server(opts: ProtServerOptions = {}) {
  const fs = new MemFs();
  const ps = createProtServer({ root: fs.root, ...opts });
  return { fs, ps, a: new FakeSession(ps), b: new FakeSession(ps) };
}

describe("read counts are clamped to what fits in a reply", () => {
  it("a count of 2^32-1 returns at most maxFrame minus the headroom, and the rest on the next read", async () => {
    const maxFrame = 256 * 1024;
    const { fs, a } = server({ maxFrame });
    const size = 3 * maxFrame;
    const content = new Uint8Array(size).map((_, i) => i % 251);
    await fs.create("big", 0o644, content);
    const { fid } = await a.walkTo("big");
    await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
    const clamp = maxFrame - REPLY_HEADROOM;
    const first = await a.h.readV({ fid, offset: 0n, count: 0xffffffff, version: NoV }, a.ctx());
    expect(first.data.length).toBe(clamp);
    expect(first.data[clamp - 1]).toBe((clamp - 1) % 251);
    const next = await a.h.readV(
      { fid, offset: BigInt(clamp), count: 0xffffffff, version: NoV },
      a.ctx(),
    );
    expect(next.data.length).toBe(clamp);
    expect(next.data[0]).toBe(clamp % 251);
    // Tgetfile is clamped the same way.
    const root = await a.attach();
    const got = await a.h.getfile(
      { fid: root, mode: Mode.OREAD, offset: 0n, count: 1_000_000, wnames: ["big"], resolve: true },
      a.ctx(),
    );
    expect(got.data.length).toBe(clamp);
  });

  it("a directory read with a huge count returns whole entries within the clamp, then resumes", async () => {
    const maxFrame = 8192;
    const { fs, a } = server({ maxFrame });
    await fs.mkdirAll("d");
    const n = 500;
    for (let i = 0; i < n; i++) await fs.create(`d/entry-with-a-long-name-${i}`, 0o644);
    const { fid } = await a.walkTo("d");
    await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
    let seen = 0;
    for (;;) {
      const r = await a.h.readV({ fid, offset: 0n, count: 0xffffffff, version: NoV }, a.ctx());
      if (r.data.length === 0) break;
      expect(r.data.length).toBeLessThanOrEqual(maxFrame - REPLY_HEADROOM);
      seen += parseEntries(r.data).length;
    }
    expect(seen).toBe(n);
  });
});

describe("fids are capped", () => {
  it("per session: clones beyond maxFidsPerSession are Nomem until some are clunked", async () => {
    const { a, b } = server({ maxFidsPerSession: 10 });
    const root = await a.attach();
    const fids: number[] = [];
    for (let i = 0; i < 9; i++) {
      const fid = a.fid();
      await a.h.walk({ fid: root, newFid: fid, wnames: [] }, a.ctx());
      fids.push(fid);
    }
    const refused = a.fid();
    await expect(a.h.walk({ fid: root, newFid: refused, wnames: [] }, a.ctx())).rejects.toSatisfy(
      (e) =>
        isErr(e, ErrCode.Nomem) &&
        e.obj === String(refused) &&
        /maxFidsPerSession \(10\)/.test(e.message),
    );
    await expect(a.attach()).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
    // Replacing a fid by its own walk needs no new one.
    await a.h.walk({ fid: fids[0] as number, newFid: fids[0] as number, wnames: [] }, a.ctx());
    // Another session has its own allowance.
    await b.attach();
    await a.h.clunk({ fid: fids[1] as number }, a.ctx());
    await a.h.walk({ fid: root, newFid: refused, wnames: [] }, a.ctx());
  });

  it("per server: maxFids over all sessions; a session's end gives its fids back", async () => {
    const { ps, a } = server({ maxFids: 4 });
    const b = new FakeSession(ps);
    await a.attach();
    await a.attach();
    await b.attach();
    await b.attach();
    await expect(a.attach()).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Nomem) && /maxFids \(4\)/.test(e.message),
    );
    await b.detach();
    await a.attach();
    await a.attach();
  });

  it("a create turns its own fid into the new object: it needs no new one", async () => {
    const { a } = server({ maxFidsPerSession: 2 });
    const root = await a.attach();
    const fid = a.fid();
    await a.h.walk({ fid: root, newFid: fid, wnames: [] }, a.ctx());
    await a.h.create({ fid, name: "f", perm: 0o644, mode: Mode.OWRITE }, a.ctx());
    await a.h.create({ fid: root, name: "d", perm: Perm.DMDIR | 0o755, mode: 0 }, a.ctx());
    // Still exactly two fids: a third is refused.
    await expect(a.attach()).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
  });
});

describe("memory held through the protocol", () => {
  it("a 1-byte Tputfile at offset 1023 MiB holds one page, not 1023 MiB", async () => {
    const { fs, a } = server();
    const before = fs.usedBytes;
    const root = await a.attach();
    const offset = 1023n * 2n ** 20n;
    const r = await a.h.putfile(
      {
        fid: root,
        mode: Mode.OWRITE,
        perm: 0o644,
        offset,
        wnames: ["sparse"],
        resolve: true,
        data: new Uint8Array([1]),
      },
      a.ctx(),
    );
    expect(r.count).toBe(1);
    expect(fs.usedBytes - before).toBeLessThan(PAGE_BYTES + 2 * OBJECT_BYTES);
    expect((await a.stat("sparse")).length).toBe(offset + 1n);
    // The same on an existing file.
    await a.put("f", "x");
    const w = await a.h.putfile(
      {
        fid: root,
        mode: Mode.OWRITE,
        perm: 0o644,
        offset,
        wnames: ["f"],
        resolve: true,
        data: new Uint8Array([2]),
      },
      a.ctx(),
    );
    expect(w.count).toBe(1);
    expect(fs.usedBytes - before).toBeLessThan(2 * PAGE_BYTES + 4 * OBJECT_BYTES);
  });

  it("past the memfs quota a Tputfile is Nomem; a removed file stays charged while a fid names it", async () => {
    const fs = new MemFs({ maxBytes: 1024 * 1024 });
    const ps = createProtServer({ root: fs.root });
    const a = new FakeSession(ps);
    const big = "x".repeat(600 * 1024);
    await a.put("f", big);
    await expect(a.put("g", big)).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
    await expect(a.get("g")).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
    // A fid on f keeps it readable after its removal, and keeps its bytes charged.
    const { fid } = await a.walkTo("f");
    await a.h.removefile({ fid: await a.attach(), wnames: ["f"], resolve: false }, a.ctx());
    await expect(a.put("g", big)).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
    expect((await a.read(fid, 10)).length).toBe(10);
    // The last fid gone, the bytes come back.
    await a.h.clunk({ fid }, a.ctx());
    await a.put("g", big);
    expect(await a.get("g")).toBe(big);
  });
});
