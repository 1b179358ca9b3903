import { describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import {
  decodeReply,
  decodeRequest,
  encodeErrorReply,
  encodeReply,
  encodeRequest,
} from "../../runtime/rpc/shared/envelope.js";
import { isRemoteError } from "../../runtime/rpc/index.js";
import { pack, unpack } from "../../runtime/wire/index.js";

const sizes = [0, 5, 31, 32, 255, 256, 65535, 65536];
// pack gives a Buffer, the decoder plain Uint8Arrays: compare bytes, not classes.
const packed = (v: unknown): Uint8Array => new Uint8Array(pack(v));

describe("RPC envelope", () => {
  it("is standard MessagePack: [method str, args bin] and [res bin, error str]", () => {
    for (const n of sizes) {
      const method = "M".repeat(n);
      const args = ["x".repeat(n)];
      expect(unpack(encodeRequest(method, args))).toEqual([method, packed(args)]);
      expect(decodeRequest(pack([method, pack(args)]))).toEqual({ method, args });
      expect(unpack(encodeReply(args))).toEqual([packed(args), ""]);
      expect(decodeReply("m", pack([pack(args), ""]))).toEqual(args);
    }
  });

  it("ignores trailing elements a newer peer appends", () => {
    expect(decodeRequest(pack(["A.B", pack([1]), "later"]))).toEqual({ method: "A.B", args: [1] });
  });

  it("carries an error's code, object and text; a two-element error reply is Error", () => {
    const bytes = encodeErrorReply(new SigmaError(ErrCode.Notfound, "k", "no k"));
    const e: unknown = (() => {
      try {
        return decodeReply("S.M", bytes);
      } catch (x) {
        return x;
      }
    })();
    expect(isRemoteError(e) && isErr(e, ErrCode.Notfound) && e.obj === "k").toBe(true);
    expect((e as Error).message).toBe("no k");
    expect(() => decodeReply("S.M", pack([new Uint8Array(0), "boom"]))).toThrow(
      expect.objectContaining({ code: ErrCode.Error, message: "boom" }),
    );
  });

  it("rejects malformed envelopes with BadFcall", () => {
    for (const bad of [new Uint8Array(0), pack(["only"]), pack([1, 2]), pack(["m", "str"])]) {
      expect(() => decodeRequest(bad)).toThrow(expect.objectContaining({ code: ErrCode.BadFcall }));
    }
    expect(() => decodeReply("m", pack(["x"]))).toThrow(
      expect.objectContaining({ code: ErrCode.BadFcall }),
    );
  });
});
