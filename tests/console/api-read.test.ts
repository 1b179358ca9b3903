/** The console's read API against a real named: listings, pages, details, content, errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode, Perm } from "../../generated/sigmap/types.js";
import type {
  DetailsJson,
  DirPage,
  ErrorBody,
  FileJson,
  InfoJson,
} from "../../servers/console/index.js";
import { startMemfsd, type Memfsd } from "../../servers/memfsd/index.js";
import { bytes, STAND_IN, startWorld, type ConsoleWorld } from "./world.js";

let w: ConsoleWorld;
let memfsd: Memfsd;
const CAP = 1024;

beforeAll(async () => {
  w = await startWorld({ viewCapBytes: CAP });
  await w.fsl.mkDir("name/memfsd");
  memfsd = await startMemfsd({ named: w.named.addr, pn: "name/memfsd/m1" });
});
afterAll(async () => {
  await memfsd?.close();
  await w?.close();
});

describe("console read API", () => {
  it("info names named, the principal and the settings", async () => {
    const r = await w.api.get<InfoJson>("/api/info");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      readOnly: false,
      named: [w.named.addr],
      uname: "console",
      auth: { mode: "none", principal: "console", loginPath: "/api/login" },
      viewCapBytes: CAP,
      statsIntervalMs: 2000,
      store: {
        kind: "memfs",
        description: "named's embedded in-memory store: one replica, nothing to elect",
        replicas: null,
      },
    });
  });

  it("lists named's root: the overlay first, then the boot layout in name order", async () => {
    const r = await w.api.get<DirPage>("/api/dir", { path: "name/" });
    expect(r.status).toBe(200);
    expect(r.body.cursor).toBeNull();
    const names = r.body.entries.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual([".statsd", ".fences"]);
    for (const n of ["boot", "tmp", "kpids", "schedd", "memfsd"]) expect(names).toContain(n);
    const tmp = r.body.entries.find((e) => e.name === "tmp");
    expect(tmp).toMatchObject({ path: "name/tmp", kind: "dir", ephemeral: false });
  });

  it("pages a directory exactly: every entry present throughout appears once, in order", async () => {
    const dir = "name/tmp/pages";
    await w.fsl.mkDir(dir);
    const names = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, "0")}`);
    await Promise.all(names.map((n) => w.fsl.putFile(`${dir}/${n}`, 0o777, Mode.OWRITE, bytes(n))));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { path: dir, limit: "10" };
      if (cursor !== null) params["cursor"] = cursor;
      const r = await w.api.get<DirPage>("/api/dir", params);
      expect(r.status).toBe(200);
      seen.push(...r.body.entries.map((e) => e.name));
      cursor = r.body.cursor;
      // A file created behind the listing's position never shows; one ahead of it shows once.
      if (pages === 0) {
        await w.fsl.putFile(`${dir}/a-behind`, 0o777, Mode.OWRITE, bytes("x"));
        await w.fsl.putFile(`${dir}/z-ahead`, 0o777, Mode.OWRITE, bytes("x"));
      }
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names, "z-ahead"]);
  });

  it("resumes an expired listing after a name and refuses an unknown cursor with 410", async () => {
    const r = await w.api.get<DirPage>("/api/dir", { path: "name/tmp/pages", after: "f20" });
    expect(r.body.entries.map((e) => e.name)).toEqual(["f21", "f22", "f23", "f24", "z-ahead"]);
    const gone = await w.api.get<ErrorBody>("/api/dir", { path: "name/tmp/pages", cursor: "nope" });
    expect(gone.status).toBe(410);
    expect(gone.body.error.name).toBe("CursorExpired");
  });

  it("shows a file's details: kind, size, version, owner, mtime, ephemeral flag", async () => {
    await w.fsl.putFile("name/tmp/eph", 0o777 | Perm.DMTMP, Mode.OWRITE, bytes("12345"));
    const before = Math.floor(Date.now() / 1000);
    const r = await w.api.get<DetailsJson>("/api/stat", { path: "name/tmp/eph" });
    expect(r.status).toBe(200);
    const e = r.body.entry;
    expect(e).toMatchObject({
      name: "eph",
      path: "name/tmp/eph",
      kind: "file",
      size: 5,
      ephemeral: true,
    });
    expect(e.owner).toBe("tester");
    expect(e.version).toBe(1);
    expect(Math.abs(e.mtime - before)).toBeLessThanOrEqual(2);
    expect(r.body.symlink).toBeUndefined();
  });

  it("decodes symlinks: a path target, and a server's mount record", async () => {
    await w.fsl.symlink("name/tmp/eph", "name/tmp/link");
    const p = await w.api.get<DetailsJson>("/api/stat", { path: "name/tmp/link" });
    expect(p.body.entry.kind).toBe("symlink");
    expect(p.body.symlink).toEqual({ kind: "path", target: "name/tmp/eph" });
    const m = await w.api.get<DetailsJson>("/api/stat", { path: "name/memfsd/m1" });
    expect(m.body.entry).toMatchObject({ kind: "symlink", ephemeral: true });
    expect(m.body.symlink).toEqual({
      kind: "mount",
      addrs: [{ addr: memfsd.addr, net: "rootrealm" }],
      root: "",
    });
    // The mount's root lists like any directory, through the symlink.
    const root = await w.api.get<DirPage>("/api/dir", { path: "name/memfsd/m1/" });
    expect(root.body.entries.map((e) => e.name)).toEqual([".statsd", ".fences"]);
  });

  it("reads text, JSON and binary files with their version", async () => {
    await w.fsl.putFile("name/tmp/t.txt", 0o777, Mode.OWRITE, bytes("héllo\n"));
    await w.fsl.putFile("name/tmp/j.json", 0o777, Mode.OWRITE, bytes('{"a":[1,2]}'));
    await w.fsl.putFile("name/tmp/b.bin", 0o777, Mode.OWRITE, Uint8Array.of(0, 1, 2, 255));
    const t = await w.api.get<FileJson>("/api/file", { path: "name/tmp/t.txt" });
    expect(t.body).toEqual({
      path: "name/tmp/t.txt",
      version: 1,
      size: 7,
      truncated: false,
      text: true,
      json: false,
      content: "héllo\n",
    });
    const j = await w.api.get<FileJson>("/api/file", { path: "name/tmp/j.json" });
    expect(j.body).toMatchObject({ text: true, json: true, content: '{"a":[1,2]}' });
    const b = await w.api.get<FileJson>("/api/file", { path: "name/tmp/b.bin" });
    expect(b.body).toMatchObject({ text: false, json: false, size: 4, content: "AAEC/w==" });
  });

  it("caps what it shows and downloads the whole file", async () => {
    const big = new Uint8Array(CAP * 3).map((_, i) => 97 + (i % 26));
    await w.fsl.putFile("name/tmp/big.txt", 0o777, Mode.OWRITE, big);
    const r = await w.api.get<FileJson>("/api/file", { path: "name/tmp/big.txt" });
    expect(r.body).toMatchObject({ size: CAP * 3, truncated: true, text: true, json: false });
    expect(r.body.content).toBe(Buffer.from(big.subarray(0, CAP)).toString());
    const d = await fetch(new URL("/api/download?path=name/tmp/big.txt", w.console.url));
    expect(d.status).toBe(200);
    expect(d.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''big.txt");
    expect(new Uint8Array(await d.arrayBuffer())).toEqual(big);
  });

  it("answers errors with the SigmaError's name and a matching status", async () => {
    const nf = await w.api.get<ErrorBody>("/api/stat", { path: "name/tmp/missing" });
    expect(nf.status).toBe(404);
    expect(nf.body.error).toMatchObject({ name: "Notfound", code: 13 });
    const dir = await w.api.get<ErrorBody>("/api/file", { path: "name/tmp" });
    expect(dir.status).toBe(400);
    expect(dir.body.error.name).toBe("NotFile");
    const notDir = await w.api.get<ErrorBody>("/api/dir", { path: "name/tmp/t.txt" });
    expect(notDir.status).toBe(400);
    expect(notDir.body.error.name).toBe("NotDir");
    const noPath = await w.api.get<ErrorBody>("/api/stat");
    expect(noPath.status).toBe(400);
    expect(noPath.body.error).toEqual({
      name: "BadRequest",
      code: 0,
      obj: "",
      message: "missing ?path=",
    });
    const route = await w.api.get<ErrorBody>("/api/nothing");
    expect(route.status).toBe(404);
    const method = await w.api.send<ErrorBody>("POST", "/api/stat", {});
    expect(method.status).toBe(405);
    const limit = await w.api.get<ErrorBody>("/api/dir", { path: "name/", limit: "0" });
    expect(limit.status).toBe(400);
  });

  it("serves the web app from its assets directory, with a policy that allows nothing remote", async () => {
    const r = await fetch(w.console.url);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(STAND_IN);
    expect(r.headers.get("content-security-policy")).toContain("default-src 'self'");
    const traversal = await fetch(new URL("/..%2f..%2fetc%2fpasswd", w.console.url));
    expect(traversal.status).toBe(404);
  });
});
