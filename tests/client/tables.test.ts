import { describe, expect, it } from "vitest";
import { ErrCode, type Tfence } from "../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import { FdTable } from "../../runtime/client/fd/fd-table.js";
import { FenceTable } from "../../runtime/client/fid/fence-table.js";
import { FidTable } from "../../runtime/client/fid/fid-table.js";
import {
  errPath,
  isErrExists,
  isErrNotfound,
  isErrRetry,
  isErrSessClosed,
  isErrStale,
  isErrUnavailable,
  isErrUnreachable,
  isErrVersion,
  isMaybeSpecialElem,
} from "../../runtime/client/errors.js";

const fence = (id: bigint, epoch: bigint): Tfence => ({
  fenceid: { path: id, serverid: 0n },
  epoch,
});

describe("fid table", () => {
  it("recycles a released fid", () => {
    const t = new FidTable<string>();
    const a = t.alloc("a");
    const b = t.alloc("b");
    expect(a).not.toBe(b);
    t.release(a);
    expect(t.get(a)).toBeUndefined();
    expect(t.alloc("c")).toBe(a);
  });

  it("never reuses a fid while a request naming it is outstanding", () => {
    const t = new FidTable<string>();
    const a = t.alloc("a");
    t.begin(a);
    t.release(a);
    const b = t.alloc("b");
    expect(b).not.toBe(a);
    t.end(a);
    expect(t.alloc("c")).toBe(a);
  });

  it("an unknown or released fid is Unknownfid; releaseWhere releases by value", () => {
    const t = new FidTable<{ s: number }>();
    const one = { s: 1 };
    const two = { s: 2 };
    const x = t.alloc(one);
    const y = t.alloc(one);
    const z = t.alloc(two);
    t.releaseWhere((v) => v === one);
    expect(t.live()).toEqual([z]);
    for (const f of [x, y, 99]) {
      expect(() => t.lookup(f)).toThrow(SigmaError);
      try {
        t.lookup(f);
      } catch (e) {
        expect(isErr(e, ErrCode.Unknownfid)).toBe(true);
      }
    }
  });
});

describe("fd table", () => {
  it("reuses the lowest free descriptor", () => {
    const t = new FdTable<string>();
    expect([t.alloc("a"), t.alloc("b"), t.alloc("c")]).toEqual([0, 1, 2]);
    t.free(1);
    t.free(0);
    expect(t.alloc("d")).toBe(0);
    expect(t.alloc("e")).toBe(1);
    expect(t.alloc("f")).toBe(3);
    expect(t.entries().map(([fd]) => fd)).toEqual([0, 1, 2, 3]);
  });

  it("a closed or unknown descriptor is BadFd", () => {
    const t = new FdTable<string>();
    const fd = t.alloc("a");
    t.free(fd);
    for (const bad of [fd, 7, -1, 1.5]) {
      try {
        t.get(bad);
        expect.unreachable();
      } catch (e) {
        expect(isErr(e, ErrCode.BadFd)).toBe(true);
      }
    }
    expect(() => t.free(fd)).toThrow(SigmaError);
  });
});

describe("fence table", () => {
  it("picks the fence of the longest registered prefix", () => {
    const t = new FenceTable();
    t.set(["name", "jobs"], fence(1n, 1n));
    t.set(["name", "jobs", "leader"], fence(2n, 5n));
    expect(t.lookup(["name", "jobs", "a"])?.fenceid.path).toBe(1n);
    expect(t.lookup(["name", "jobs", "leader", "x"])?.fenceid.path).toBe(2n);
    expect(t.lookup(["name", "jobs"])?.fenceid.path).toBe(1n);
    expect(t.lookup(["name", "jobsx"])).toBeUndefined();
    expect(t.lookup(["name"])).toBeUndefined();
  });

  it("overwrites an entry and forgets a deleted one", () => {
    const t = new FenceTable();
    t.set(["a"], fence(1n, 1n));
    t.set(["a"], fence(1n, 2n));
    expect(t.lookup(["a", "b"])?.epoch).toBe(2n);
    expect(t.delete(["a"])).toBe(true);
    expect(t.lookup(["a", "b"])).toBeUndefined();
  });
});

describe("error predicates", () => {
  const e = (code: number, obj = "") => new SigmaError(code, obj);
  it("classify by code and object", () => {
    expect(isErrNotfound(e(ErrCode.Notfound, "x"))).toBe(true);
    expect(isMaybeSpecialElem(e(ErrCode.NotDir, "x"))).toBe(true);
    expect(isMaybeSpecialElem(e(ErrCode.Notfound, "~any"))).toBe(true);
    expect(isMaybeSpecialElem(e(ErrCode.Notfound, "x"))).toBe(false);
    expect(isErrUnreachable(e(ErrCode.Unreachable))).toBe(true);
    expect(isErrUnavailable(e(ErrCode.Unreachable))).toBe(true);
    expect(isErrUnavailable(e(ErrCode.Notfound))).toBe(true);
    expect(isErrUnavailable(e(ErrCode.Exists))).toBe(false);
    expect(isErrVersion(e(ErrCode.Version))).toBe(true);
    expect(isErrStale(e(ErrCode.Stale))).toBe(true);
    expect(isErrSessClosed(e(ErrCode.SessClosed))).toBe(true);
    expect(isErrRetry(e(ErrCode.Retry))).toBe(true);
    expect(isErrExists(e(ErrCode.Exists))).toBe(true);
    expect(errPath(e(ErrCode.Notfound, "a/b"))).toBe("a/b");
    expect(errPath(e(ErrCode.Unreachable, "no mount"))).toBe("no mount");
    expect(errPath(e(ErrCode.Exists, "a"))).toBeUndefined();
    expect(isErrNotfound(new Error("x"))).toBe(false);
  });
});
