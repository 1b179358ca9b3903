/**
 * An unfinished frame holds only the bytes received (issue 10): a peer announcing 16 MiB and
 * sending a little must not make the reader allocate 16 MiB, and a frame completed in many
 * small chunks still comes out whole and exact.
 */
import { describe, expect, it } from "vitest";
import { FrameReader, SMALL_PAYLOAD } from "../../runtime/wire/frame-reader.js";

const MIB = 1024 * 1024;

function prefix(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe("frame reader: unfinished frames", () => {
  it("holds about the bytes received of 200 announced 16 MiB frames, not 3.2 GiB", () => {
    const readers: FrameReader[] = [];
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 200; i++) {
      const r = new FrameReader(16 * MIB, () => {
        throw new Error("no frame is complete");
      });
      r.push(prefix(16 * MIB));
      r.push(pattern(1024, i));
      readers.push(r);
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(readers.map((r) => r.partialBytes)).toEqual(Array(200).fill(4 + 1024));
    // 200 × 1 KiB of pieces; announced sizes would be 3.2 GiB. Loose: other allocations share it.
    expect(grown).toBeLessThan(64 * MIB);
  });

  it("copies a small first piece out of a large chunk instead of pinning the chunk", () => {
    const got: Uint8Array[] = [];
    const r = new FrameReader(16 * MIB, (p) => got.push(Uint8Array.from(p)));
    // One 64 KiB chunk: a complete 60 KiB frame, then the first 100 bytes of a 100 KiB one.
    const chunk = new Uint8Array(64 * 1024);
    chunk.set(prefix(60 * 1024), 0);
    const at = 4 + 60 * 1024;
    const body = pattern(100 * 1024, 3);
    chunk.set(prefix(body.length), at);
    chunk.set(body.subarray(0, 100), at + 4);
    r.push(chunk.subarray(0, at + 4 + 100));
    expect(r.partialBytes).toBe(4 + 100);
    // The socket's chunk is not ours to keep: if the piece were a view, this would show.
    chunk.fill(0);
    r.push(body.subarray(100));
    expect(got.map((p) => p.length)).toEqual([60 * 1024, body.length]);
    expect(Buffer.compare(got[1]!, body)).toBe(0);
  });

  it("counts a small frame spanning chunks at the size allocated for it", () => {
    const r = new FrameReader(16 * MIB, () => {});
    r.push(prefix(SMALL_PAYLOAD));
    r.push(new Uint8Array(10));
    expect(r.partialBytes).toBe(4 + SMALL_PAYLOAD);
    const big = new FrameReader(16 * MIB, () => {});
    big.push(prefix(SMALL_PAYLOAD + 1));
    big.push(new Uint8Array(10));
    expect(big.partialBytes).toBe(4 + 10);
  });

  it("decodes a 4 MiB frame completed slowly in 4,096 chunks of 1 KiB, between two small ones", () => {
    const got: Uint8Array[] = [];
    const r = new FrameReader(16 * MIB, (p) => got.push(Uint8Array.from(p)));
    const big = pattern(4 * MIB, 7);
    r.push(prefix(3));
    r.push(Uint8Array.of(1, 2, 3));
    r.push(prefix(big.length));
    for (let off = 0; off < big.length; off += 1024) {
      r.push(big.subarray(off, off + 1024));
      if (off + 1024 < big.length) expect(r.partialBytes).toBe(4 + off + 1024);
    }
    r.push(Uint8Array.of(...prefix(2), 9, 9));
    expect(r.partialBytes).toBe(0);
    expect(got.length).toBe(3);
    expect(got[0]).toEqual(Uint8Array.of(1, 2, 3));
    expect(Buffer.compare(got[1]!, big)).toBe(0);
    expect(got[2]).toEqual(Uint8Array.of(9, 9));
  });

  it("assembles a frame split over chunks that also carry neighbouring frames", () => {
    const got: Uint8Array[] = [];
    const r = new FrameReader(MIB, (p) => got.push(Uint8Array.from(p)));
    const a = pattern(10, 1);
    const b = pattern(5000, 2);
    const stream = Uint8Array.from([
      ...prefix(10),
      ...a,
      ...prefix(5000),
      ...b,
      ...prefix(10),
      ...a,
    ]);
    for (let cut = 1; cut < stream.length; cut += 997) {
      got.length = 0;
      r.push(stream.subarray(0, cut));
      r.push(stream.subarray(cut, cut + 1500));
      r.push(stream.subarray(cut + 1500));
      expect(got.map((p) => p.length)).toEqual([10, 5000, 10]);
      expect(Buffer.compare(got[1]!, b)).toBe(0);
    }
  });
});
