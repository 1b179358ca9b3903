import { describe, expect, it } from "vitest";
import { ErrCode, type Stat, type Tmount } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { decodeDirEntries, encodeDirEntries } from "../../runtime/client/path/dir-entries.js";
import { dialOrder, hostOf } from "../../runtime/client/path/dial-order.js";
import {
  decodeMountRecord,
  decodeSymlink,
  encodeMountRecord,
  hasMountMarker,
} from "../../runtime/client/path/mount-record.js";
import { chooseUnionEntry } from "../../runtime/client/path/union-select.js";
import { JsonValueSplitter } from "../../runtime/client/fslib/json-values.js";

const mnt: Tmount = {
  addr: [
    { addr: "10.0.0.1:1111", net: "rootrealm" },
    { addr: "10.0.0.2:1111", net: "realmA" },
  ],
  root: "tree/sub",
  pubKey: new Uint8Array(0),
};

function inval(fn: () => unknown): void {
  try {
    fn();
    expect.unreachable();
  } catch (e) {
    expect(isErr(e, ErrCode.Inval)).toBe(true);
    expect((e as { obj: string }).obj).toBe("bad mount record");
  }
}

describe("mount records", () => {
  it("round-trip with the NUL MNT marker and version 1", () => {
    const bytes = encodeMountRecord(mnt);
    expect([...bytes.subarray(0, 5)]).toEqual([0x00, 0x4d, 0x4e, 0x54, 0x01]);
    expect(hasMountMarker(bytes)).toBe(true);
    expect(decodeMountRecord(bytes)).toEqual(mnt);
    expect(decodeSymlink(bytes)).toEqual({ kind: "mount", mount: mnt });
  });

  it("content without the marker is a path symlink", () => {
    const t = decodeSymlink(new TextEncoder().encode("name/a/b"));
    expect(t).toEqual({ kind: "path", target: "name/a/b" });
    inval(() => decodeMountRecord(new TextEncoder().encode("name/a/b")));
  });

  it("an unknown version or an undecodable body is Inval(bad mount record)", () => {
    const bytes = encodeMountRecord(mnt);
    const v2 = bytes.slice();
    v2[4] = 2;
    inval(() => decodeSymlink(v2));
    inval(() => decodeSymlink(bytes.subarray(0, 8)));
    inval(() => decodeSymlink(Uint8Array.of(0, 0x4d, 0x4e, 0x54, 1, 0xc1)));
  });
});

describe("dialing order and union choice", () => {
  it("puts the client's network first, else the root realm", () => {
    expect(dialOrder(mnt.addr, "realmA")).toEqual(["10.0.0.2:1111", "10.0.0.1:1111"]);
    expect(dialOrder(mnt.addr, "realmB")).toEqual(["10.0.0.1:1111", "10.0.0.2:1111"]);
    const noRoot = [
      { addr: "a:1", net: "x" },
      { addr: "b:1", net: "y" },
    ];
    expect(dialOrder(noRoot, "z")).toEqual(["a:1", "b:1"]);
    expect(hostOf("[::1]:80")).toBe("::1");
    expect(hostOf(":80")).toBe("");
  });

  it("~any takes the first entry; ~local the first whose first host is local or empty", () => {
    const c = (name: string, addr: string) => ({
      name,
      mount: { addr: [{ addr, net: "" }], root: "", pubKey: new Uint8Array(0) },
    });
    const cands = [c("a", "10.0.0.9:1"), c("b", "10.0.0.5:1"), c("c", ":7")];
    expect(chooseUnionEntry("~any", cands, "10.0.0.5")?.name).toBe("a");
    expect(chooseUnionEntry("~x", cands, "10.0.0.5")?.name).toBe("a");
    expect(chooseUnionEntry("~local", cands, "10.0.0.5")?.name).toBe("b");
    expect(chooseUnionEntry("~local", cands.slice(0, 1), "10.0.0.5")).toBeUndefined();
    expect(chooseUnionEntry("~local", [cands[0]!, cands[2]!], "1.2.3.4")?.name).toBe("c");
    expect(chooseUnionEntry("~any", [], "1.2.3.4")).toBeUndefined();
  });
});

describe("directory entries", () => {
  it("round-trip length-prefixed Stats and reject truncation", () => {
    const st = (name: string): Stat => ({
      type: 0,
      dev: 0,
      qid: { type: 0x80, version: 3, path: 7n },
      mode: 0o777,
      atime: 0,
      mtime: 5,
      length: 12n,
      name,
      uid: "u",
      gid: "u",
      muid: "",
    });
    const bytes = encodeDirEntries([st("a"), st("b")]);
    expect(decodeDirEntries(bytes).map((s) => s.name)).toEqual(["a", "b"]);
    expect(decodeDirEntries(new Uint8Array(0))).toEqual([]);
    expect(() => decodeDirEntries(bytes.subarray(0, bytes.length - 1))).toThrow();
  });
});

describe("JSON value splitting", () => {
  it("splits values written back to back, across chunk boundaries", () => {
    const text = '{"a":1}{"b":"x}{"}[1,[2]] 3 "s\\"" true null';
    const bytes = new TextEncoder().encode(text);
    const s = new JsonValueSplitter();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...s.push(bytes.subarray(i, i + 3)));
    out.push(...s.end());
    expect(out).toEqual([{ a: 1 }, { b: "x}{" }, [1, [2]], 3, 's"', true, null]);
  });

  it("a truncated value at the end is Inval", () => {
    const s = new JsonValueSplitter();
    expect(s.push(new TextEncoder().encode('{"a":1}{"b"'))).toEqual([{ a: 1 }]);
    expect(() => s.end()).toThrow(/bad JSON/);
  });
});
