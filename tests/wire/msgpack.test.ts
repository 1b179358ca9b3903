import { describe, expect, it } from "vitest";
import { pack, unpack } from "../../runtime/wire/msgpack.js";

describe("msgpack configuration", () => {
  it("round-trips positional records with maps, bigints and bytes", () => {
    const value = [1, "a", new Map([[1, true]]), 2n ** 64n - 1n, new Uint8Array([1, 2]), null];
    const back = unpack(pack(value)) as unknown[];
    expect(back[2]).toBeInstanceOf(Map);
    expect(back[3]).toBe(2n ** 64n - 1n);
    expect(back[4]).toBeInstanceOf(Uint8Array);
    expect([...(back[4] as Uint8Array)]).toEqual([1, 2]);
    expect(back[5]).toBeNull();
  });

  it("writes standard MessagePack only", () => {
    // bin 8 for bytes, nil for undefined, a plain fixmap for a Map: no extension types.
    expect([...pack(new Uint8Array([7]))]).toEqual([0xc4, 1, 7]);
    expect([...pack(undefined)]).toEqual([0xc0]);
    expect([...pack(new Map([[1, 2]]))]).toEqual([0x81, 1, 2]);
    expect([...pack([1, 2])]).toEqual([0x92, 1, 2]);
  });

  it("decodes 64-bit wire integers as bigint and small ones as numbers", () => {
    expect(unpack(Uint8Array.from([0xcf, 0, 0, 0, 0, 0, 0, 0, 5]))).toBe(5n);
    expect(unpack(Uint8Array.from([0x05]))).toBe(5);
  });

  it("rejects truncated input", () => {
    expect(() => unpack(Uint8Array.from([0x92, 1]))).toThrow();
  });
});
