/**
 * The fence table is bounded (docs/protsrv.md, "Fences"): per session and in total; a full table
 * collects only fences no live session has used and no request holds, longest idle first.
 */
import { describe, expect, it } from "vitest";
import { ErrCode, NoV, type Tfence } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs } from "../../runtime/fs/index.js";
import { createProtServer, type ProtServerOptions } from "../../runtime/protsrv/index.js";
import { FakeSession } from "./fixture.js";

const fence = (id: bigint, epoch: bigint): Tfence => ({
  fenceid: { path: id, serverid: 0n },
  epoch,
});

function server(opts: ProtServerOptions) {
  const fs = new MemFs();
  const ps = createProtServer({ root: fs.root, ...opts });
  return { fs, ps, session: () => new FakeSession(ps) };
}

/** One fenced request (a version-free read of `f`) of session `s` with fence `f`. */
async function fencedRead(s: FakeSession, f: Tfence): Promise<void> {
  const { fid } = await s.walkTo("f");
  try {
    await s.h.readV({ fid, offset: 0n, count: 1, version: NoV }, s.ctx(f));
  } finally {
    await s.h.clunk({ fid }, s.ctx());
  }
}

describe("fence table bounds", () => {
  it("a session may use maxFencesPerSession fence ids; one more is Nomem, known ones go on", async () => {
    const { session } = server({ maxFencesPerSession: 3 });
    const a = session();
    await a.put("f", "x");
    for (const id of [1n, 2n, 3n]) await fencedRead(a, fence(id, 1n));
    await expect(fencedRead(a, fence(4n, 1n))).rejects.toSatisfy(
      (e) =>
        isErr(e, ErrCode.Nomem) && e.obj === "4" && /maxFencesPerSession \(3\)/.test(e.message),
    );
    await fencedRead(a, fence(2n, 5n));
    // Another session has its own share.
    await fencedRead(session(), fence(4n, 1n));
  });

  it("a full table refuses while every fence is in use, then collects the longest-idle one", async () => {
    const { ps, session } = server({ maxFences: 3 });
    const a = session();
    const b = session();
    await a.put("f", "x");
    await fencedRead(a, fence(1n, 7n));
    await fencedRead(b, fence(2n, 1n));
    await fencedRead(b, fence(3n, 1n));
    const c = session();
    await expect(fencedRead(c, fence(4n, 1n))).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Nomem) && /maxFences \(3\)/.test(e.message),
    );
    // a ends first, then b: fence 1 (a's only) is the longest idle and goes first.
    await a.detach();
    await b.detach();
    await fencedRead(c, fence(4n, 1n));
    expect(ps.fences.get("1")).toBeUndefined();
    expect(ps.fences.get("2")?.epoch).toBe(1n);
    // What collection lets through, exactly: fence 1 comes back at the epoch that brings it,
    // as any fence this server has not seen (spec 4.9). Its old epoch 7 is forgotten.
    await expect(fencedRead(c, fence(5n, 1n))).resolves.toBeUndefined();
    expect(ps.fences.get("2")).toBeUndefined();
    await fencedRead(c, fence(1n, 3n));
    expect(ps.fences.get("1")?.epoch).toBe(3n);
  });

  it("a fence a live session used is never collected, however full the table", async () => {
    const { ps, session } = server({ maxFences: 2 });
    const leader = session();
    await leader.put("f", "x");
    await fencedRead(leader, fence(0xeen, 9n));
    const churn = session();
    for (let id = 100n; id < 150n; id++)
      await fencedRead(churn, fence(id, 1n)).catch(() => undefined);
    expect(ps.fences.get("ee")?.epoch).toBe(9n);
    // And it still fences out the deposed leader's epoch.
    await expect(fencedRead(session(), fence(0xeen, 8n))).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Stale),
    );
  });

  it("a fence held by a running request is not collected", async () => {
    const { ps, session } = server({ maxFences: 1 });
    const a = session();
    await a.put("f", "x");
    // Server code's own check holds fence 1 with no session: idle, but held.
    const release = await ps.checkFence(fence(1n, 1n));
    await expect(fencedRead(a, fence(2n, 1n))).rejects.toSatisfy((e) => isErr(e, ErrCode.Nomem));
    release();
    await fencedRead(a, fence(2n, 1n));
    expect(ps.fences.get("1")).toBeUndefined();
  });
});
