import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Header } from "../../generated/sigmap/types.js";
import { decodeMessage, encodeMessage } from "../../runtime/net/message.js";
import { MessageDecoder } from "../../runtime/net/message-decode.js";
import { MessageEncoder } from "../../runtime/net/message-encode.js";
import type { WireMessage } from "../../runtime/net/types.js";
import { pack } from "../../runtime/wire/msgpack.js";
import { CLIENT, message, SESSION } from "./helpers.js";

// u64 values around every boundary where the encoding changes form.
const u64 = fc.oneof(
  fc.constantFrom(0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xffffn, 0x1_0000n, 0xffff_ffffn),
  fc.constantFrom(0x1_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n),
  fc.constantFrom(0xffff_ffff_ffff_ffffn, CLIENT, SESSION),
  fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
  fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
);

const header: fc.Arbitrary<Header> = fc.record({
  type: fc.integer({ min: 0, max: 0xff }),
  tag: fc.integer({ min: 0, max: 0xffff }),
  client: u64,
  session: u64,
  seqno: u64,
  received: fc.record({ start: u64, end: u64 }),
  fence: fc.record({ fenceid: fc.record({ path: u64, serverid: u64 }), epoch: u64 }),
});

// Body values of every MessagePack family the project's configuration writes.
const { value: bodyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -0x8000_0000, max: 0xffff_ffff }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie("value"), { maxLength: 20 }),
    fc
      .array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.nat()), tie("value")), {
        maxLength: 4,
      })
      .map((entries) => new Map(entries)),
  ),
}));

const body = fc.oneof(
  fc.array(fc.nat({ max: 0xffff_ffff }), { maxLength: 16 }),
  fc.array(bodyValue, { maxLength: 6 }),
);

// Every bin length form; the 16- and 32-bit ones rarely, as they are slow to compare.
const data = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 20 },
  { arbitrary: fc.constantFrom(0xffff, 0x1_0000).map((n) => new Uint8Array(n).fill(7)), weight: 1 },
);

const wireMessage: fc.Arbitrary<WireMessage> = fc.record({ header, body, data });

function encodeFast(msg: WireMessage, bound: boolean): Uint8Array | null {
  const e = new MessageEncoder();
  if (bound) e.bind(CLIENT, SESSION);
  const n = e.encodeHead(msg);
  return n < 0 ? null : Buffer.concat([e.head.subarray(0, n), msg.data]);
}

function decoder(bound: boolean): MessageDecoder {
  const d = new MessageDecoder();
  if (bound) d.bind(CLIENT, SESSION);
  return d;
}

// What decoding yields: the message (data as hex: comparing a 64 KiB array element-wise is
// slow), or the error message it throws.
function outcome(decode: () => WireMessage): { ok: unknown } | { err: string } {
  try {
    const m = decode();
    const data = { kind: m.data.constructor.name, hex: Buffer.from(m.data).toString("hex") };
    return { ok: { header: m.header, body: m.body, data } };
  } catch (e) {
    return { err: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

function expectSameDecoding(payload: Uint8Array): void {
  const generic = outcome(() => decodeMessage(payload));
  for (const bound of [false, true]) {
    expect(outcome(() => decoder(bound).decode(payload))).toStrictEqual(generic);
  }
}

describe("hand-written message codec", () => {
  it("encodes every well-typed message byte for byte as the generic codec", () => {
    fc.assert(
      fc.property(wireMessage, fc.boolean(), (msg, bound) => {
        const fast = encodeFast(msg, bound);
        expect(fast).not.toBeNull();
        expect(Buffer.from(fast!).equals(Buffer.from(encodeMessage(msg)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes every message to what the generic codec decodes", () => {
    fc.assert(
      fc.property(wireMessage, (msg) => expectSameDecoding(encodeMessage(msg))),
      { numRuns: 500 },
    );
  });

  it("agrees with the generic codec on corrupted and truncated frames", () => {
    const mutated = fc
      .tuple(wireMessage, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }))
      .map(([msg, edits]) => {
        const p = Uint8Array.from(encodeMessage(msg));
        for (const [at, byte] of edits) p[at % p.length] = byte;
        return p;
      });
    const truncated = fc
      .tuple(wireMessage, fc.nat())
      .map(([msg, cut]) => {
        const p = encodeMessage(msg);
        return p.subarray(0, cut % p.length);
      })
      .filter((p) => p.length > 0);
    fc.assert(fc.property(fc.oneof(mutated, truncated), expectSameDecoding), { numRuns: 1000 });
  });

  it("leaves unusual but valid layouts to the generic decoder", () => {
    const h = [120, 0, 1, 2, 3, [0, 0], [[0, 0], 0]];
    // A newer peer's longer message array and longer header.
    expectSameDecoding(pack([h, ["b"], new Uint8Array(0), "future"]));
    expectSameDecoding(pack([[...h, "future"], ["b"], new Uint8Array(0)]));
    // Small ids written in a wide form, and a float that holds an integer.
    expectSameDecoding(pack([[120, 0, 2n ** 63n + 1n, 2n, 3.0, [0, 0], [[0, 0], 0]], [], null]));
    expectSameDecoding(pack([[120, 0, 1n, 2n, 3n, [0n, 0n], [[0n, 0n], 0n]], [], Buffer.of(1)]));
  });

  it("rejects what the generic decoder rejects", () => {
    const h = [120, 0, 1, 2, 3, [0, 0], [[0, 0], 0]];
    for (const bad of [
      pack([[120, 0, 1, 2, -3, [0, 0], [[0, 0], 0]], [], new Uint8Array(0)]),
      pack([[256, 0, 1, 2, 3, [0, 0], [[0, 0], 0]], [], new Uint8Array(0)]),
      pack([h, [], "text"]),
      pack([h, []]),
      Buffer.concat([pack([h, [], new Uint8Array(0)]), Buffer.of(0)]),
      pack([h, [], new Uint8Array(0)]).subarray(0, 10),
    ]) {
      const d = decoder(true);
      expect(() => decodeMessage(bad)).toThrow();
      expect(() => d.decode(bad)).toThrow();
      expectSameDecoding(bad);
    }
  });

  it("recognises the bound ids by their bytes and decodes any others", () => {
    const d = decoder(true);
    const mine = d.decode(encodeMessage(message(70_000)));
    expect(mine.header.client).toBe(CLIENT);
    expect(mine.header.session).toBe(SESSION);
    const other = message(1);
    other.header.client = 5n;
    expect(d.decode(encodeMessage(other)).header.client).toBe(5n);
  });

  it("refuses to hand-encode a header value outside its type", () => {
    const e = new MessageEncoder();
    for (const bad of [
      { ...message(1).header, type: 1.5 },
      { ...message(1).header, seqno: -1n },
      { ...message(1).header, seqno: 2n ** 64n },
      { ...message(1).header, client: 7 as unknown as bigint },
    ]) {
      expect(e.encodeHead({ header: bad, body: [], data: new Uint8Array(0) })).toBe(-1);
    }
  });
});
