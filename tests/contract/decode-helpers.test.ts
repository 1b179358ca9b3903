import { describe, expect, it } from "vitest";
import { DecodeError } from "../../runtime/contract/decode-error.js";
import {
  expectArray,
  readArrayOf,
  readBool,
  readBytes,
  readI64,
  readMapOf,
  readOptional,
  readString,
  readStringArray,
  readU16,
  readU32,
  readU64,
  readU8,
} from "../../runtime/contract/decode-helpers.js";
import { int64ToWire } from "../../runtime/contract/encode-helpers.js";

function failure(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error("expected a DecodeError");
}

describe("decode helpers", () => {
  it("accepts arrays with at least the declared elements and ignores the tail", () => {
    expect(expectArray([1, 2, 3], 2, "Twalk")).toEqual([1, 2, 3]);
    expect(failure(() => expectArray([1], 2, "Twalk")).message).toBe(
      "Twalk: expected at least 2 elements, got 1",
    );
    expect(failure(() => expectArray("x", 0, "Twalk")).reason).toMatch(/expected an array/);
  });

  it("range-checks small unsigned integers", () => {
    expect(readU8(255, "M", "f")).toBe(255);
    expect(readU16(65535, "M", "f")).toBe(65535);
    expect(readU32(0xffffffff, "M", "f")).toBe(0xffffffff);
    expect(readU32(7n, "M", "f")).toBe(7);
    for (const bad of [256, -1, 1.5, "1", null, 2n ** 40n]) {
      expect(() => readU8(bad, "M", "f")).toThrow(DecodeError);
    }
    expect(() => readU16(65536, "M", "f")).toThrow(DecodeError);
    expect(() => readU32(2 ** 32, "M", "f")).toThrow(DecodeError);
    expect(failure(() => readU32(-1, "Twalk", "fid")).path).toBe("Twalk.fid");
  });

  it("reads 64-bit integers as bigint from either wire form", () => {
    expect(readU64(5, "M", "f")).toBe(5n);
    expect(readU64(2n ** 64n - 1n, "M", "f")).toBe(2n ** 64n - 1n);
    expect(() => readU64(-1, "M", "f")).toThrow(DecodeError);
    expect(() => readU64(2n ** 64n, "M", "f")).toThrow(DecodeError);
    expect(() => readU64(2 ** 60, "M", "f")).toThrow(DecodeError);
    expect(readI64(-5, "M", "f")).toBe(-5n);
    expect(readI64(-(2n ** 63n), "M", "f")).toBe(-(2n ** 63n));
    expect(() => readI64(2n ** 63n, "M", "f")).toThrow(DecodeError);
  });

  it("checks bools, strings and bytes", () => {
    expect(readBool(true, "M", "f")).toBe(true);
    expect(() => readBool(1, "M", "f")).toThrow(DecodeError);
    expect(readString("a", "M", "f")).toBe("a");
    expect(() => readString(new Uint8Array(1), "M", "f")).toThrow(/expected string, got bytes/);
    const fromBuffer = readBytes(Buffer.from([1]), "M", "f");
    expect(fromBuffer.constructor).toBe(Uint8Array);
    expect(fromBuffer).toEqual(new Uint8Array([1]));
    expect(() => readBytes("ab", "M", "f")).toThrow(DecodeError);
  });

  it("names the failing element of an array", () => {
    expect(readArrayOf(["a", "b"], "Twalk", "wnames", readString)).toEqual(["a", "b"]);
    const e = failure(() => readArrayOf(["a", "b", 3], "Twalk", "wnames", readString));
    expect(e.path).toBe("Twalk.wnames[2]");
    expect(e.message).toBe("Twalk.wnames[2]: expected string, got integer 3");
  });

  it("names nested elements from the outside in", () => {
    const inner = (v: unknown, p: string, f: string) => readArrayOf(v, p, f, readString);
    const e = failure(() => readArrayOf([["a"], ["b", 1]], "M", "names", inner));
    expect(e.path).toBe("M.names[1][1]");
  });

  it("reads maps and names the failing entry", () => {
    const m = readMapOf(new Map([[1, true]]), "M", "sids", readU64, readBool);
    expect(m.get(1n)).toBe(true);
    expect(failure(() => readMapOf(new Map([[1, 2]]), "M", "sids", readU64, readBool)).path).toBe(
      "M.sids[#0].value",
    );
    expect(
      failure(() => readMapOf(new Map([["x", true]]), "M", "sids", readU64, readBool)).path,
    ).toBe("M.sids[#0].key");
    expect(() => readMapOf({}, "M", "sids", readU64, readBool)).toThrow(/expected a map/);
  });

  it("treats nil and a missing element as an absent optional", () => {
    expect(readOptional(null, "M", "f", readU64)).toBeUndefined();
    expect(readOptional(undefined, "M", "f", readU64)).toBeUndefined();
    expect(readOptional(3, "M", "f", readU64)).toBe(3n);
  });

  it("writes 64-bit values that fit in 32 bits as numbers", () => {
    expect(int64ToWire(5n)).toBe(5);
    expect(int64ToWire(0xffffffffn)).toBe(0xffffffff);
    expect(int64ToWire(0x100000000n)).toBe(0x100000000n);
    expect(int64ToWire(-3n)).toBe(-3);
  });
});

describe("readStringArray", () => {
  it("returns the decoded array itself when every element is a string", () => {
    const v = ["a", "b"];
    expect(readStringArray(v, "Twalk", "wnames")).toBe(v);
    expect(readStringArray([], "Twalk", "wnames")).toEqual([]);
  });

  it("names the offending element", () => {
    expect(() => readStringArray(["a", 3], "Twalk", "wnames")).toThrow(
      /Twalk\.wnames\[1\]: expected string, got integer 3/,
    );
    expect(() => readStringArray("a", "Twalk", "wnames")).toThrow(DecodeError);
  });
});
