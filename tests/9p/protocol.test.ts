/**
 * Every 9P2000.L message the gateway serves, through the project's own codec and client, with
 * the state checked on the sigmap side through FsLib.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import type { NinepClient } from "../../servers/9p/client.js";
import { LerrorError } from "../../servers/9p/client.js";
import { decodeDirents } from "../../servers/9p/codec.js";
import { Errno } from "../../servers/9p/errno.js";
import { NOFID, QT } from "../../servers/9p/messages.js";
import { AT_REMOVEDIR, O, SETATTR } from "../../servers/9p/tree.js";
import { inFlight, isPending } from "../support/in-flight.js";
import { serverCounter, serverCounterReaches } from "../support/server-stats.js";
import { bytes, client, startWorld, text, type World } from "./fixture.js";

let w: World;
let c: NinepClient;
let n = 0;
/** A fresh directory in named per test, and a 9P fid (100+) attached to it. */
async function dir(): Promise<{ path: string; fid: number }> {
  const path = `name/tmp/p${n++}`;
  await w.fsl.mkDir(path);
  const fid = 100 + n;
  await c.attach(fid, path);
  return { path, fid };
}
let nextFid = 1000;
const fid = (): number => nextFid++;

async function errno(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LerrorError) return e.ecode;
    throw e;
  }
  throw new Error("expected an Rlerror");
}

beforeAll(async () => {
  w = await startWorld();
  c = await client(w.gw);
});
afterAll(async () => {
  await c?.close();
  await w?.close();
});

const setattr0 = {
  mode: 0,
  uid: 0,
  gid: 0,
  size: 0n,
  atimeSec: 0n,
  atimeNsec: 0n,
  mtimeSec: 0n,
  mtimeNsec: 0n,
};

describe("version, auth, attach", () => {
  it("Tversion negotiates the smaller msize and names 9P2000.L", async () => {
    const a = await client(w.gw, 8192);
    expect(a.msize).toBe(8192);
    await a.close();
    const b = await client(w.gw, 64 * 1024 * 1024);
    expect(b.msize).toBe(1024 * 1024);
    await b.close();
  });

  it("Tversion of another dialect is answered 'unknown'", async () => {
    const a = await client(w.gw);
    expect(await a.rpc({ type: "Tversion", msize: 8192, version: "9P2000.u" })).toMatchObject({
      version: "unknown",
    });
    await a.close();
  });

  it("Tauth is Rlerror(ENOENT): no authentication is required", async () => {
    const r = c.rpc({ type: "Tauth", afid: 7, uname: "u", aname: "name", nUname: 0 });
    expect(await errno(r)).toBe(Errno.ENOENT);
  });

  it("Tattach: name is named's root, name/SUB a subtree, ctl the synthetic tree", async () => {
    const st = await w.fsl.stat("name/");
    const r = await c.attach(fid(), "name");
    expect(r.qid).toEqual({ type: QT.DIR, version: st.qid.version, path: st.qid.path });
    await w.fsl.mkDir("name/tmp/sub");
    const sub = await w.fsl.stat("name/tmp/sub");
    expect((await c.attach(fid(), "name/tmp/sub")).qid.path).toBe(sub.qid.path);
    expect((await c.attach(fid(), "ctl")).qid.type).toBe(QT.DIR);
    expect(await errno(c.attach(fid(), "nosuch"))).toBe(Errno.ENOENT);
    expect(await errno(c.attach(fid(), "name/tmp/nosuch"))).toBe(Errno.ENOENT);
    const withAfid = c.rpc({
      type: "Tattach",
      fid: fid(),
      afid: 5,
      uname: "u",
      aname: "name",
      nUname: 0,
    });
    expect(await errno(withAfid)).toBe(Errno.EBADF);
  });

  it("a fid in use cannot be attached again", async () => {
    const f = fid();
    await c.attach(f, "ctl");
    expect(await errno(c.attach(f, "ctl"))).toBe(Errno.EBADF);
  });
});

describe("walk, open, read, write, create, clunk, remove", () => {
  it("Twalk clones, walks several names with a qid each, and stops short at a missing one", async () => {
    const d = await dir();
    await w.fsl.mkDir(`${d.path}/a`);
    await w.fsl.putFile(`${d.path}/a/f`, 0o777, Mode.OWRITE, bytes("x"));
    const clone = fid();
    expect((await c.walk(d.fid, clone, [])).wqids).toEqual([]);
    const f = fid();
    const r = await c.walk(d.fid, f, ["a", "f"]);
    const st = await w.fsl.stat(`${d.path}/a/f`);
    expect(r.wqids).toHaveLength(2);
    expect(r.wqids[0]?.type).toBe(QT.DIR);
    expect(r.wqids[1]).toEqual({ type: QT.FILE, version: st.qid.version, path: st.qid.path });
    const short = fid();
    expect((await c.walk(d.fid, short, ["a", "missing", "x"])).wqids).toHaveLength(1);
    // The short walk did not create its newfid: clunking it is an error, as for any unused fid.
    expect(await errno(c.clunk(short))).toBe(Errno.EBADF);
    expect(await errno(c.walk(d.fid, fid(), ["missing"]))).toBe(Errno.ENOENT);
    expect(await errno(c.walk(f, fid(), ["below-a-file"]))).toBe(Errno.ENOTDIR);
    const up = fid();
    expect((await c.walk(d.fid, up, ["a", "..", "a"])).wqids).toHaveLength(3);
    expect((await c.getattr(up)).qid).toEqual(r.wqids[0]);
  });

  it("Tlcreate creates and opens; Twrite and Tread move bytes; FsLib sees them", async () => {
    const d = await dir();
    const f = fid();
    await c.walk(d.fid, f, []);
    const cr = await c.rpc({
      type: "Tlcreate",
      fid: f,
      name: "new",
      flags: O.RDWR,
      mode: 0o644,
      gid: 0,
    });
    expect(cr.qid.type).toBe(QT.FILE);
    expect(cr.iounit).toBe(c.msize - 24);
    expect(await c.write(f, 0n, bytes("hello world"))).toBe(11);
    expect(await c.write(f, 6n, bytes("there"))).toBe(5);
    expect(text(await c.read(f, 0n, 100))).toBe("hello there");
    expect(text(await c.read(f, 6n, 3))).toBe("the");
    expect(text(await c.read(f, 50n, 10))).toBe("");
    expect(text(await w.fsl.getFile(`${d.path}/new`))).toBe("hello there");
    expect(cr.qid.path).toBe((await w.fsl.stat(`${d.path}/new`)).qid.path);
    await c.clunk(f);
    const again = fid();
    await c.walk(d.fid, again, []);
    const dup = c.rpc({ type: "Tlcreate", fid: again, name: "new", flags: 0, mode: 0o644, gid: 0 });
    expect(await errno(dup)).toBe(Errno.EEXIST);
  });

  it("Tlopen with O_TRUNC truncates; reads and writes need an open fid", async () => {
    const d = await dir();
    await w.fsl.putFile(`${d.path}/t`, 0o777, Mode.OWRITE, bytes("old content"));
    const f = fid();
    await c.walk(d.fid, f, ["t"]);
    expect(await errno(c.read(f, 0n, 10))).toBe(Errno.EBADF);
    const r = await c.lopen(f, O.WRONLY | O.TRUNC);
    expect(r.qid.type).toBe(QT.FILE);
    expect(await errno(c.lopen(f, O.RDONLY))).toBe(Errno.EBADF);
    await c.write(f, 0n, bytes("new"));
    await c.clunk(f);
    expect(text(await w.fsl.getFile(`${d.path}/t`))).toBe("new");
  });

  it("Tclunk releases the fid; Tremove removes the object and releases the fid", async () => {
    const d = await dir();
    await w.fsl.putFile(`${d.path}/gone`, 0o777, Mode.OWRITE, bytes("x"));
    const f = fid();
    await c.walk(d.fid, f, ["gone"]);
    await c.rpc({ type: "Tremove", fid: f });
    expect(await w.fsl.getDir(d.path)).toEqual([]);
    expect(await errno(c.clunk(f))).toBe(Errno.EBADF);
    const g = fid();
    await c.walk(d.fid, g, []);
    await c.clunk(g);
    await c.walk(d.fid, g, []); // the number is free again
    await c.clunk(g);
  });
});

describe("attributes", () => {
  it("Tgetattr reports the kind, size, version and the sigmap qid", async () => {
    const d = await dir();
    await w.fsl.putFile(`${d.path}/f`, 0o777, Mode.OWRITE, bytes("12345"));
    const f = fid();
    await c.walk(d.fid, f, ["f"]);
    const a = await c.getattr(f);
    const st = await w.fsl.stat(`${d.path}/f`);
    expect(a.qid).toEqual({ type: QT.FILE, version: st.qid.version, path: st.qid.path });
    expect(a.mode).toBe(0o100777);
    expect(a.size).toBe(5n);
    expect(a.nlink).toBe(1n);
    expect(a.mtimeSec).toBe(BigInt(st.mtime));
    expect(a.dataVersion).toBe(BigInt(st.qid.version));
    expect((await c.getattr(d.fid)).mode).toBe(0o040777);
  });

  it("Tsetattr truncates, shrinks and grows; mode and owner are refused; times are accepted", async () => {
    const d = await dir();
    await w.fsl.putFile(`${d.path}/f`, 0o777, Mode.OWRITE, bytes("0123456789"));
    const f = fid();
    await c.walk(d.fid, f, ["f"]);
    const set = (valid: number, size = 0n) =>
      c.rpc({ type: "Tsetattr", fid: f, ...setattr0, valid, size });
    await set(SETATTR.SIZE, 4n);
    expect(text(await w.fsl.getFile(`${d.path}/f`))).toBe("0123");
    await set(SETATTR.SIZE, 6n);
    expect(Array.from(await w.fsl.getFile(`${d.path}/f`))).toEqual([48, 49, 50, 51, 0, 0]);
    await set(SETATTR.SIZE, 0n);
    expect((await w.fsl.stat(`${d.path}/f`)).length).toBe(0n);
    expect(await errno(set(SETATTR.MODE))).toBe(Errno.EPERM);
    expect(await errno(set(SETATTR.UID | SETATTR.GID))).toBe(Errno.EPERM);
    await set(SETATTR.ATIME | SETATTR.MTIME | SETATTR.CTIME);
  });

  it("Tstatfs describes a v9fs file system", async () => {
    const r = await c.rpc({ type: "Tstatfs", fid: (await dir()).fid });
    expect(r).toMatchObject({ fsType: 0x01021997, bsize: 4096, namelen: 255 });
  });
});

describe("directories, links, renames", () => {
  it("Treaddir lists entries with offsets; continuing and rewinding work", async () => {
    const d = await dir();
    for (const name of ["c", "a", "b"]) await w.fsl.mkDir(`${d.path}/${name}`);
    await w.fsl.putFile(`${d.path}/file`, 0o777, Mode.OWRITE, bytes("x"));
    const f = fid();
    await c.walk(d.fid, f, []);
    await c.lopen(f, O.RDONLY);
    const rd = async (offset: bigint, count = 8192) =>
      decodeDirents((await c.rpc({ type: "Treaddir", fid: f, offset, count })).data);
    const all = await rd(0n);
    expect(all.map((e) => [e.name, e.offset, e.type])).toEqual([
      ["a", 1n, 4],
      ["b", 2n, 4],
      ["c", 3n, 4],
      ["file", 4n, 8],
    ]);
    expect(await rd(4n)).toEqual([]);
    expect(await errno(c.read(f, 0n, 100))).toBe(Errno.EISDIR);
    // Room for one entry at a time (each is 13 + 8 + 1 + 2 + 1 bytes).
    const one = await rd(0n, 30);
    expect(one.map((e) => e.name)).toEqual(["a"]);
    expect((await rd(1n, 30)).map((e) => e.name)).toEqual(["b"]);
    // Back to an earlier offset: resume after "a".
    expect((await rd(1n)).map((e) => e.name)).toEqual(["b", "c", "file"]);
    expect(await errno(c.rpc({ type: "Treaddir", fid: f, offset: 0n, count: 10 }))).toBe(
      Errno.EINVAL,
    );
    const file = fid();
    await c.walk(d.fid, file, ["file"]);
    await c.lopen(file, O.RDONLY);
    expect(await errno(c.rpc({ type: "Treaddir", fid: file, offset: 0n, count: 100 }))).toBe(
      Errno.ENOTDIR,
    );
  });

  it("Tmkdir, Tsymlink, Treadlink, Tunlinkat", async () => {
    const d = await dir();
    const mk = await c.rpc({ type: "Tmkdir", dfid: d.fid, name: "sub", mode: 0o755, gid: 0 });
    expect(mk.qid.type).toBe(QT.DIR);
    expect(await w.fsl.isDir(`${d.path}/sub`)).toBe(true);
    const again = c.rpc({ type: "Tmkdir", dfid: d.fid, name: "sub", mode: 0o755, gid: 0 });
    expect(await errno(again)).toBe(Errno.EEXIST);
    const sl = await c.rpc({
      type: "Tsymlink",
      fid: d.fid,
      name: "link",
      symtgt: "some/target",
      gid: 0,
    });
    expect(sl.qid.type).toBe(QT.SYMLINK);
    const l = fid();
    await c.walk(d.fid, l, ["link"]);
    expect(await c.rpc({ type: "Treadlink", fid: l })).toMatchObject({ target: "some/target" });
    expect(await errno(c.rpc({ type: "Treadlink", fid: d.fid }))).toBe(Errno.EINVAL);
    // A target longer than a 9P string can hold (65535 bytes) fails the request, not the link.
    await w.fsl.symlink("t".repeat(70_000), `${d.path}/long`);
    const long = fid();
    await c.walk(d.fid, long, ["long"]);
    expect(await errno(c.rpc({ type: "Treadlink", fid: long }))).toBe(Errno.EIO);
    await c.rpc({ type: "Tunlinkat", dirfid: d.fid, name: "long", flags: 0 });
    await w.fsl.putFile(`${d.path}/sub/inner`, 0o777, Mode.OWRITE, bytes("x"));
    const rmdir = (name: string) =>
      c.rpc({ type: "Tunlinkat", dirfid: d.fid, name, flags: AT_REMOVEDIR });
    expect(await errno(rmdir("sub"))).toBe(Errno.ENOTEMPTY);
    expect(await errno(rmdir("nosuch"))).toBe(Errno.ENOENT);
    await w.fsl.remove(`${d.path}/sub/inner`);
    await rmdir("sub");
    await c.rpc({ type: "Tunlinkat", dirfid: d.fid, name: "link", flags: 0 });
    expect(await w.fsl.getDir(d.path)).toEqual([]);
  });

  it("Trenameat moves between directories; Trename moves a fid's object", async () => {
    const d = await dir();
    await w.fsl.mkDir(`${d.path}/x`);
    await w.fsl.mkDir(`${d.path}/y`);
    await w.fsl.putFile(`${d.path}/x/f`, 0o777, Mode.OWRITE, bytes("moved"));
    const x = fid();
    const y = fid();
    await c.walk(d.fid, x, ["x"]);
    await c.walk(d.fid, y, ["y"]);
    await c.rpc({ type: "Trenameat", olddirfid: x, oldname: "f", newdirfid: y, newname: "g" });
    expect(text(await w.fsl.getFile(`${d.path}/y/g`))).toBe("moved");
    const gone = c.rpc({
      type: "Trenameat",
      olddirfid: x,
      oldname: "f",
      newdirfid: y,
      newname: "h",
    });
    expect(await errno(gone)).toBe(Errno.ENOENT);
    const g = fid();
    await c.walk(y, g, ["g"]);
    await c.rpc({ type: "Trename", fid: g, dfid: x, name: "back" });
    expect(text(await w.fsl.getFile(`${d.path}/x/back`))).toBe("moved");
    // The fid follows its object to the new name.
    expect((await c.getattr(g)).size).toBe(5n);
  });
});

describe("fsync, locks, flush, what is not supported", () => {
  it("Tfsync on an open fid succeeds; on a fid not open it is EBADF", async () => {
    const d = await dir();
    await w.fsl.putFile(`${d.path}/f`, 0o777, Mode.OWRITE, bytes("x"));
    const f = fid();
    await c.walk(d.fid, f, ["f"]);
    expect(await errno(c.rpc({ type: "Tfsync", fid: f, datasync: 0 }))).toBe(Errno.EBADF);
    await c.lopen(f, O.RDWR);
    await c.rpc({ type: "Tfsync", fid: f, datasync: 1 });
  });

  it("Tlock: a lock is ENOLCK, an unlock succeeds; Tgetlock says unlocked", async () => {
    const d = await dir();
    const lock = { fid: d.fid, flags: 0, start: 0n, length: 0n, procId: 1, clientId: "me" };
    expect(await errno(c.rpc({ type: "Tlock", ...lock, lockType: 1 }))).toBe(Errno.ENOLCK);
    expect(await c.rpc({ type: "Tlock", ...lock, lockType: 2 })).toMatchObject({ status: 0 });
    const { flags: _f, ...get } = lock;
    expect(await c.rpc({ type: "Tgetlock", ...get, lockType: 1 })).toMatchObject({
      lockType: 2,
      clientId: "me",
    });
  });

  it("Tflush of a read blocked on a pipe: Rflush, no Rread, the connection goes on", async () => {
    const d = await dir();
    await w.fsl.makePipe(`${d.path}/pipe`);
    const f = fid();
    await c.walk(d.fid, f, ["pipe"]);
    // A pipe open waits for the other side: open both ends together.
    const [opened, wfd] = await Promise.all([
      c.lopen(f, O.RDONLY),
      w.fsl.open(`${d.path}/pipe`, Mode.OWRITE),
    ]);
    expect(opened.qid.type).toBe(QT.FILE);
    const reads = await serverCounter(w.fsl, "Nread");
    const blocked = c.send({ type: "Tread", fid: f, offset: 0n, count: 100 });
    const outcome = inFlight(
      blocked.reply.then(
        () => "answered",
        (e: Error) => e.message,
      ),
    );
    // The read has reached named and is parked there on the empty pipe.
    await serverCounterReaches(w.fsl, "Nread", reads + 1);
    expect(await isPending(outcome)).toBe(true);
    await c.flush(blocked.tag);
    expect(await outcome).toBe("Tread flushed");
    expect((await c.getattr(d.fid)).qid.type).toBe(QT.DIR);
    await w.fsl.close(wfd);
  });

  it("Tflush of a tag not in flight is answered at once", async () => {
    await c.flush(4242);
  });

  it("Tmknod, Tlink, Txattrwalk and classic 9P2000 requests are EOPNOTSUPP", async () => {
    const d = await dir();
    const mknod = c.rpc({
      type: "Tmknod",
      dfid: d.fid,
      name: "dev",
      mode: 0o644,
      major: 1,
      minor: 3,
      gid: 0,
    });
    expect(await errno(mknod)).toBe(Errno.EOPNOTSUPP);
    expect(await errno(c.rpc({ type: "Tlink", dfid: d.fid, fid: d.fid, name: "l" }))).toBe(
      Errno.EOPNOTSUPP,
    );
    const xw = c.rpc({ type: "Txattrwalk", fid: d.fid, newfid: fid(), name: "user.x" });
    expect(await errno(xw)).toBe(Errno.EOPNOTSUPP);
    // A 9P2000 Tstat (124): size[4] type[1] tag[2] fid[4].
    const a = await client(w.gw);
    const frame = Buffer.alloc(11);
    frame.writeUInt32LE(11, 0);
    frame.writeUInt8(124, 4);
    frame.writeUInt16LE(9, 5);
    frame.writeUInt32LE(NOFID, 7);
    const reply = a.replyTo(9);
    a.writeRaw(frame);
    expect(await errno(reply)).toBe(Errno.EOPNOTSUPP);
    await a.attach(1, "ctl");
    await a.close();
  });
});

describe("many fids and tags on one connection", () => {
  it("400 fids and 400 concurrent requests are all served", async () => {
    const a = await client(w.gw);
    await a.attach(0, "ctl");
    const fids = Array.from({ length: 400 }, (_, i) => i + 1);
    const walks = await Promise.all(fids.map((f) => a.walk(0, f, ["null"])));
    expect(walks.every((r) => r.wqids.length === 1)).toBe(true);
    const attrs = await Promise.all(fids.map((f) => a.getattr(f)));
    expect(new Set(attrs.map((r) => r.qid.path))).toEqual(new Set([3n]));
    await Promise.all(fids.map((f) => a.clunk(f)));
    await a.close();
  });
});
