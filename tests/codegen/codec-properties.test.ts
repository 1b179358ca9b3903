import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSchemaDir } from "../../codegen/load.js";
import type { Model } from "../../codegen/model.js";
import * as codec from "../../generated/sigmap/codec.js";
import { sigmapRegistry } from "../../generated/sigmap/registry.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { DecodeError } from "../../runtime/contract/decode-error.js";
import { readBytes } from "../../runtime/contract/decode-helpers.js";
import { pack, unpack } from "../../runtime/wire/msgpack.js";
import { messageArbitrary } from "./model-arbitrary.js";

// The codec module is indexed by message name here, which its static types cannot express.
const fns = codec as unknown as Record<string, (a: unknown, b?: Uint8Array) => unknown>;

/** Decodes a body by its type number, through the registry's descriptors. */
const decodeBody = (type: number, body: unknown, data?: Uint8Array): unknown =>
  sigmapRegistry.decode(type, body, data);

let model: Model;
beforeAll(async () => {
  const r = await loadSchemaDir(new URL("../../schema", import.meta.url).pathname);
  model = r.model!;
});

/** Encode to bytes the way a frame carries a message, then decode: `[body, data]`. */
function roundTrip(name: string, msg: Record<string, unknown>, data: boolean): unknown {
  const bytes = pack([fns[`encode${name}`]!(msg), data ? msg["data"] : new Uint8Array()]);
  const [body, payload] = unpack(bytes) as [unknown, Uint8Array];
  return fns[`decode${name}`]!(body, readBytes(payload, "frame", "data"));
}

describe("codec round trips, derived from the schema model", () => {
  it("covers every message of the schema", () => {
    expect(model.messages.map((m) => m.name).sort()).toEqual(Object.keys(MsgType).sort());
  });

  it("decodes what it encodes, for every message", () => {
    for (const m of model.messages) {
      fc.assert(
        fc.property(messageArbitrary(model, m), (msg) => {
          expect(roundTrip(m.name, msg as Record<string, unknown>, m.flags.data)).toEqual(msg);
        }),
        { numRuns: 60 },
      );
    }
  });

  it("tolerates unknown trailing fields from a newer peer", () => {
    const body = [...codec.encodeTwalk({ fid: 1, newFid: 2, wnames: ["a"] }), "future", 7];
    expect(codec.decodeTwalk(unpack(pack(body)))).toEqual({ fid: 1, newFid: 2, wnames: ["a"] });
  });

  it("keeps all 64 bits of u64 fields", () => {
    const qid = { type: 0x80, version: 0xffffffff, path: 0xffffffffffffffffn };
    expect(codec.decodeRattach(unpack(pack(codec.encodeRattach({ qid })))).qid).toEqual(qid);
  });
});

describe("decoding hostile input only ever yields BadFcall", () => {
  const types = () => model.messages.map((m) => m.type);

  function expectOnlyBadFcall(run: () => unknown): void {
    try {
      run();
    } catch (e) {
      if (!isErr(e, ErrCode.BadFcall)) throw e;
    }
  }

  it("random values for every message type", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...types()),
        fc.anything({ withBigInt: true, withMap: true }),
        (t, v) => {
          expectOnlyBadFcall(() => decodeBody(t, v, new Uint8Array()));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("valid bodies with one element replaced by a random value", () => {
    const cases = model.messages
      .filter((m) => m.fields.length > 0)
      .map((m) =>
        messageArbitrary(model, m).chain((msg) => {
          const body = fns[`encode${m.name}`]!(msg) as unknown[];
          return fc
            .tuple(fc.nat(body.length - 1), fc.anything({ withBigInt: true, withMap: true }))
            .map(([i, v]) => ({ type: m.type, body: body.map((x, j) => (j === i ? v : x)) }));
        }),
      );
    fc.assert(
      fc.property(fc.oneof(...cases), ({ type, body }) => {
        expectOnlyBadFcall(() => decodeBody(type, body));
      }),
      { numRuns: 3000 },
    );
  });

  it("random and mutated bytes fail as DecodeError (frame) or BadFcall (body), nothing else", () => {
    const valid = pack(
      codec.encodeTgetfile({
        fid: 1,
        mode: 0,
        offset: 0n,
        count: 4096,
        wnames: ["a", "b"],
        resolve: true,
      }),
    );
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })
      .map((muts) => {
        const b = Uint8Array.from(valid);
        for (const [i, v] of muts) b[i] = v;
        return b;
      });
    const truncated = fc.nat(valid.length - 1).map((n) => valid.subarray(0, n));
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated, truncated),
        fc.constantFrom(...types()),
        (bytes, t) => {
          let value: unknown;
          try {
            value = unpack(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            return;
          }
          expectOnlyBadFcall(() => decodeBody(t, value));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("an unknown message type is BadFcall", () => {
    expect(() => decodeBody(106, [])).toThrow(expect.objectContaining({ code: ErrCode.BadFcall }));
  });
});
