import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameWriter } from "../../runtime/wire/frame-writer.js";
import { int64ToWire } from "../../runtime/contract/encode-helpers.js";
import { MsgpackCursor, UNRECOGNISED } from "../../runtime/contract/msgpack-cursor.js";
import { pack, unpack } from "../../runtime/wire/msgpack.js";
import { writeBinPrefix, writeU64, writeUint } from "../../runtime/contract/msgpack-write.js";

function written(write: (b: Uint8Array, pos: number) => number): string {
  const b = new Uint8Array(16);
  return Buffer.from(b.subarray(0, write(b, 0))).toString("hex");
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(
    0n,
    0x7fn,
    0x80n,
    0xffff_ffffn,
    2n ** 32n,
    2n ** 63n - 1n,
    2n ** 63n,
    2n ** 64n - 1n,
  ),
);

describe("hand-written MessagePack writers", () => {
  it("write unsigned integers as msgpackr does", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), (n) => {
        expect(written((b, p) => writeUint(b, p, n))).toBe(hex(pack(n)));
      }),
    );
  });

  it("write u64 fields as the generated encoders do", () => {
    fc.assert(
      fc.property(u64, (v) => {
        expect(written((b, p) => writeU64(b, p, v))).toBe(hex(pack(int64ToWire(v))));
      }),
    );
  });

  it("refuse values that are not u64", () => {
    for (const v of [-1n, 2n ** 64n, 5 as unknown as bigint]) {
      expect(writeU64(new Uint8Array(16), 0, v)).toBe(-1);
    }
  });

  it("write bin prefixes as msgpackr does", () => {
    for (const n of [0, 1, 0xff, 0x100, 0xffff, 0x1_0000]) {
      const full = pack(new Uint8Array(n));
      expect(written((b, p) => writeBinPrefix(b, p, n))).toBe(
        hex(full.subarray(0, full.length - n)),
      );
    }
  });
});

describe("MessagePack cursor", () => {
  // Whatever the project's configuration can write (bigints beyond 64 bits it refuses).
  const value = fc.anything({ withBigInt: true, withMap: true }).filter((v) => {
    try {
      pack(v);
      return true;
    } catch {
      return false;
    }
  });

  it("skips exactly one value, as msgpackr reads it", () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = pack(v);
        const c = new MsgpackCursor();
        c.reset(bytes, 0, bytes.length);
        expect(c.skip()).toBe(true);
        expect(c.pos).toBe(bytes.length);
      }),
    );
  });

  it("reads simple values as msgpackr does, and recognises nothing else", () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = pack(v);
        const c = new MsgpackCursor();
        c.reset(bytes, 0, bytes.length);
        const got = c.simple();
        if (got !== UNRECOGNISED) {
          expect(got).toStrictEqual(unpack(bytes));
          expect(c.pos).toBe(bytes.length);
        }
      }),
    );
  });

  it("refuses extension types, reserved bytes and truncated input", () => {
    for (const bytes of [[0xd4, 1, 2], [0xc1], [0x92, 1], [0xda, 0]]) {
      const c = new MsgpackCursor();
      c.reset(Uint8Array.from(bytes), 0, bytes.length);
      expect(c.skip()).toBe(false);
    }
  });
});

describe("frame writer heads", () => {
  it("frames a head and a tail as one payload", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 70_000 }),
        (h, t) => {
          const parts = new FrameWriter();
          const scratch = Uint8Array.from([...h, 9, 9]);
          parts.appendFrame(scratch, h.length, t);
          const whole = new FrameWriter();
          whole.append(Buffer.concat([h, t]));
          const out = (w: FrameWriter): string => {
            const chunks: Uint8Array[] = [];
            w.flush((c) => chunks.push(Uint8Array.from(c)));
            return hex(Buffer.concat(chunks));
          };
          expect(out(parts)).toBe(out(whole));
        },
      ),
      { numRuns: 50 },
    );
  });
});
