/**
 * The table-driven 9P codec: every row round-trips, the wire layout is little-endian as the
 * protocol says, and no byte string makes the decoder fail other than with a FrameError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeDirents,
  decodeMessage,
  direntSize,
  encodeDirents,
  encodeFrameParts,
  encodeMessage,
  FrameError,
} from "../../servers/9p/codec.js";
import { FrameReader } from "../../servers/9p/frame-reader.js";
import { anyMessage } from "./arbitraries.js";

/** Decoded payloads are Buffer views; compare them as plain byte arrays. */
function plain<T>(m: T): T {
  const out: Record<string, unknown> = { ...(m as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) if (Buffer.isBuffer(v)) out[k] = new Uint8Array(v);
  return out as T;
}

describe("9P codec", () => {
  it("every message of the table round-trips", () => {
    fc.assert(
      fc.property(anyMessage(), (m) => {
        expect(plain(decodeMessage(encodeMessage(m)))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it("a frame split into head and payload is the same bytes", () => {
    fc.assert(
      fc.property(anyMessage(["Rread", "Rreaddir", "Twrite", "Rwalk"]), fc.nat(6000), (m, pad) => {
        if ("data" in m) m.data = new Uint8Array(pad);
        const parts = encodeFrameParts(m);
        expect(Buffer.concat(parts)).toEqual(encodeMessage(m));
      }),
      { numRuns: 50 },
    );
  });

  it("lays out fields little-endian after size[4] type[1] tag[2]", () => {
    const b = encodeMessage({
      type: "Twalk",
      tag: 0x0102,
      fid: 0x03040506,
      newfid: 7,
      wnames: ["ab"],
    });
    expect([...b]).toEqual([
      21, 0, 0, 0, 110, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 7, 0, 0, 0, 1, 0, 2, 0, 97, 98,
    ]);
    const q = encodeMessage({
      type: "Rattach",
      tag: 1,
      qid: { type: 0x80, version: 2, path: 0x0102n },
    });
    expect([...q.subarray(7)]).toEqual([0x80, 2, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("directory entries round-trip and have the size direntSize says", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            qid: fc.record({
              type: fc.nat(255),
              version: fc.nat(),
              path: fc.bigInt({ min: 0n, max: 1n << 63n }),
            }),
            offset: fc.bigInt({ min: 0n, max: 1n << 63n }),
            type: fc.nat(255),
            name: fc.string({ unit: "grapheme", maxLength: 30 }),
          }),
        ),
        (entries) => {
          const b = encodeDirents(entries);
          expect(b.length).toBe(entries.reduce((n, e) => n + direntSize(e.name), 0));
          expect(decodeDirents(b)).toEqual(entries);
        },
      ),
    );
  });

  it("truncated, extended or mutated frames fail only with FrameError", () => {
    fc.assert(
      fc.property(anyMessage(), fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
        const good = encodeMessage(m);
        const variants = [
          good.subarray(0, at % good.length),
          Buffer.concat([good, Buffer.from([byte])]),
          Buffer.from(good).fill(byte, at % good.length, (at % good.length) + 1),
        ];
        for (const v of variants) {
          try {
            decodeMessage(v);
          } catch (e) {
            expect(e).toBeInstanceOf(FrameError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("the frame reader cuts any chunking of a stream into the same frames", () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(50)),
        (ms, cuts) => {
          const stream = Buffer.concat(ms.map((m) => encodeMessage(m)));
          const frames: Buffer[] = [];
          const r = new FrameReader(() => 1 << 20);
          let at = 0;
          for (const c of cuts) {
            r.push(stream.subarray(at, at + c), (f) => frames.push(Buffer.from(f)));
            at = Math.min(stream.length, at + c);
          }
          r.push(stream.subarray(at), (f) => frames.push(Buffer.from(f)));
          expect(frames.map((f) => plain(decodeMessage(f)))).toEqual(ms);
          expect(r.buffered).toBe(0);
        },
      ),
    );
  });

  it("the frame reader refuses a size above its limit before buffering anything", () => {
    const r = new FrameReader(() => 100);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(101, 0);
    expect(() => r.push(head, () => undefined)).toThrow("size 101 is above the limit of 100");
  });
});
