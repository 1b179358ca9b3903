import { describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs, PIPE_CAPACITY, type Pipe, type WaitContext } from "../../runtime/fs/index.js";

function ctx(): WaitContext & { parks: number; ac: AbortController } {
  const ac = new AbortController();
  const c = { session: 0x5en, signal: ac.signal, parks: 0, ac, park: () => void c.parks++ };
  return c;
}

async function pending(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  return !done;
}

async function pipe(): Promise<{ fs: MemFs; p: Pipe }> {
  const fs = new MemFs();
  const p = await fs.create("p", Perm.DMNAMEDPIPE | 0o644);
  if (p.kind !== "pipe") throw new Error("kind");
  return { fs, p };
}

describe("memfs pipes", () => {
  it("opens block until the other side exists, and park first", async () => {
    const { p } = await pipe();
    const r = ctx();
    const opening = p.open(Mode.OREAD, r);
    expect(await pending(opening)).toBe(true);
    expect(r.parks).toBe(1);
    await p.open(Mode.OWRITE, ctx());
    await opening;
    await expect(p.open(Mode.ORDWR, ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Inval));
  });

  it("holds at most 8192 bytes: a write blocks when full and resumes as the reader drains", async () => {
    const { p } = await pipe();
    await p.open(Mode.OREAD, ctx(), false);
    await p.open(Mode.OWRITE, ctx(), false);
    const big = new Uint8Array(PIPE_CAPACITY + 100).map((_, i) => i % 251);
    const writing = p.write(big, ctx());
    expect(await pending(writing)).toBe(true);
    const first = await p.read(PIPE_CAPACITY, ctx());
    expect(first.length).toBe(PIPE_CAPACITY);
    expect(await writing).toBe(big.length);
    const rest = await p.read(1000, ctx());
    expect(Array.from(rest)).toEqual(Array.from(big.subarray(PIPE_CAPACITY)));
  });

  it("Closed: reads with no writers after draining, writes with no readers, reopening a closed side", async () => {
    const { p } = await pipe();
    await p.open(Mode.OREAD, ctx(), false);
    await p.open(Mode.OWRITE, ctx(), false);
    await p.write(new Uint8Array([1, 2]), ctx());
    await p.close(Mode.OWRITE);
    expect(Array.from(await p.read(10, ctx()))).toEqual([1, 2]);
    await expect(p.read(10, ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Closed) && e.obj === "pipe",
    );
    await expect(p.open(Mode.OWRITE, ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Closed));
    await p.close(Mode.OREAD);
    await expect(p.write(new Uint8Array([1]), ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Closed),
    );
  });

  it("removal fails blocked opens with Notfound(pipe); aborts fail waits with SessClosed", async () => {
    const { fs, p } = await pipe();
    const c = ctx();
    const opening = p.open(Mode.OWRITE, c);
    expect(await pending(opening)).toBe(true);
    await fs.remove("p");
    await expect(opening).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound) && e.obj === "pipe");

    const { p: q } = await pipe();
    const r = ctx();
    const opening2 = q.open(Mode.OREAD, r);
    expect(await pending(opening2)).toBe(true);
    r.ac.abort();
    await expect(opening2).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed) && e.obj === "5e");
    // The only reader's session ended: the read side is closed for good, so a writer's open
    // completes at once and its write fails with Closed instead of waiting for nobody.
    await q.open(Mode.OWRITE, ctx());
    await expect(q.write(new Uint8Array([1]), ctx())).rejects.toSatisfy((e) =>
      isErr(e, ErrCode.Closed),
    );
    await expect(q.open(Mode.OREAD, ctx())).rejects.toSatisfy((e) => isErr(e, ErrCode.Closed));
  });

  it("a side whose only opener's session ended is closed: a second writer gets Closed", async () => {
    const { p } = await pipe();
    const w1 = ctx();
    const opening = p.open(Mode.OWRITE, w1);
    expect(await pending(opening)).toBe(true);
    w1.ac.abort();
    await expect(opening).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    await expect(p.open(Mode.OWRITE, ctx())).rejects.toSatisfy(
      (e) => isErr(e, ErrCode.Closed) && e.obj === "pipe",
    );
    // With two writers waiting, one leaving keeps the side open for the other.
    const { p: q } = await pipe();
    const a = ctx();
    const b = ctx();
    const openA = q.open(Mode.OWRITE, a);
    const openB = q.open(Mode.OWRITE, b);
    expect(await pending(openB)).toBe(true);
    a.ac.abort();
    await expect(openA).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    await q.open(Mode.OREAD, ctx());
    await openB;
  });
});
