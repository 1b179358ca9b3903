/**
 * The fence table over a fence store (runtime/fs/fence-store.ts; docs/protsrv.md, named on etcd
 * in docs/named-etcd.md "Client fences"), with a store in memory that the test steers: the table
 * starts from the store's fences, no request of a new epoch runs before the store has it, a
 * failed save leaves no fence, collection and removal delete there too, and requests run bound.
 */
import { describe, expect, it } from "vitest";
import { ErrCode, Mode, NoV, type Tfence } from "../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import { MemFs, type FenceStore, type StoredFence } from "../../runtime/fs/index.js";
import { createProtServer, type ProtServerOptions } from "../../runtime/protsrv/index.js";
import { FakeSession, enc, isPending } from "./fixture.js";

const fence = (id: bigint, epoch: bigint): Tfence => ({
  fenceid: { path: id, serverid: 0n },
  epoch,
});

/** A store whose saves wait until the test lets them go (`hold`), recording every call. */
class TestStore implements FenceStore {
  readonly saves: { fence: StoredFence; dropped: bigint | undefined }[] = [];
  readonly drops: bigint[] = [];
  /** The fence each running `within` binds, innermost last. */
  readonly bound: string[] = [];
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #fail: Error | undefined;

  constructor(readonly initial: StoredFence[] = []) {}

  loaded(): readonly StoredFence[] {
    return this.initial;
  }

  /** Later saves wait until `release`. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(fail?: Error): void {
    this.#fail = fail;
    this.#open?.();
    this.#gate = undefined;
  }

  async save(f: StoredFence, dropped?: bigint): Promise<void> {
    this.saves.push({ fence: f, dropped });
    const gate = this.#gate;
    if (gate === undefined) return;
    await gate;
    if (this.#fail !== undefined) throw this.#fail;
  }

  async drop(id: bigint): Promise<void> {
    this.drops.push(id);
  }

  async within<T>(id: bigint, epoch: bigint, fn: () => Promise<T>): Promise<T> {
    this.bound.push(`${id}:${epoch}`);
    return fn();
  }
}

function server(store: TestStore, opts: ProtServerOptions = {}) {
  const fs = new MemFs();
  const ps = createProtServer({ root: fs.root, fenceStore: store, ...opts });
  return { ps, session: () => new FakeSession(ps) };
}

/** A fenced TwriteV of `data` at 0 to `path` (which exists). */
async function fencedWrite(s: FakeSession, path: string, data: string, f: Tfence): Promise<void> {
  const { fid } = await s.walkTo(path);
  try {
    await s.h.open({ fid, mode: Mode.OWRITE }, s.ctx());
    await s.h.writeV({ fid, offset: 0n, version: NoV, data: enc(data) }, s.ctx(f));
  } finally {
    await s.h.clunk({ fid }, s.ctx());
  }
}

async function stale(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    if (isErr(e, ErrCode.Stale)) return true;
    throw e;
  }
}

describe("fence table over a fence store", () => {
  it("starts from the store's fences: an older epoch is Stale at once, its own epoch runs unsaved", async () => {
    const store = new TestStore([{ id: 0x10n, epoch: 3n, owner: "" }]);
    const { ps, session } = server(store);
    const a = session();
    await a.put("f", "x");
    expect(await a.list(".fences")).toEqual(["10"]);
    expect(await stale(fencedWrite(a, "f", "stale", fence(0x10n, 2n)))).toBe(true);
    expect(await a.get("f")).toBe("x");
    await fencedWrite(a, "f", "epoch 3", fence(0x10n, 3n));
    expect(await a.get("f")).toBe("epoch 3");
    expect(store.saves).toEqual([]);
    expect(store.bound).toEqual(["16:3"]);
    expect(ps.fences.get("10")?.epoch).toBe(3n);
  });

  it("a loaded fence keeps its owner: with principals only they raise it, and the raise saves them", async () => {
    const store = new TestStore([{ id: 0x20n, epoch: 1n, owner: "alice" }]);
    const { ps, session } = server(store);
    const s = session();
    await s.put("f", "x");
    const read = async (user: string, f: Tfence): Promise<void> => {
      const { fid } = await s.walkTo("f");
      try {
        await s.h.open({ fid, mode: Mode.OREAD }, s.ctx());
        const ctx = { ...s.ctx(f), principal: { user, realm: "r", role: "user" as const } };
        await s.h.readV({ fid, offset: 0n, count: 1, version: NoV }, ctx);
      } finally {
        await s.h.clunk({ fid }, s.ctx());
      }
    };
    await expect(read("bob", fence(0x20n, 2n))).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Stale) && /only the fence's owner/.test(e.message),
    );
    expect(store.saves).toEqual([]);
    await read("alice", fence(0x20n, 2n));
    expect(store.saves).toEqual([
      { fence: { id: 0x20n, epoch: 2n, owner: "alice" }, dropped: undefined },
    ]);
    expect(ps.fences.get("20")?.epoch).toBe(2n);
  });

  it("runs no request of a new or raised epoch before the store has saved it", async () => {
    const store = new TestStore();
    const { ps, session } = server(store);
    const a = session();
    const b = session();
    await a.put("f", "x");
    store.hold();
    const first = fencedWrite(a, "f", "a1", fence(1n, 1n));
    const second = fencedWrite(b, "f", "b1", fence(1n, 1n));
    expect(await isPending(first)).toBe(true);
    expect(await isPending(second)).toBe(true);
    expect(await a.get("f")).toBe("x");
    expect(store.saves).toEqual([{ fence: { id: 1n, epoch: 1n, owner: "" }, dropped: undefined }]);
    store.release();
    await Promise.all([first, second]);

    store.hold();
    const raise = fencedWrite(a, "f", "a2", fence(1n, 2n));
    expect(await isPending(raise)).toBe(true);
    // Until the raise is saved the fence is still at 1 here, held in write mode: epoch 1 waits.
    const old = stale(fencedWrite(b, "f", "b late", fence(1n, 1n)));
    expect(await isPending(old)).toBe(true);
    expect(await a.get("f")).toBe("b1");
    store.release();
    await raise;
    expect(await old).toBe(true);
    expect(await a.get("f")).toBe("a2");
    expect(store.saves.map((s) => s.fence.epoch)).toEqual([1n, 2n]);
    expect(ps.fences.get("1")?.epoch).toBe(2n);
  });

  it("a failed save leaves no fence, and the requests waiting on it get the store's error", async () => {
    const store = new TestStore();
    const { ps, session } = server(store);
    const a = session();
    await a.put("f", "x");
    store.hold();
    const first = fencedWrite(a, "f", "a", fence(5n, 1n));
    const second = fencedWrite(session(), "f", "b", fence(5n, 1n));
    await isPending(first);
    store.release(new SigmaError(ErrCode.Unreachable, "named"));
    for (const p of [first, second]) {
      await expect(p).rejects.toSatisfy((e) => isErr(e, ErrCode.Unreachable));
    }
    expect(ps.fences.get("5")).toBeUndefined();
    expect(await a.get("f")).toBe("x");
    // The next request makes it afresh (and saves it again).
    await fencedWrite(a, "f", "again", fence(5n, 1n));
    expect(store.saves.length).toBe(2);
  });

  it("a collected fence is dropped in the save of the one that displaced it; removal drops too", async () => {
    const store = new TestStore();
    const { session } = server(store, { maxFences: 1 });
    const a = session();
    await a.put("f", "x");
    await fencedWrite(a, "f", "a", fence(1n, 1n));
    await a.detach();
    const b = session();
    await fencedWrite(b, "f", "b", fence(2n, 1n));
    expect(store.saves[1]).toEqual({ fence: { id: 2n, epoch: 1n, owner: "" }, dropped: 1n });
    const { fid } = await b.walkTo(".fences/2");
    await b.h.remove({ fid }, b.ctx());
    expect(store.drops).toEqual([2n]);
    expect(await b.list(".fences")).toEqual([]);
  });
});
