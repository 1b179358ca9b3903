import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FrameError } from "../../runtime/wire/frame.js";
import { FrameReader } from "../../runtime/wire/frame-reader.js";
import { encodeFrame, FrameWriter } from "../../runtime/wire/frame-writer.js";

const MAX = 1024;

function payloadOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function framesOf(payloads: Uint8Array[]): Uint8Array {
  return Buffer.concat(payloads.map((p) => encodeFrame(p)));
}

/** A reader that collects copies of what it yields. */
function collector(maxFrame = MAX): { reader: FrameReader; out: number[][] } {
  const out: number[][] = [];
  const reader = new FrameReader(maxFrame, (p) => out.push([...p]));
  return { reader, out };
}

afterEach(() => vi.restoreAllMocks());

describe("frame reader", () => {
  const payloads = [payloadOf(1, 1), payloadOf(7, 2), payloadOf(300, 3), payloadOf(2, 4)];
  const stream = framesOf(payloads);
  const expected = payloads.map((p) => [...p]);

  it("yields the same payloads wherever the stream is split once", () => {
    for (let i = 0; i <= stream.length; i++) {
      const { reader, out } = collector();
      reader.push(stream.subarray(0, i));
      reader.push(stream.subarray(i));
      expect(out, `split at ${i}`).toEqual(expected);
      expect(reader.partialBytes).toBe(0);
    }
  });

  it("yields the same payloads wherever the stream is split twice", () => {
    const small = framesOf([payloadOf(3, 5), payloadOf(9, 6), payloadOf(1, 7)]);
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const { reader, out } = collector();
        reader.push(small.subarray(0, i));
        reader.push(small.subarray(i, j));
        reader.push(small.subarray(j));
        expect(out.map((p) => p.length)).toEqual([3, 9, 1]);
      }
    }
  });

  it("yields the same payloads from one-byte chunks", () => {
    const { reader, out } = collector();
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    expect(out).toEqual(expected);
  });

  it("round-trips any payloads cut into any chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (ps, cuts) => {
          const bytes = framesOf(ps);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const { reader, out } = collector();
          let from = 0;
          for (const p of [...points, bytes.length]) {
            reader.push(bytes.subarray(from, p));
            from = p;
          }
          expect(out).toEqual(ps.map((p) => [...p]));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("hands out payloads inside one chunk as views of that chunk, without copying", () => {
    const views: Uint8Array[] = [];
    const reader = new FrameReader(MAX, (p) => views.push(p));
    reader.push(stream);
    expect(views).toHaveLength(4);
    for (const v of views) expect(v.buffer).toBe(stream.buffer);
    expect(views[1]!.byteOffset).toBe(stream.byteOffset + 4 + 1 + 4);
  });

  it("assembles a payload spanning chunks into one buffer of exactly its size", () => {
    const views: Uint8Array[] = [];
    const reader = new FrameReader(MAX, (p) => views.push(p));
    const frame = encodeFrame(payloadOf(300, 9));
    reader.push(frame.subarray(0, 100));
    reader.push(frame.subarray(100, 200));
    reader.push(frame.subarray(200));
    expect(views).toHaveLength(1);
    expect(views[0]!.byteOffset).toBe(0);
    expect(views[0]!.buffer.byteLength).toBe(300);
    expect([...views[0]!]).toEqual([...payloadOf(300, 9)]);
  });

  it("rejects a zero length as a protocol error", () => {
    const { reader, out } = collector();
    const err = catchFrameError(() => reader.push(Uint8Array.from([0, 0, 0, 0, 1, 2])));
    expect(err.length).toBe(0);
    expect(err.tooLarge).toBe(false);
    expect(out).toEqual([]);
  });

  it("rejects a length above the maximum from the four prefix bytes, before allocating", () => {
    const alloc = vi.spyOn(Buffer, "allocUnsafeSlow");
    const { reader } = collector();
    const err = catchFrameError(() => reader.push(Uint8Array.from([0xff, 0xff, 0xff, 0xff])));
    expect(err.length).toBe(0xffff_ffff);
    expect(err.tooLarge).toBe(true);
    expect(err.message).toBe(`frame: frame of ${0xffff_ffff} bytes exceeds the maximum ${MAX}`);
    expect(alloc).not.toHaveBeenCalled();
  });

  it("rejects an oversized length whose prefix is split across chunks", () => {
    const { reader } = collector();
    reader.push(Uint8Array.from([0, 0]));
    const err = catchFrameError(() => reader.push(Uint8Array.from([0x04, 0x01])));
    expect(err.length).toBe(MAX + 1);
    expect(err.tooLarge).toBe(true);
  });

  it("accepts a frame of exactly the maximum", () => {
    const { reader, out } = collector();
    reader.push(encodeFrame(payloadOf(MAX, 1)));
    expect(out).toHaveLength(1);
  });

  it("yields nothing for a half-written frame and reports the bytes held", () => {
    const { reader, out } = collector();
    const frame = encodeFrame(payloadOf(100, 1));
    reader.push(frame.subarray(0, 2));
    expect(reader.partialBytes).toBe(2);
    reader.push(frame.subarray(2, 54));
    expect(out).toEqual([]);
    // A small payload's buffer is allocated whole at its first piece, and counted so.
    expect(reader.partialBytes).toBe(frame.length);
  });

  it("lowers its limit when told, for the negotiated maximum", () => {
    const { reader } = collector();
    reader.maxFrame = 10;
    expect(() => reader.push(encodeFrame(payloadOf(11, 1)))).toThrow(FrameError);
  });

  it("stops at once when the sink stops it mid-chunk", () => {
    const out: number[] = [];
    const reader: FrameReader = new FrameReader(MAX, (p) => {
      out.push(p.length);
      reader.stop();
    });
    reader.push(stream);
    reader.push(stream);
    expect(out).toEqual([1]);
  });
});

describe("frame writer", () => {
  function flushAll(w: FrameWriter): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    w.flush((c) => chunks.push(c));
    return chunks;
  }

  it("gathers small frames into one chunk that reads back as the same payloads", () => {
    const w = new FrameWriter();
    const ps = [payloadOf(5, 1), payloadOf(100, 2), payloadOf(1, 3)];
    for (const p of ps) w.append(p);
    expect(w.pendingBytes).toBe(3 * 4 + 106);
    expect(w.chunkCount).toBe(1);
    const chunks = flushAll(w);
    expect(chunks).toHaveLength(1);
    expect([...chunks[0]!]).toEqual([...framesOf(ps)]);
    expect(w.pendingBytes).toBe(0);
    expect(w.chunkCount).toBe(0);
  });

  it("never overwrites a flushed region with later frames", () => {
    const w = new FrameWriter();
    w.append(payloadOf(50, 1));
    const [first] = flushAll(w);
    const before = [...first!];
    for (let i = 0; i < 5000; i++) w.append(payloadOf(40, i));
    flushAll(w);
    expect([...first!]).toEqual(before);
  });

  it("writes a large payload as it is, after its prefix, keeping frame order", () => {
    const w = new FrameWriter();
    const big = payloadOf(20_000, 1);
    w.append(payloadOf(3, 1));
    w.append(big);
    w.append(payloadOf(4, 2));
    expect(w.chunkCount).toBe(3);
    const chunks = flushAll(w);
    expect(chunks[1]).toBe(big);
    const { reader, out } = collector(100_000);
    for (const c of chunks) reader.push(c);
    expect(out.map((p) => p.length)).toEqual([3, 20_000, 4]);
  });

  it("spills into a new slab when one fills, keeping order", () => {
    const w = new FrameWriter();
    const ps = Array.from({ length: 40 }, (_, i) => payloadOf(10_000, i));
    for (const p of ps) w.append(p);
    const { reader, out } = collector(100_000);
    for (const c of flushAll(w)) reader.push(c);
    expect(out).toEqual(ps.map((p) => [...p]));
  });

  it("keeps frame order across its growing slabs", () => {
    const w = new FrameWriter();
    // From one byte to 3,000: the first slabs are small, each replacement larger.
    const ps = Array.from({ length: 300 }, (_, i) => payloadOf(1 + i * 10, i));
    const chunks: Uint8Array[] = [];
    for (const [i, p] of ps.entries()) {
      w.append(p);
      if (i % 7 === 0) chunks.push(...flushAll(w));
    }
    chunks.push(...flushAll(w));
    const { reader, out } = collector(100_000);
    for (const c of chunks) reader.push(c);
    expect(out).toEqual(ps.map((p) => [...p]));
  });

  it("discards what is pending", () => {
    const w = new FrameWriter();
    w.append(payloadOf(3, 1));
    w.discard();
    expect(flushAll(w)).toEqual([]);
  });
});

function catchFrameError(f: () => void): FrameError {
  try {
    f();
  } catch (e) {
    if (e instanceof FrameError) return e;
    throw e;
  }
  throw new Error("expected a FrameError");
}
