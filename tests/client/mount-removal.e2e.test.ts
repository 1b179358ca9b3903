/**
 * Mounts learned from records follow the records (spec 6.4): the client that removes or renames
 * a mount symlink drops its own mount at once; other clients drop theirs when a walk through it
 * fails because its session closed and the record changed (the server re-registered elsewhere or
 * is gone), and keep it (SessClosed, reopenSession) while the record still names the same server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, type Tmount } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { bytes, connect, startTestServer, type TestServer, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let named: Named;
let a: FsLib;
let n = 0;

const mountOf = (addr: string): Tmount => ({
  addr: [{ addr, net: "rootrealm" }],
  root: "",
  pubKey: new Uint8Array(0),
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** A fresh directory in named. */
async function dir(): Promise<string> {
  const d = `name/mr${n++}`;
  await a.mkDir(d);
  return d;
}

/** A memfs server holding `hello` = `content`. */
async function serverWith(content: string): Promise<TestServer> {
  const srv = await startTestServer();
  const c = await connect(srv.addr);
  try {
    await c.mountTree([srv.addr], "", "s");
    await c.putFile("s/hello", 0o777, 0, bytes(content));
  } finally {
    await c.exit();
  }
  return srv;
}

/** The session `fsl` holds on `srv`, found by opening it. */
async function sessionOn(srv: TestServer, learn: () => Promise<unknown>): Promise<bigint> {
  const before = new Set(srv.sessions());
  await learn();
  const mine = srv.sessions().filter((s) => !before.has(s));
  expect(mine).toHaveLength(1);
  return mine[0] as bigint;
}

/** Resolves once `fsl`'s session to `addr` has closed (earlier closures count too). */
async function closedSession(fsl: FsLib, addr: string): Promise<void> {
  for await (const ev of fsl.sessionEvents()) if (ev.addrs.includes(addr)) return;
  throw new Error(`no closed event for ${addr}`);
}

forEachStore((store) => {
  beforeAll(async () => {
    named = await store.startNamed();
    a = await connect(named.addr);
  });
  afterAll(async () => {
    await a?.exit();
    await named?.close();
  });

  describe("the client that removes or renames a mount symlink", () => {
    it("stops following a removed mount symlink (named's own record)", async () => {
      const d = await dir();
      await a.mkMountSymlink(`${d}/f`, a.namedMount());
      expect((await a.getDir(`${d}/f/`)).map((s) => s.name)).toContain(d.split("/")[1]);
      expect(a.mounts()).toContain(`${d}/f`);
      await a.remove(`${d}/f`);
      expect(a.mounts()).not.toContain(`${d}/f`);
      expect(isErr(await failure(a.stat(`${d}/f`)), ErrCode.Notfound)).toBe(true);
      expect(isErr(await failure(a.getDir(`${d}/f/`)), ErrCode.Notfound)).toBe(true);
    });

    it("drops mounts below a renamed directory and at both names of a renamed symlink", async () => {
      const d = await dir();
      const srv = await serverWith("x");
      try {
        await a.mkDir(`${d}/sub`);
        await a.mkMountSymlink(`${d}/sub/m`, mountOf(srv.addr));
        await a.mkMountSymlink(`${d}/m2`, mountOf(srv.addr));
        expect(text(await a.getFile(`${d}/sub/m/hello`))).toBe("x");
        expect(text(await a.getFile(`${d}/m2/hello`))).toBe("x");

        await a.rename(`${d}/sub`, `${d}/moved`);
        expect(a.mounts()).not.toContain(`${d}/sub/m`);
        expect(isErr(await failure(a.getFile(`${d}/sub/m/hello`)), ErrCode.Notfound)).toBe(true);
        expect(text(await a.getFile(`${d}/moved/m/hello`))).toBe("x");

        // Renamed onto an existing mount symlink: the old mount at the target is stale too.
        await a.rename(`${d}/moved/m`, `${d}/m2`);
        expect(a.mounts()).not.toContain(`${d}/moved/m`);
        expect(a.mounts()).not.toContain(`${d}/m2`);
        expect(text(await a.getFile(`${d}/m2/hello`))).toBe("x");
      } finally {
        await srv.close();
      }
    });

    it("re-registering a service at the same path (putFileAtomic's rename) is followed at once", async () => {
      const d = await dir();
      const [one, two] = await Promise.all([serverWith("one"), serverWith("two")]);
      try {
        await a.mountService(`${d}/svc`, mountOf(one.addr));
        expect(text(await a.getFile(`${d}/svc/hello`))).toBe("one");
        await a.mountService(`${d}/svc`, mountOf(two.addr));
        expect(text(await a.getFile(`${d}/svc/hello`))).toBe("two");
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });

    it("keeps mounts the application made, and union mounts picked from other entries", async () => {
      const d = await dir();
      const srv = await serverWith("u");
      try {
        // A file in named that the application's own mount shadows.
        await a.putFile(`${d}/own`, 0o777, 0, bytes("shadowed"));
        await a.mountTree([srv.addr], "", `${d}/own`);
        await a.mkDir(`${d}/u`);
        await a.mountServiceUnion(`${d}/u`, mountOf(srv.addr), "s1");
        await a.putFile(`${d}/u/other`, 0o777, 0, bytes("not a record"));
        expect(text(await a.getFile(`${d}/u/~any/hello`))).toBe("u");
        await a.remove(`${d}/own`);
        await a.remove(`${d}/u/other`);
        expect(a.mounts()).toEqual(expect.arrayContaining([`${d}/own`, `${d}/u/~any`]));
        // Removing the entry the union picked drops the union mount.
        await a.remove(`${d}/u/s1`);
        expect(a.mounts()).not.toContain(`${d}/u/~any`);
        const e = await failure(a.getFile(`${d}/u/~any/hello`));
        expect(isErr(e, ErrCode.Notfound)).toBe(true);
        expect((e as { obj: string }).obj).toBe("~any");
      } finally {
        await srv.close();
      }
    });
  });

  describe("another client with the mount cached", () => {
    it("follows a service that re-registered elsewhere once its old session is closed", async () => {
      const d = await dir();
      const [one, two] = await Promise.all([serverWith("one"), serverWith("two")]);
      const b = await connect(named.addr);
      try {
        await a.mountService(`${d}/svc`, mountOf(one.addr));
        const sid = await sessionOn(one, async () => {
          expect(text(await b.getFile(`${d}/svc/hello`))).toBe("one");
        });
        await a.mountService(`${d}/svc`, mountOf(two.addr));
        // While its session lives, b's mount serves the old server: a cache, as in SigmaOS.
        expect(text(await b.getFile(`${d}/svc/hello`))).toBe("one");
        await one.detach(sid);
        await closedSession(b, one.addr);
        // The next call meets the closed session; it walks again, re-reads the record and follows
        // it to the new server.
        expect(text(await b.getFile(`${d}/svc/hello`))).toBe("two");
        expect(b.lastMount(`${d}/svc/hello`).mount.addr[0]?.addr).toBe(two.addr);
      } finally {
        await b.exit();
        await Promise.all([one.close(), two.close()]);
      }
    });

    it("answers Notfound once the record is gone and its server went away", async () => {
      const d = await dir();
      const srv = await serverWith("gone");
      // b gives up on the dead server after its reconnect window (2 s at the default timeout).
      const b = await connect(named.addr);
      try {
        await a.mountService(`${d}/svc`, mountOf(srv.addr));
        expect(text(await b.getFile(`${d}/svc/hello`))).toBe("gone");
        await a.remove(`${d}/svc`);
        await srv.close();
        // The call in flight when the session closes fails with it (outcome unknown) ...
        const first = await failure(b.getFile(`${d}/svc/hello`));
        expect(isErr(first, ErrCode.SessClosed)).toBe(true);
        // ... the next one walks, finds the record gone and drops the mount.
        expect(isErr(await failure(b.getFile(`${d}/svc/hello`)), ErrCode.Notfound)).toBe(true);
        expect(b.mounts()).not.toContain(`${d}/svc`);
        expect(isErr(await failure(b.stat(`${d}/svc/`)), ErrCode.Notfound)).toBe(true);
      } finally {
        await b.exit();
      }
    });

    it("keeps the mount while the record names the same server: SessClosed until reopenSession", async () => {
      const d = await dir();
      const srv = await serverWith("same");
      const b = await connect(named.addr);
      try {
        await a.mountService(`${d}/svc`, mountOf(srv.addr));
        const sid = await sessionOn(srv, async () => {
          expect(text(await b.getFile(`${d}/svc/hello`))).toBe("same");
        });
        await srv.detach(sid);
        for (let i = 0; i < 2; i++) {
          expect(isErr(await failure(b.getFile(`${d}/svc/hello`)), ErrCode.SessClosed)).toBe(true);
        }
        expect(b.mounts()).toContain(`${d}/svc`);
        await b.reopenSession(`${d}/svc/`);
        expect(text(await b.getFile(`${d}/svc/hello`))).toBe("same");
      } finally {
        await b.exit();
        await srv.close();
      }
    });
  });
});
