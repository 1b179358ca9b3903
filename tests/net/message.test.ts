import { describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { decodeMessage, encodeMessage } from "../../runtime/net/index.js";
import { DecodeError } from "../../runtime/contract/decode-error.js";
import { pack } from "../../runtime/wire/msgpack.js";
import { message } from "./helpers.js";

const header = [120, 0, 1, 2, 3, [0, 0], [[0, 0], 0]];

describe("wire messages", () => {
  it("round-trips header, undecoded body and data", () => {
    const m = message(7, Uint8Array.from([9, 8]), [1, "a", [true]]);
    const back = decodeMessage(encodeMessage(m));
    expect(back.header).toEqual(m.header);
    expect(back.body).toEqual([1, "a", [true]]);
    expect(back.data).toBeInstanceOf(Uint8Array);
    expect([...back.data]).toEqual([9, 8]);
  });

  it("hands out data as a view of the payload, not a copy", () => {
    const payload = encodeMessage(message(1, new Uint8Array(64).fill(5)));
    expect(decodeMessage(payload).data.buffer).toBe(payload.buffer);
  });

  it("ignores trailing elements from newer peers", () => {
    const back = decodeMessage(pack([header, ["b"], new Uint8Array(0), "future"]));
    expect(back.body).toEqual(["b"]);
    expect(back.header.seqno).toBe(3n);
  });

  it("rejects a payload that is not MessagePack", () => {
    expect(() => decodeMessage(Uint8Array.from([0xc1]))).toThrow(DecodeError);
  });

  it("rejects a payload that is not an array of at least three", () => {
    expect(() => decodeMessage(pack({ a: 1 }))).toThrow("message: expected an array, got map");
    expect(() => decodeMessage(pack([header, []]))).toThrow(
      "message: expected at least 3 elements, got 2",
    );
  });

  it("rejects a bad header with BadFcall", () => {
    let err: unknown;
    try {
      decodeMessage(pack([[120, 0, 1], [], new Uint8Array(0)]));
    } catch (e) {
      err = e;
    }
    expect(isErr(err, ErrCode.BadFcall)).toBe(true);
  });

  it("rejects data that is not bin", () => {
    expect(() => decodeMessage(pack([header, [], "text"]))).toThrow(
      "message.data: expected bytes, got string",
    );
  });
});
