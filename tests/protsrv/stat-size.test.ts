/**
 * A directory's Stat length (spec 4.5) is kept by the store as entries change, and must equal
 * the byte size of its full listing as protsrv encodes it.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { encodeStat } from "../../generated/sigmap/codec.js";
import { Mode, Perm, type Stat } from "../../generated/sigmap/types.js";
import { entryBytes, utf8Bytes } from "../../runtime/fs/index.js";
import { pack } from "../../runtime/wire/index.js";
import { inFlight } from "../support/in-flight.js";
import { FakeSession, setup } from "./fixture.js";

describe("entry sizes", () => {
  it("entryBytes agrees with the encoder for any Stat protsrv can build", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        fc.record({
          dir: fc.boolean(),
          tmp: fc.boolean(),
          version: fc.integer({ min: 1, max: 0xfffffffe }),
          id: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
          mtime: u32,
          length: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          name: fc.string({ unit: "grapheme", maxLength: 300 }),
          owner: fc.string({ maxLength: 40 }),
        }),
        (r) => {
          const perm = ((r.dir ? Perm.DMDIR : 0) | (r.tmp ? Perm.DMTMP : 0) | 0o644) >>> 0;
          const stat: Stat = {
            type: 0,
            dev: 0,
            qid: { type: (perm >>> 24) & 0xff, version: r.version, path: r.id },
            mode: r.dir ? (Perm.DMDIR | 0o777) >>> 0 : 0o777,
            atime: 0,
            mtime: r.mtime,
            length: r.length,
            name: r.name,
            uid: r.owner,
            gid: r.owner,
            muid: "",
          };
          const encoded = 4 + pack(encodeStat(stat)).length;
          const computed = entryBytes({
            perm,
            version: r.version,
            id: r.id,
            mtime: r.mtime,
            length: r.length,
            nameBytes: utf8Bytes(r.name),
            ownerBytes: utf8Bytes(r.owner),
          });
          expect(computed).toBe(encoded);
        },
      ),
    );
  });
});

describe("a directory's Stat length", () => {
  it("equals its full listing after creates, writes, renames, removes and pipe traffic", async () => {
    const { fs, a } = setup();
    await fs.mkdirAll("d/sub");
    const dirs = ["", "d", "d/sub"];
    const check = async () => {
      for (const dir of dirs) {
        const { fid } = await a.walkTo(dir);
        await a.h.open({ fid, mode: Mode.OREAD }, a.ctx());
        let bytes = 0;
        for (;;) {
          const data = await a.read(fid, 1 << 20);
          if (data.length === 0) break;
          bytes += data.length;
        }
        await a.h.clunk({ fid }, a.ctx());
        expect({ dir, length: (await a.stat(dir)).length }).toEqual({ dir, length: BigInt(bytes) });
      }
    };
    await check();
    // Enough entries that the listing's own size crosses MessagePack width steps (2^8, 2^16).
    for (let i = 0; i < 700; i++) await a.put(`d/sub/f${i}`, "x".repeat(i % 300));
    await check();
    // Writes that move versions past 127 and lengths past 2^16.
    for (let i = 0; i < 130; i++) await a.put("d/grow", "y".repeat(i * 600));
    await check();
    const { fid } = await a.walkTo("d/sub/f1");
    await a.h.wstat({ fid, stat: { name: "a-much-longer-name-than-before" } as Stat }, a.ctx());
    const { fid: sub } = await a.walkTo("d/sub");
    const { fid: d } = await a.walkTo("d");
    await a.h.renameat({ oldFid: sub, oldName: "f2", newFid: d, newName: "moved" }, a.ctx());
    await a.h.removefile(
      { fid: await a.attach(), wnames: ["d", "sub", "f3"], resolve: false },
      a.ctx(),
    );
    await check();
    // A pipe's length is its buffered bytes.
    await a.create("d/p", Perm.DMNAMEDPIPE | 0o644, Mode.ORDWR);
    const b = new FakeSession(a.ps);
    const { fid: r } = await a.walkTo("d/p");
    const { fid: w } = await b.walkTo("d/p");
    const opening = inFlight(a.h.open({ fid: r, mode: Mode.OREAD }, a.ctx()));
    await b.h.open({ fid: w, mode: Mode.OWRITE }, b.ctx());
    await opening;
    await b.write(w, "buffered");
    await check();
    expect((await a.read(r, 3)).length).toBe(3);
    await check();
    // Fences appear in .fences and raise epochs there.
    const root = await a.attach();
    const fenced = (epoch: bigint) =>
      a.h.getfile(
        {
          fid: root,
          mode: Mode.OREAD,
          offset: 0n,
          count: 10,
          wnames: ["d", "grow"],
          resolve: true,
        },
        a.ctx({ fenceid: { path: 0x1234n, serverid: 0n }, epoch }),
      );
    dirs.push(".fences");
    await fenced(1n);
    await check();
    await fenced(300n);
    await check();
  });

  it("a stat of a directory reads no entries", async () => {
    const { fs, a } = setup();
    const d = await fs.mkdirAll("big");
    for (let i = 0; i < 1000; i++) await fs.create(`big/f${i}`, 0o644);
    const list = vi.spyOn(d, "list");
    const st = await a.stat("big");
    expect(st.length).toBeGreaterThan(1000n * 20n);
    expect(list).not.toHaveBeenCalled();
  });
});
