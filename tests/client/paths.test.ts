import { describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MountTable } from "../../runtime/client/path/mount-table.js";
import {
  isPathPrefix,
  isUnionElem,
  joinPath,
  parsePath,
  splitLast,
  splitPath,
} from "../../runtime/client/split-path.js";

describe("path splitting", () => {
  it("collapses repeated slashes and drops leading ones", () => {
    expect(splitPath("name//a///b")).toEqual(["name", "a", "b"]);
    expect(splitPath("/name/a")).toEqual(["name", "a"]);
    expect(splitPath("")).toEqual([]);
    expect(splitPath("/")).toEqual([]);
  });

  it("a trailing slash asks to resolve the last element", () => {
    expect(parsePath("name/srv/")).toEqual({ elems: ["name", "srv"], resolveLast: true });
    expect(parsePath("name/srv//")).toEqual({ elems: ["name", "srv"], resolveLast: true });
    expect(parsePath("name/srv")).toEqual({ elems: ["name", "srv"], resolveLast: false });
    expect(parsePath("/")).toEqual({ elems: [], resolveLast: false });
  });

  it("joins, prefixes, last element and union elements", () => {
    expect(joinPath(["a", "b"])).toBe("a/b");
    expect(isPathPrefix(["a"], ["a", "b"])).toBe(true);
    expect(isPathPrefix(["a", "b"], ["a", "b"])).toBe(true);
    expect(isPathPrefix(["a", "c"], ["a", "b"])).toBe(false);
    expect(isPathPrefix(["a", "b", "c"], ["a", "b"])).toBe(false);
    expect(splitLast(["a", "b", "c"])).toEqual({ dir: ["a", "b"], base: "c" });
    expect(isUnionElem("~any")).toBe(true);
    expect(isUnionElem("~local")).toBe(true);
    expect(isUnionElem("x~")).toBe(false);
  });
});

describe("mount table", () => {
  function table(): MountTable<string> {
    const t = new MountTable<string>();
    t.add(["name"], "named");
    t.add(["name", "srv", "x"], "deep");
    t.add(["name", "srv"], "srv");
    return t;
  }

  it("resolves the longest prefix first, whatever the insertion order", () => {
    const r = table().resolve(["name", "srv", "x", "f"], false);
    expect(r.mount.value).toBe("deep");
    expect(r.rest).toEqual(["f"]);
    expect(table().resolve(["name", "srv", "y"], false).mount.value).toBe("srv");
    expect(table().resolve(["name", "a"], false).rest).toEqual(["a"]);
  });

  it("skips an exact match unless the last element is to be resolved", () => {
    const t = table();
    const noResolve = t.resolve(["name", "srv"], false);
    expect(noResolve.mount.value).toBe("named");
    expect(noResolve.rest).toEqual(["srv"]);
    const resolve = t.resolve(["name", "srv"], true);
    expect(resolve.mount.value).toBe("srv");
    expect(resolve.rest).toEqual([]);
  });

  it("no match is Unreachable(no mount)", () => {
    const t = table();
    for (const [p, r] of [
      [["other"], true],
      [["name"], false],
    ] as const) {
      try {
        t.resolve(p, r);
        expect.unreachable();
      } catch (e) {
        expect(isErr(e, ErrCode.Unreachable)).toBe(true);
        expect((e as { obj: string }).obj).toBe("no mount");
      }
    }
  });

  it("refuses a second mount at the same path and removes by path or by value", () => {
    const t = table();
    expect(t.add(["name", "srv"], "other")).toBe(false);
    expect(t.removeIf(["name", "srv"], "other")).toBe(false);
    expect(t.removeIf(["name", "srv"], "srv")).toBe(true);
    expect(t.resolve(["name", "srv", "y"], false).mount.value).toBe("named");
    expect(t.remove(["name"])).toBe("named");
    expect(t.remove(["name"])).toBeUndefined();
    expect(t.entries().map((e) => e.value)).toEqual(["deep"]);
  });
});
