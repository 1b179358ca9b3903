/**
 * Permissions on a named with keys (docs/security.md, "Permission checks in protsrv"): user
 * mallory tries every mutating message on alice's objects; each is refused with Perm and, at the
 * end, the tree is exactly as alice left it. The owner, readers, an admin and a readonly
 * principal get what their bits and roles allow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { Named } from "../../servers/named/index.js";
import { codeOf, startAuthNamed, type AuthServer } from "./servers.js";
import { snapshot, type Entry } from "./tree-snapshot.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

let srv: AuthServer<Named>;
let alice: FsLib;
let mallory: FsLib;
let ops: FsLib;
let reader: FsLib;
let before: Entry[];

beforeAll(async () => {
  srv = await startAuthNamed();
  alice = await srv.connect("alice");
  mallory = await srv.connect("mallory");
  ops = await srv.connect("ops", "admin");
  reader = await srv.connect("rd", "readonly");
  await alice.mkDir("name/tmp/alice", 0o755);
  await alice.mkDir("name/tmp/alice/sub", 0o755);
  await alice.putFile("name/tmp/alice/secret", 0o600, Mode.OWRITE, enc("s3cret"));
  await alice.putFile("name/tmp/alice/public", 0o644, Mode.OWRITE, enc("hello"));
  await alice.putFile("name/tmp/notes.txt", 0o666, Mode.OWRITE, enc("alice's notes"));
  await alice.putFile("name/tmp/eph", 0o644 | Perm.DMTMP, Mode.OWRITE, enc("alive"));
  await mallory.putFile("name/tmp/mine", 0o644, Mode.OWRITE, enc("mallory's"));
  before = await snapshot(ops, "name/tmp");
});
afterAll(async () => {
  for (const f of [alice, mallory, ops, reader]) await f?.exit();
  await srv?.close();
});

describe("mallory, a user, on alice's objects", () => {
  const refusals: [string, () => Promise<unknown>][] = [
    ["reads a 0600 file (Tgetfile)", () => mallory.getFile("name/tmp/alice/secret")],
    [
      "opens a 0600 file for reading (Topen)",
      () => mallory.open("name/tmp/alice/secret", Mode.OREAD),
    ],
    [
      "overwrites a 0600 file (Tputfile)",
      () => mallory.putFile("name/tmp/alice/secret", 0o666, Mode.OWRITE, enc("x")),
    ],
    [
      "overwrites a 0644 file (Tputfile)",
      () => mallory.putFile("name/tmp/alice/public", 0o666, Mode.OWRITE | Mode.OTRUNC, enc("x")),
    ],
    [
      "opens a 0644 file for writing (Topen OWRITE)",
      () => mallory.open("name/tmp/alice/public", Mode.OWRITE),
    ],
    [
      "truncates a 0644 file (Topen OREAD|OTRUNC)",
      () => mallory.open("name/tmp/alice/public", Mode.OREAD | Mode.OTRUNC),
    ],
    [
      "creates in a 0755 directory (Tcreate)",
      () => mallory.create("name/tmp/alice/new", 0o644, Mode.OWRITE),
    ],
    [
      "creates in a 0755 directory (Tputfile)",
      () => mallory.putFile("name/tmp/alice/new", 0o644, Mode.OWRITE, enc("x")),
    ],
    ["makes a directory in a 0755 directory", () => mallory.mkDir("name/tmp/alice/d", 0o777)],
    ["removes from a 0755 directory (Tremovefile)", () => mallory.remove("name/tmp/alice/public")],
    ["removes a 0755 directory's subdirectory", () => mallory.remove("name/tmp/alice/sub")],
    ["removes a file of the sticky name/tmp", () => mallory.remove("name/tmp/notes.txt")],
    ["removes another session's ephemeral file", () => mallory.remove("name/tmp/eph")],
    ["removes alice's directory from name/tmp", () => mallory.remove("name/tmp/alice")],
    [
      "renames a file of the sticky name/tmp (Twstat)",
      () => mallory.rename("name/tmp/notes.txt", "name/tmp/stolen"),
    ],
    [
      "replaces a file of the sticky name/tmp by renaming over it",
      () => mallory.rename("name/tmp/mine", "name/tmp/notes.txt"),
    ],
    [
      "moves alice's file out of her directory (Trenameat)",
      () => mallory.rename("name/tmp/alice/public", "name/tmp/public"),
    ],
    [
      "moves its own file into alice's directory (Trenameat)",
      () => mallory.rename("name/tmp/mine", "name/tmp/alice/mine"),
    ],
    ["removes named's boot directory name/tmp", () => mallory.remove("name/tmp")],
    ["removes named's boot directory name/schedd", () => mallory.remove("name/schedd")],
    ["renames a boot directory", () => mallory.rename("name/kpids", "name/kpids2")],
  ];
  for (const [what, attempt] of refusals) {
    it(`${what}: Perm`, async () => {
      expect(await codeOf(attempt())).toBe(ErrCode.Perm);
    });
  }

  it("removes alice's .fences entry: Perm, and the fence stays", async () => {
    const fenced = await srv.connect("alice");
    try {
      fenced.fenceDir("name/ux", { fenceid: { path: 0x5150n, serverid: 0n }, epoch: 3n });
      await fenced.putFile("name/ux/fenced", 0o644, Mode.OWRITE, enc("f"));
      const names = (await ops.getDir("name/.fences")).map((s) => s.name);
      expect(names).toHaveLength(1);
      expect(await codeOf(mallory.remove(`name/.fences/${names[0]}`))).toBe(ErrCode.Perm);
      expect((await ops.getDir("name/.fences")).map((s) => s.name)).toEqual(names);
      await alice.remove("name/ux/fenced");
    } finally {
      await fenced.exit();
    }
  });

  it("writes through a fid it opened for reading (TwriteV): Perm", async () => {
    const fd = await mallory.open("name/tmp/alice/public", Mode.OREAD);
    try {
      expect(dec(await mallory.read(fd, 100))).toBe("hello");
      expect(await codeOf(mallory.writeV(fd, enc("x")))).toBe(ErrCode.Perm);
    } finally {
      await mallory.close(fd);
    }
  });

  it("may read what others may read and create in name/tmp", async () => {
    expect(dec(await mallory.getFile("name/tmp/alice/public"))).toBe("hello");
    expect((await mallory.getDir("name/tmp/alice")).map((s) => s.name).sort()).toEqual([
      "public",
      "secret",
      "sub",
    ]);
  });

  it("left the tree exactly as it was", async () => {
    expect(await snapshot(ops, "name/tmp")).toEqual(before);
  });
});

describe("the owner, an admin, a readonly principal", () => {
  it("the owner reads its 0600 file; what it creates is owned by its token's user", async () => {
    expect(dec(await alice.getFile("name/tmp/alice/secret"))).toBe("s3cret");
    expect((await alice.stat("name/tmp/alice/secret")).uid).toBe("alice");
    expect((await alice.stat("name/tmp")).uid).toBe("");
  });

  it("readonly reads and lists, and every mutation is Perm", async () => {
    expect(dec(await reader.getFile("name/tmp/alice/public"))).toBe("hello");
    expect((await reader.getDir("name/tmp")).length).toBeGreaterThan(0);
    expect(await codeOf(reader.putFile("name/tmp/r", 0o666, Mode.OWRITE, enc("x")))).toBe(
      ErrCode.Perm,
    );
    expect(await codeOf(reader.mkDir("name/tmp/r"))).toBe(ErrCode.Perm);
    expect(await codeOf(reader.putFile("name/tmp/notes.txt", 0o666, Mode.OWRITE, enc("x")))).toBe(
      ErrCode.Perm,
    );
    expect(await codeOf(reader.open("name/tmp/notes.txt", Mode.OWRITE))).toBe(ErrCode.Perm);
    expect(await codeOf(reader.remove("name/tmp/mine"))).toBe(ErrCode.Perm);
    expect(await snapshot(ops, "name/tmp")).toEqual(before);
  });

  it("an admin reads alice's secret and removes another user's file in a sticky directory", async () => {
    expect(dec(await ops.getFile("name/tmp/alice/secret"))).toBe("s3cret");
    await ops.putFile("name/tmp/ops-made", 0o600, Mode.OWRITE, enc("x"));
    await ops.remove("name/tmp/ops-made");
    await mallory.putFile("name/tmp/junk", 0o644, Mode.OWRITE, enc("x"));
    await ops.remove("name/tmp/junk");
    expect(await codeOf(ops.stat("name/tmp/junk"))).toBe(ErrCode.Notfound);
  });

  it("the owner removes and renames its own entries in the sticky name/tmp", async () => {
    await alice.putFile("name/tmp/a1", 0o644, Mode.OWRITE, enc("1"));
    await alice.rename("name/tmp/a1", "name/tmp/a2");
    await alice.remove("name/tmp/a2");
    expect(await codeOf(alice.stat("name/tmp/a2"))).toBe(ErrCode.Notfound);
  });
});
