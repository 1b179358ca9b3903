import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { bytes, connect, startTestServer, type TestServer, text } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

let named: Named;
let other: TestServer;
let observer: FsLib;
const TMP = (0o777 | Perm.DMTMP) >>> 0;

forEachStore((store) => {
  beforeAll(async () => {
    [named, other] = await Promise.all([store.startNamed(), startTestServer()]);
    observer = await connect(named.addr);
    await observer.mkDir("name/eph");
  });
  afterAll(async () => {
    await observer?.exit();
    await Promise.all([named?.close(), other?.close()]);
  });

  async function firstEvent(fsl: FsLib): Promise<SessionClosedEvent> {
    for await (const ev of fsl.sessionEvents()) return ev;
    throw new Error("no event");
  }

  describe("sessions", () => {
    it("ephemeral files vanish when their client exits; exit fails later calls with SessClosed", async () => {
      const c = await connect(named.addr);
      await c.putFile("name/eph/a", TMP, 0, bytes("a"));
      const fd = await c.create("name/eph/b", TMP, Mode.OWRITE);
      await c.putFile("name/eph/keep", 0o777, 0, bytes("k"));
      expect((await observer.getDir("name/eph")).map((s) => s.name)).toEqual(["a", "b", "keep"]);
      await c.exit();
      expect((await observer.getDir("name/eph")).map((s) => s.name)).toEqual(["keep"]);
      const ev = await firstEvent(c);
      expect(ev).toMatchObject({ kind: "closed", reason: "detached", addrs: [named.addr] });
      for (const p of [c.getFile("name/eph/keep"), c.write(fd, bytes("x")), c.stat("name/x")]) {
        const e = await p.catch((err: unknown) => err);
        expect(isErr(e, ErrCode.SessClosed)).toBe(true);
      }
    });

    it("disconnect closes one server's session: its fds fail SessClosed, its paths Unreachable", async () => {
      const c = await connect(named.addr);
      try {
        await c.mountTree([other.addr], "", "o");
        await c.putFile("o/f", 0o777, 0, bytes("f"));
        const fd = await c.open("o/f", Mode.OREAD);
        const events = c.sessionEvents()[Symbol.asyncIterator]();
        await c.disconnect("o");
        const ev = await events.next();
        expect(ev.value).toMatchObject({ reason: "local", addrs: [other.addr] });
        expect(isErr(await c.read(fd, 1).catch((e: unknown) => e), ErrCode.SessClosed)).toBe(true);
        expect(isErr(await c.close(fd).catch((e: unknown) => e), ErrCode.SessClosed)).toBe(true);
        const e = await c.getFile("o/f").catch((err: unknown) => err);
        expect(isErr(e, ErrCode.Unreachable)).toBe(true);
        // named's session is unaffected.
        expect(await c.isDir("name/eph")).toBe(true);
      } finally {
        await c.exit();
      }
    });

    it("a session the server closed fails calls with SessClosed until reopenSession", async () => {
      const c = await connect(named.addr);
      try {
        const before = new Set(other.sessions());
        await c.mountTree([other.addr], "", "o");
        await c.putFile("o/eph", TMP, 0, bytes("e"));
        await c.putFile("o/r", 0o777, 0, bytes("r"));
        const fd = await c.open("o/r", Mode.OREAD);
        const mine = other.sessions().filter((s) => !before.has(s));
        expect(mine).toHaveLength(1);
        await other.detach(mine[0]!);
        // The client learns on its next call; the mount stays, so the error is SessClosed.
        for (let i = 0; i < 2; i++) {
          const e = await c.getFile("o/r").catch((err: unknown) => err);
          expect(isErr(e, ErrCode.SessClosed)).toBe(true);
        }
        const ev = await firstEvent(c);
        expect(ev).toMatchObject({ reason: "closed-by-server", addrs: [other.addr] });
        expect(isErr(await c.read(fd, 1).catch((e: unknown) => e), ErrCode.SessClosed)).toBe(true);
        await c.reopenSession("o/r");
        expect(text(await c.getFile("o/r"))).toBe("r");
        expect(isErr(await c.getFile("o/eph").catch((e: unknown) => e), ErrCode.Notfound)).toBe(
          true,
        );
        // The old fd stays dead: its session is gone for good.
        expect(isErr(await c.read(fd, 1).catch((e: unknown) => e), ErrCode.SessClosed)).toBe(true);
        expect(other.sessions().filter((s) => !before.has(s) && s !== mine[0])).toHaveLength(1);
      } finally {
        await c.exit();
      }
    });

    it("fenced writes with an older epoch are Stale; unfenced paths are unaffected", async () => {
      const a = await connect(named.addr);
      const b = await connect(named.addr);
      try {
        await a.mkDir("name/fenced");
        await a.putFile("name/fenced/f", 0o777, 0, bytes("0"));
        const fence = (epoch: bigint) => ({ fenceid: { path: 77n, serverid: 0n }, epoch });
        a.fenceDir("name/fenced", fence(1n));
        b.fenceDir("name/fenced", fence(2n));
        await a.putFile("name/fenced/f", 0o777, 0, bytes("a"));
        await b.putFile("name/fenced/f", 0o777, 0, bytes("b"));
        const e = await a
          .putFile("name/fenced/f", 0o777, 0, bytes("late"))
          .catch((err: unknown) => err);
        expect(isErr(e, ErrCode.Stale)).toBe(true);
        expect(text(await b.getFile("name/fenced/f"))).toBe("b");
        await a.putFile("name/unfenced", 0o777, 0, bytes("ok"));
      } finally {
        await a.exit();
        await b.exit();
      }
    });
  });

  describe("connect", () => {
    it("no named answering fails connect with Unreachable", async () => {
      const e = await connect("127.0.0.1:1").catch((err: unknown) => err);
      expect(isErr(e, ErrCode.Unreachable)).toBe(true);
    });
  });
});
