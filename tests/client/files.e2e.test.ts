import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, NoOffset, Perm, QType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore, memfsOnly } from "../support/store-matrix.js";
import { bytes, connect, text } from "./server-fixture.js";

let srv: Named;
let fsl: FsLib;
let n = 0;
/** A fresh directory per test. */
async function dir(): Promise<string> {
  const d = `name/t${n++}`;
  await fsl.mkDir(d, 0o777);
  return d;
}
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
    srv = await store.startNamed();
    fsl = await connect(srv.addr);
  });
  afterAll(async () => {
    await fsl?.exit();
    await srv?.close();
  });

  describe("descriptors", () => {
    it("create, write, seek, read, close; the fd is reused lowest first", async () => {
      const d = await dir();
      const fd = await fsl.create(`${d}/f`, 0o777, Mode.ORDWR);
      expect(await fsl.write(fd, bytes("hello world"))).toBe(11);
      fsl.seek(fd, 6);
      expect(text(await fsl.read(fd, 100))).toBe("world");
      expect(await fsl.read(fd, 100)).toHaveLength(0);
      expect(fsl.qid(fd).type).toBe(QType.QTFILE);
      await fsl.close(fd);
      expect(await code(fsl.read(fd, 1))).toBe(ErrCode.BadFd);
      expect(await code(fsl.close(fd))).toBe(ErrCode.BadFd);
      const a = await fsl.open(`${d}/f`, Mode.OREAD);
      const b = await fsl.open(`${d}/f`, Mode.OREAD);
      await fsl.close(a);
      const c = await fsl.open(`${d}/f`, Mode.OREAD);
      expect(c).toBe(a);
      await fsl.close(b);
      await fsl.close(c);
    });

    it("create of an existing name is Exists; open of a missing one is Notfound", async () => {
      const d = await dir();
      await fsl.close(await fsl.create(`${d}/f`, 0o777, Mode.OWRITE));
      expect(await code(fsl.create(`${d}/f`, 0o777, Mode.OWRITE))).toBe(ErrCode.Exists);
      expect(await code(fsl.open(`${d}/nope`, Mode.OREAD))).toBe(ErrCode.Notfound);
      expect(await code(fsl.create(`${d}/no/f`, 0o777, Mode.OWRITE))).toBe(ErrCode.Notfound);
      const fd = await fsl.createOpen(`${d}/f`, 0o777, Mode.OREAD);
      await fsl.close(fd);
    });

    it("open with OTRUNC truncates", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("abcdef"));
      await fsl.close(await fsl.open(`${d}/f`, Mode.OWRITE | Mode.OTRUNC));
      expect(await fsl.getFile(`${d}/f`)).toHaveLength(0);
    });

    it("writeV fails with Version once the file moved, and a second writeV on the same fd too", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("0"));
      const fd = await fsl.open(`${d}/f`, Mode.ORDWR);
      expect(text(await fsl.readV(fd, 10))).toBe("0");
      fsl.seek(fd, 0);
      expect(await fsl.writeV(fd, bytes("1"))).toBe(1);
      fsl.seek(fd, 0);
      expect(await code(fsl.writeV(fd, bytes("2")))).toBe(ErrCode.Version);
      expect(await code(fsl.readV(fd, 1))).toBe(ErrCode.Version);
      expect(text(await fsl.read(fd, 10))).toBe("1");
      await fsl.close(fd);
    });

    it("reads and writes larger than the chunk size go out in chunks", async () => {
      const d = await dir();
      const big = new Uint8Array(300_000).map((_, i) => i % 251);
      const old = fsl.getChunkSize();
      fsl.setChunkSize(64 * 1024);
      try {
        const fd = await fsl.create(`${d}/big`, 0o777, Mode.ORDWR);
        expect(await fsl.write(fd, big)).toBe(big.length);
        fsl.seek(fd, 0);
        const back = await fsl.read(fd, big.length + 10);
        expect(Buffer.compare(Buffer.from(back), Buffer.from(big))).toBe(0);
        await fsl.close(fd);
      } finally {
        fsl.setChunkSize(old);
      }
      expect(await code(Promise.resolve().then(() => fsl.setChunkSize(0)))).toBe(ErrCode.Inval);
    });
  });

  describe("paths", () => {
    it("stat names the object; a mount point without / is a local stat of the address", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("xyz"));
      const st = await fsl.stat(`${d}/f`);
      expect(st.name).toBe("f");
      expect(st.length).toBe(3n);
      expect(await fsl.isDir(d)).toBe(true);
      expect(await fsl.isDir(`${d}/f`)).toBe(false);
      expect((await fsl.stat("name")).name).toBe(srv.addr);
      expect(await code(fsl.stat(`${d}/nope`))).toBe(ErrCode.Notfound);
      expect(await code(fsl.stat("nomount/x"))).toBe(ErrCode.Unreachable);
    });

    it("walking through a file is Notfound of the rest", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("x"));
      const e = await fsl.stat(`${d}/f/x/y`).catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Notfound)).toBe(true);
    });

    it("remove: file, missing, non-empty directory", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("x"));
      await fsl.remove(`${d}/f`);
      expect(await code(fsl.remove(`${d}/f`))).toBe(ErrCode.Notfound);
      await fsl.mkDir(`${d}/sub`);
      await fsl.putFile(`${d}/sub/g`, 0o777, 0, bytes("x"));
      expect(await code(fsl.remove(`${d}/sub`))).toBe(ErrCode.NotEmpty);
      await fsl.rmDir(`${d}/sub`);
      expect(await fsl.getDir(`${d}/`)).toEqual([]);
    });

    it("rename within a directory and across directories, replacing a target", async () => {
      const d = await dir();
      await fsl.mkDir(`${d}/a`);
      await fsl.putFile(`${d}/a/x`, 0o777, 0, bytes("1"));
      await fsl.rename(`${d}/a/x`, `${d}/a/y`);
      expect(text(await fsl.getFile(`${d}/a/y`))).toBe("1");
      await fsl.mkDir(`${d}/b`);
      await fsl.putFile(`${d}/b/z`, 0o777, 0, bytes("old"));
      await fsl.rename(`${d}/a/y`, `${d}/b/z`);
      expect(text(await fsl.getFile(`${d}/b/z`))).toBe("1");
      expect(await code(fsl.rename(`${d}/a/y`, `${d}/b/q`))).toBe(ErrCode.Notfound);
      expect(await code(fsl.rename(`${d}/a/y`, `${d}/a/q`))).toBe(ErrCode.Notfound);
    });
  });

  describe("whole files", () => {
    it("putFile replaces, setFile writes at an offset or appends, OEXCL refuses", async () => {
      const d = await dir();
      expect(await fsl.putFile(`${d}/f`, 0o777, 0, bytes("hello world"))).toBe(11);
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("bye"));
      expect(text(await fsl.getFile(`${d}/f`))).toBe("bye");
      await fsl.setFile(`${d}/f`, bytes("BY"), Mode.OWRITE, 0);
      expect(text(await fsl.getFile(`${d}/f`))).toBe("BYe");
      await fsl.setFile(`${d}/f`, bytes("!"), Mode.OAPPEND, NoOffset);
      expect(text(await fsl.getFile(`${d}/f`))).toBe("BYe!");
      await fsl.setFile(`${d}/new`, bytes("n"), 0, 0);
      expect(text(await fsl.getFile(`${d}/new`))).toBe("n");
      expect(await code(fsl.putFile(`${d}/f`, 0o777, Mode.OEXCL, bytes("x")))).toBe(ErrCode.Exists);
      expect(await code(fsl.getFile(`${d}/nope`))).toBe(ErrCode.Notfound);
      expect(await code(fsl.getFile(`${d}/`))).toBe(ErrCode.NotFile);
      expect(await code(fsl.putFile(`${d}/no/f`, 0o777, 0, bytes("x")))).toBe(ErrCode.Notfound);
    });

    it("putFileAtomic leaves only the target", async () => {
      const d = await dir();
      await fsl.putFileAtomic(`${d}/f`, 0o777, bytes("v1"));
      await fsl.putFileAtomic(`${d}/f`, 0o777, bytes("v2"));
      expect(text(await fsl.getFile(`${d}/f`))).toBe("v2");
      expect((await fsl.getDir(`${d}/`)).map((s) => s.name)).toEqual(["f"]);
    });

    it("JSON files, appended JSON streams and records", async () => {
      const d = await dir();
      await fsl.putFileJson(`${d}/j`, 0o777, { a: [1, 2] });
      expect(await fsl.getFileJson(`${d}/j`)).toEqual({ a: [1, 2] });
      await fsl.putFileJsonAtomic(`${d}/j`, 0o777, { b: "x" });
      expect(await fsl.getFileJson(`${d}/j`)).toEqual({ b: "x" });
      await fsl.setFileJson(`${d}/s`, { c: 1 });
      expect(await fsl.getFileJson(`${d}/s`)).toEqual({ c: 1 });
      for (let i = 0; i < 5; i++) await fsl.appendFileJson(`${d}/log`, { i });
      const vals: unknown[] = [];
      for await (const v of fsl.jsonReader(`${d}/log`)) vals.push(v);
      expect(vals).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
      const w = await fsl.createWriter(`${d}/recs`, 0o777);
      for (let i = 0; i < 3; i++) await fsl.writeJsonRecord(w, { r: i });
      await w.close();
      const recs: unknown[] = [];
      for await (const r of fsl.recordReader(`${d}/recs`)) recs.push(JSON.parse(text(r)));
      expect(recs).toEqual([{ r: 0 }, { r: 1 }, { r: 2 }]);
      await fsl.putFile(`${d}/bad`, 0o777, 0, bytes("{"));
      expect(await code(fsl.getFileJson(`${d}/bad`))).toBe(ErrCode.Inval);
    });
  });

  describe("directories", () => {
    it("getDir, readDir, dirEntries, present, formatDir", async () => {
      const d = await dir();
      for (const f of ["c", "a", "b"]) await fsl.putFile(`${d}/${f}`, 0o777, 0, bytes(f));
      await fsl.mkDir(`${d}/sub`);
      const all = await fsl.getDir(`${d}/`);
      expect(all.map((s) => s.name)).toEqual(["a", "b", "c", "sub"]);
      expect(fsl.present(all, ["a", "sub"])).toBe(true);
      expect(fsl.present(all, ["a", "zz"])).toBe(false);
      const { entries, fd } = await fsl.readDir(d);
      expect(entries).toHaveLength(4);
      await fsl.close(fd);
      const seen: string[] = [];
      for await (const st of fsl.dirEntries(d)) {
        seen.push(st.name);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(["a", "b"]);
      const dump = await fsl.formatDir(d);
      expect(dump).toMatch(/^a - v\d+ 1$/m);
      expect(dump).toMatch(/^sub d /m);
      expect(await code(fsl.getDir(`${d}/nope`))).toBe(ErrCode.Notfound);
    });

    it("listing a file is NotDir, and leaves no fd open", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("not a listing"));
      const fd = await fsl.open(`${d}/f`, Mode.OREAD);
      await fsl.close(fd);
      expect(await code(fsl.getDir(`${d}/f`))).toBe(ErrCode.NotDir);
      expect(await code(fsl.readDir(`${d}/f`))).toBe(ErrCode.NotDir);
      const entries = fsl.dirEntries(`${d}/f`)[Symbol.asyncIterator]();
      expect(await code(entries.next())).toBe(ErrCode.NotDir);
      // The fd the refused listings opened was closed: the next open gets the same lowest fd.
      const again = await fsl.open(`${d}/f`, Mode.OREAD);
      expect(again).toBe(fd);
      await fsl.close(again);
    });

    it("many entries are listed exactly once across reads", async () => {
      const d = await dir();
      const names = Array.from({ length: 300 }, (_, i) => `f${String(i).padStart(3, "0")}`);
      await Promise.all(names.map((f) => fsl.putFile(`${d}/${f}`, 0o777, 0, bytes(f))));
      const old = fsl.getChunkSize();
      fsl.setChunkSize(1000);
      try {
        expect((await fsl.getDir(d)).map((s) => s.name)).toEqual(names);
      } finally {
        fsl.setChunkSize(old);
      }
    });

    it("copyFile, copyDir, moveFiles, rmDirEntries", async () => {
      const d = await dir();
      await fsl.mkDir(`${d}/src`);
      await fsl.mkDir(`${d}/src/in`);
      await fsl.putFile(`${d}/src/x`, 0o777, 0, bytes("X"));
      await fsl.putFile(`${d}/src/in/y`, 0o777, 0, bytes("Y"));
      await fsl.copyFile(`${d}/src/x`, `${d}/x2`);
      expect(text(await fsl.getFile(`${d}/x2`))).toBe("X");
      await fsl.mkDir(`${d}/dst`);
      await fsl.copyDir(`${d}/src`, `${d}/dst`);
      expect(text(await fsl.getFile(`${d}/dst/in/y`))).toBe("Y");
      await fsl.mkDir(`${d}/moved`);
      expect(await fsl.moveFiles(`${d}/src`, `${d}/moved`)).toBe(2);
      expect(await fsl.getDir(`${d}/src`)).toEqual([]);
      expect(text(await fsl.getFile(`${d}/moved/x`))).toBe("X");
      await fsl.rmDirEntries(`${d}/moved`);
      expect(await fsl.getDir(`${d}/moved`)).toEqual([]);
    });
  });

  describe("readers, writers, streams, pipes", () => {
    it("reader: read, getData, lseek; async reader and writer", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/f`, 0o777, 0, bytes("0123456789"));
      const r = await fsl.openReader(`${d}/f`);
      expect(text(await r.read(4))).toBe("0123");
      r.lseek(8);
      expect(text(await r.getData())).toBe("89");
      expect(await r.read(4)).toHaveLength(0);
      await r.close();
      const ar = await fsl.openAsyncReader(`${d}/f`, 3);
      expect(text(await ar.read(2))).toBe("34");
      expect(text(await ar.read(100))).toBe("56789");
      expect(await ar.read(1)).toHaveLength(0);
      await ar.close();
      const aw = await fsl.createAsyncWriter(`${d}/g`, 0o777);
      await aw.write(bytes("ab"));
      await aw.write(bytes("cd"));
      await aw.close();
      expect(text(await fsl.getFile(`${d}/g`))).toBe("abcd");
      const ow = await fsl.openWriter(`${d}/g`, Mode.OWRITE);
      await ow.write(bytes("X"));
      await ow.close();
      expect(text(await fsl.getFile(`${d}/g`))).toBe("Xbcd");
    });

    memfsOnly(store, "5 MiB file; etcd holds at most 1 MiB per file")(
      "Node streams copy a file larger than MAXGETSET and the read-ahead buffer",
      async () => {
        const d = await dir();
        const size = 5 * 1024 * 1024 + 123;
        const src = new Uint8Array(size).map((_, i) => (i * 7) % 256);
        await pipeline(
          Readable.from([src.subarray(0, 3_000_000), src.subarray(3_000_000)]),
          fsl.createWriteStream(`${d}/big`),
        );
        expect((await fsl.stat(`${d}/big`)).length).toBe(BigInt(size));
        const parts: Uint8Array[] = [];
        await pipeline(
          fsl.createReadStream(`${d}/big`),
          new Writable({
            write(chunk: Uint8Array, _e, cb) {
              parts.push(chunk);
              cb();
            },
          }),
        );
        const got = Buffer.concat(parts);
        expect(got.length).toBe(size);
        expect(Buffer.compare(got, Buffer.from(src))).toBe(0);
        expect((await fsl.getFile(`${d}/big`)).length).toBe(1_000_000);
      },
    );

    memfsOnly(store, "the etcd store refuses named pipes")(
      "a pipe carries bytes from a writer to a reader",
      async () => {
        const d = await dir();
        await fsl.makePipe(`${d}/p`, 0o777);
        const [rfd, wfd] = await Promise.all([
          fsl.open(`${d}/p`, Mode.OREAD),
          fsl.open(`${d}/p`, Mode.OWRITE),
        ]);
        await fsl.write(wfd, bytes("through"));
        expect(text(await fsl.read(rfd, 100))).toBe("through");
        await fsl.close(wfd);
        expect(await code(fsl.read(rfd, 10))).toBe(ErrCode.Closed);
        await fsl.close(rfd);
      },
    );
  });

  describe("deadlines", () => {
    it("a blocked OWATCH create times out, and its late success is removed", async () => {
      const d = await dir();
      await fsl.putFile(`${d}/lock`, (0o777 | Perm.DMTMP) >>> 0, 0, bytes("held"));
      const e = await fsl
        .create(`${d}/lock`, 0o777, Mode.OWRITE | Mode.OWATCH, { timeoutMs: 100 })
        .catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Timeout)).toBe(true);
      // The abandoned create now gets the name, then the library removes it again.
      await fsl.remove(`${d}/lock`);
      for (let i = 0; i < 50; i++) {
        if ((await fsl.getDir(d)).length === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await fsl.getDir(d)).toEqual([]);
    });

    it("an aborted signal fails the call with Aborted", async () => {
      const d = await dir();
      const ac = new AbortController();
      const p = fsl.getFileWatch(`${d}/never`, { signal: ac.signal });
      setTimeout(() => ac.abort(new Error("enough")), 50);
      const e = await p.catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Aborted)).toBe(true);
    });
  });
});
