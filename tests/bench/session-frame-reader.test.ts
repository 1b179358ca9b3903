import { describe, expect, it } from "vitest";
import { fillerFrame, FrameReader, repeatFrame } from "../../bench/suites/session/frame-reader.js";

function collect(): { reader: FrameReader; payloads: Buffer[] } {
  const payloads: Buffer[] = [];
  return { reader: new FrameReader((p) => payloads.push(Buffer.from(p)), 1024), payloads };
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

describe("session bench FrameReader", () => {
  it("reads several frames from one chunk", () => {
    const { reader, payloads } = collect();
    expect(reader.push(Buffer.concat([frame("a"), frame("bc"), frame("def")]))).toBe(3);
    expect(payloads.map(String)).toEqual(["a", "bc", "def"]);
  });

  it("reassembles frames split anywhere, the length prefix included", () => {
    const stream = Buffer.concat([frame("hello"), frame("world!")]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { reader, payloads } = collect();
      const n = reader.push(stream.subarray(0, cut)) + reader.push(stream.subarray(cut));
      expect(n).toBe(2);
      expect(payloads.map(String)).toEqual(["hello", "world!"]);
    }
  });

  it("reads a stream fed one byte at a time", () => {
    const { reader, payloads } = collect();
    const stream = Buffer.concat([frame("x"), frame("yz")]);
    for (const byte of stream) reader.push(Buffer.of(byte));
    expect(payloads.map(String)).toEqual(["x", "yz"]);
  });

  it("refuses empty and oversized frames", () => {
    expect(() => collect().reader.push(Buffer.alloc(4))).toThrow(/bad frame length 0/);
    const big = Buffer.alloc(4);
    big.writeUInt32BE(2048, 0);
    expect(() => collect().reader.push(big)).toThrow(/bad frame length 2048/);
  });

  it("builds filler frames of an exact total size, alone and repeated", () => {
    const f = fillerFrame(51);
    expect(f.length).toBe(51);
    expect(f.readUInt32BE(0)).toBe(47);
    const { reader, payloads } = collect();
    expect(reader.push(repeatFrame(f, 64))).toBe(64);
    expect(payloads.every((p) => p.length === 47)).toBe(true);
  });
});
