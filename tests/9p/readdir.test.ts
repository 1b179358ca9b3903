/**
 * Treaddir offsets under concurrent change: the gateway's offsets stand for names over sigmap's
 * name-ordered cursor, so an entry present throughout a listing appears exactly once and one
 * created or removed meanwhile at most once, whatever the page size and wherever the client
 * resumes.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import type { NinepClient } from "../../servers/9p/client.js";
import { decodeDirents, type Dirent } from "../../servers/9p/codec.js";
import { O } from "../../servers/9p/tree.js";
import { bytes, client, startWorld, type World } from "./fixture.js";

let w: World;
let c: NinepClient;
let n = 0;
let nextFid = 10;
beforeAll(async () => {
  w = await startWorld();
  c = await client(w.gw);
  await c.attach(0, "name/tmp");
});
afterAll(async () => {
  await c?.close();
  await w?.close();
});

async function openDir(name: string): Promise<number> {
  const f = nextFid++;
  await c.walk(0, f, [name]);
  await c.lopen(f, O.RDONLY);
  return f;
}

async function page(fid: number, offset: bigint, count: number): Promise<Dirent[]> {
  return decodeDirents((await c.rpc({ type: "Treaddir", fid, offset, count })).data);
}

describe("Treaddir under concurrent change", () => {
  it("keeps the exactly-once / at-most-once rule for random pages, rewinds and changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 25 }),
        fc.array(
          fc.record({
            count: fc.integer({ min: 30, max: 200 }),
            // Resume at the last offset (usual), or seek back to an earlier one (seekdir).
            back: fc.nat({ max: 3 }),
            create: fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: undefined }),
            remove: fc.nat(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (initial, steps) => {
          const dir = `d${n++}`;
          const path = `name/tmp/${dir}`;
          await w.fsl.mkDir(path);
          for (const name of initial)
            await w.fsl.putFile(`${path}/${name}`, 0o777, Mode.OWRITE, bytes(""));
          const fid = await openDir(dir);
          const removed = new Set<string>();
          const created = new Set<string>();
          const seen: string[] = [];
          const cookies: bigint[] = [0n];
          let offset = 0n;
          for (const s of steps) {
            const entries = await page(fid, offset, s.count);
            for (const e of entries) {
              seen.push(e.name);
              cookies.push(e.offset);
            }
            if (entries.length === 0) break;
            offset = entries[entries.length - 1]!.offset;
            // Change the directory between pages.
            if (s.create !== undefined && !initial.includes(s.create) && !created.has(s.create)) {
              created.add(s.create);
              await w.fsl.putFile(`${path}/${s.create}`, 0o777, Mode.OWRITE, bytes(""));
            }
            const victim = initial[s.remove % initial.length]!;
            if (!removed.has(victim)) {
              removed.add(victim);
              await w.fsl.remove(`${path}/${victim}`);
            }
            if (s.back > 0 && cookies.length > s.back) {
              // seekdir to an earlier cookie: what follows is everything after that name again.
              offset = cookies[cookies.length - 1 - s.back]!;
              const after = seen[Number(offset) - 1];
              seen.length = Number(offset);
              cookies.length = Number(offset) + 1;
              if (after !== undefined) expect(seen[seen.length - 1]).toBe(after);
            }
          }
          // Finish the listing.
          for (;;) {
            const entries = await page(fid, offset, 4096);
            if (entries.length === 0) break;
            for (const e of entries) seen.push(e.name);
            offset = entries[entries.length - 1]!.offset;
          }
          await c.clunk(fid);
          const counts = new Map<string, number>();
          for (const name of seen) counts.set(name, (counts.get(name) ?? 0) + 1);
          for (const name of initial) {
            if (!removed.has(name)) expect(counts.get(name)).toBe(1);
          }
          for (const k of counts.values()) expect(k).toBe(1);
          // Names come in byte-wise order, as sigmap lists them.
          expect([...seen]).toEqual(
            [...seen].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          );
          await w.fsl.rmDir(path);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("an entry created behind the cursor is not listed; offsets go on; a rewind shows it", async () => {
    const path = "name/tmp/order";
    await w.fsl.mkDir(path);
    for (const name of ["b", "d", "f"])
      await w.fsl.putFile(`${path}/${name}`, 0o777, Mode.OWRITE, bytes(""));
    const fid = await openDir("order");
    const first = await page(fid, 0n, 30);
    expect(first.map((e) => e.name)).toEqual(["b"]);
    await w.fsl.putFile(`${path}/a`, 0o777, Mode.OWRITE, bytes(""));
    const rest = await page(fid, first[0]!.offset, 4096);
    expect(rest.map((e) => e.name)).toEqual(["d", "f"]);
    expect(rest.map((e) => e.offset)).toEqual([2n, 3n]);
    // Rewinding starts a fresh listing with the new entry.
    expect((await page(fid, 0n, 4096)).map((e) => e.name)).toEqual(["a", "b", "d", "f"]);
    await c.clunk(fid);
  });
});
