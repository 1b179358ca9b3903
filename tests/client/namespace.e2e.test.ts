import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, QType, type Tmount } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { encodeMountRecord } from "../../runtime/client/path/mount-record.js";
import { bytes, connect, startTestServer, type TestServer, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let named: Named;
let other: TestServer;
let third: TestServer;
let fsl: FsLib;
/** The client that registers the servers (a server's own FsLib, in real life). */
let registrar: FsLib;

const mountOf = (addr: string, root = ""): Tmount => ({
  addr: [{ addr, net: "rootrealm" }],
  root,
  pubKey: new Uint8Array(0),
});
async function code(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error && "code" in e) return (e as { code: number }).code;
    throw e;
  }
  throw new Error("expected an error");
}

forEachStore((store) => {
  beforeAll(async () => {
    [named, other, third] = await Promise.all([
      store.startNamed(),
      startTestServer(),
      startTestServer(),
    ]);
    registrar = await connect(named.addr);
    // Content on the second and third servers, written through direct mounts.
    await registrar.mountTree([other.addr], "", "other");
    await registrar.mountTree([third.addr], "", "third");
    await registrar.mkDir("other/tree");
    await registrar.putFile("other/tree/hello", 0o777, 0, bytes("from other"));
    await registrar.putFile("third/hello", 0o777, 0, bytes("from third"));
    await registrar.mkDir("name/srv");
    await registrar.mountService("name/srv/other", mountOf(other.addr, "tree"));
    await registrar.mkDir("name/u");
    fsl = await connect(named.addr);
  });
  afterAll(async () => {
    await fsl?.exit();
    await registrar?.exit();
    await Promise.all([named?.close(), other?.close(), third?.close()]);
  });

  describe("symlinks", () => {
    it("a path symlink is followed in the middle and, with a trailing /, at the end", async () => {
      await fsl.mkDir("name/real");
      await fsl.putFile("name/real/f", 0o777, 0, bytes("real"));
      await fsl.symlink("name/real", "name/link");
      expect(text(await fsl.getFile("name/link/f"))).toBe("real");
      const st = await fsl.stat("name/link");
      expect(st.qid.type & QType.QTSYMLINK).not.toBe(0);
      expect((await fsl.stat("name/link/")).qid.type & QType.QTDIR).not.toBe(0);
      expect((await fsl.getDir("name/link/")).map((s) => s.name)).toEqual(["f"]);
      expect(text(await fsl.getFile("name/link"))).toBe("name/real");
      await fsl.symlink("name/real/f", "name/flink");
      expect(text(await fsl.getFile("name/flink/"))).toBe("real");
      await fsl.remove("name/link");
      expect(await fsl.isDir("name/real")).toBe(true);
    });

    it("a symlink loop is Unreachable after MAXSYMLINK rounds", async () => {
      await fsl.symlink("name/loopb", "name/loopa");
      await fsl.symlink("name/loopa", "name/loopb");
      const e = await fsl.stat("name/loopa/x").catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Unreachable)).toBe(true);
    });
  });

  describe("mounts", () => {
    it("a mount record is mounted on first crossing and reads through to the other server", async () => {
      expect(fsl.mounts()).toEqual(["name"]);
      expect(text(await fsl.getFile("name/srv/other/hello"))).toBe("from other");
      expect(fsl.mounts()).toContain("name/srv/other");
      // Second time straight from the longest mount.
      expect(text(await fsl.getFile("name/srv/other/hello"))).toBe("from other");
      const lm = fsl.lastMount("name/srv/other/hello");
      expect(lm).toMatchObject({ mountPath: "name/srv/other", rest: "hello" });
      expect(lm.mount.root).toBe("tree");
      expect((await fsl.getDir("name/srv/other/")).map((s) => s.name)).toEqual(["hello"]);
    });

    it("without a trailing / the mount point is the symlink itself", async () => {
      const m = await fsl.readMount("name/srv/other");
      expect(m.addr[0]?.addr).toBe(other.addr);
      expect(m.root).toBe("tree");
      const st = await fsl.stat("name/srv/other");
      expect(st.name).toBe(other.addr);
      expect(await code(fsl.readMount("name/srv"))).toBe(ErrCode.NotFile);
    });

    it("writes, creates and removes go to the mounted server", async () => {
      await fsl.putFile("name/srv/other/w", 0o777, 0, bytes("w"));
      expect(text(await registrar.getFile("other/tree/w"))).toBe("w");
      const fd = await fsl.create("name/srv/other/c", 0o777, Mode.OWRITE);
      await fsl.write(fd, bytes("c"));
      await fsl.close(fd);
      expect(text(await registrar.getFile("other/tree/c"))).toBe("c");
      await fsl.remove("name/srv/other/c");
      await fsl.remove("name/srv/other/w");
      expect(await code(registrar.getFile("other/tree/w"))).toBe(ErrCode.Notfound);
    });

    it("combined operations fall back to a walk through a fresh mount", async () => {
      const c = await connect(named.addr);
      try {
        await c.putFile("name/srv/other/p", 0o777, 0, bytes("p"));
        expect(text(await registrar.getFile("other/tree/p"))).toBe("p");
        const d = await connect(named.addr);
        await d.remove("name/srv/other/p");
        await d.exit();
        const e = await connect(named.addr);
        await e.setFile("name/srv/other/s", bytes("s"), 0, 0);
        await e.exit();
        expect(text(await c.getFile("name/srv/other/s"))).toBe("s");
      } finally {
        await c.exit();
      }
    });

    it("rename across servers is Inval; mkMountSymlink, pathLastSymlink, copyMount", async () => {
      expect(await code(fsl.rename("name/srv/other/hello", "name/h"))).toBe(ErrCode.Inval);
      await fsl.mkMountSymlink("name/third", mountOf(third.addr));
      const last = await fsl.pathLastSymlink("name/third");
      expect(last.mountPath).toBe("name/third");
      expect(text(await fsl.getFile("name/third/hello"))).toBe("from third");
      const cm = await fsl.copyMount("name/x/y");
      expect(cm.rest).toBe("x/y");
      expect(cm.mount.addr[0]?.addr).toBe(named.addr);
      expect(fsl.namedAddr()).toEqual([named.addr]);
    });

    it("mountTree, attach and walkPath at the fid level", async () => {
      await fsl.mountTree([third.addr], "", "t3");
      expect(text(await fsl.getFile("t3/hello"))).toBe("from third");
      const fid = await fsl.walkPath("t3/hello", false);
      await fsl.clunk(fid);
      expect(await code(fsl.clunk(fid))).toBe(ErrCode.Unknownfid);
      const root = await fsl.attach(fsl.uname, [other.addr], "o2", "tree");
      expect(fsl.mounts()).toContain("o2");
      expect(text(await fsl.getFile("o2/hello"))).toBe("from other");
      expect(await code(Promise.resolve().then(() => fsl.mount(root, "o2")))).toBe(ErrCode.Exists);
      expect(await code(fsl.mountTree([third.addr], "", "t3"))).toBe(ErrCode.Exists);
    });
  });

  describe("unions", () => {
    it("~any picks a mount record, skipping entries that are not records", async () => {
      await registrar.putFile("name/u/aaa-not-a-record", 0o777, 0, bytes("x"));
      await registrar.symlink("name/srv", "name/u/aab-path-symlink");
      await registrar.mountServiceUnion("name/u", mountOf(other.addr, "tree"), "s1");
      expect(text(await fsl.getFile("name/u/~any/hello"))).toBe("from other");
      expect(fsl.mounts()).toContain("name/u/~any");
      expect(await fsl.resolveUnion("name/u/~any/hello")).toBe("name/u/s1/hello/");
    });

    it("~local picks the entry whose first host is the client's IP", async () => {
      await registrar.mkDir("name/l");
      await registrar.symlink(encodeMountRecord(mountOf("10.255.255.1:1")), "name/l/far");
      await registrar.mkMountSymlink("name/l/", mountOf(third.addr));
      expect(text(await fsl.getFile("name/l/~local/hello"))).toBe("from third");
      expect(await fsl.resolveUnions("name/l/~local")).toBe(`name/l/${third.addr}/`);
      const elsewhere = await connect(named.addr, { localIp: "10.9.9.9" });
      try {
        expect(await code(elsewhere.getFile("name/l/~local/hello"))).toBe(ErrCode.Notfound);
      } finally {
        await elsewhere.exit();
      }
    });

    it("an empty union is Notfound of the union element", async () => {
      await fsl.mkDir("name/empty");
      const e = await fsl.getFile("name/empty/~any/x").catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Notfound)).toBe(true);
      expect((e as { obj: string }).obj).toBe("~any");
    });
  });
});
