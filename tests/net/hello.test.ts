import { afterEach, describe, expect, it } from "vitest";
import { fingerprint } from "../../generated/sigmap/registry.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import { rversionMessage, tversionMessage } from "../../runtime/net/hello.js";
import { dial } from "../../runtime/net/index.js";
import { helloHeader } from "../../runtime/net/hello.js";
import { encodeRversion } from "../../generated/sigmap/codec.js";
import { NO_DATA } from "../../runtime/contract/transport.js";
import {
  CLIENT,
  dialEcho,
  EchoServer,
  message,
  RawPeer,
  scriptedServer,
  SESSION,
  silentServer,
} from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(...args: Parameters<typeof EchoServer.start>): Promise<EchoServer> {
  const s = await EchoServer.start(...args);
  cleanups.push(() => s.close());
  return s;
}

async function dialError(
  addr: string,
  opts: Parameters<typeof dialEcho>[1] = {},
): Promise<SigmaError> {
  try {
    const d = await dialEcho(addr, opts);
    d.conn.close();
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error("dial succeeded");
}

describe("hello exchange", () => {
  it("accepts a matching hello and then carries messages both ways", async () => {
    const srv = await echoServer();
    expect(srv.addr).toMatch(/^127\.0\.0\.1:\d+$/);
    const { conn, inbox } = await dialEcho(srv.addr, { resume: true });
    expect(srv.hellos).toEqual([
      {
        msize: 16 * 1024 * 1024,
        version: "sigmap",
        fingerprint,
        client: CLIENT,
        session: SESSION,
        resume: true,
      },
    ]);
    expect(conn.remote).toBe(srv.addr);
    conn.send(message(1, Uint8Array.from([1, 2, 3]), ["hello", 7]));
    const back = await inbox.next();
    expect(back.header).toEqual(message(1).header);
    expect(back.body).toEqual(["hello", 7]);
    expect([...back.data]).toEqual([1, 2, 3]);
    conn.close();
    expect(await conn.closed).toBe("local");
  });

  it("negotiates the smaller maximum frame on both sides", async () => {
    const srv = await echoServer({ maxFrame: 5000 });
    const small = await dialEcho(srv.addr, { maxFrame: 1000 });
    expect(small.conn.maxFrame).toBe(1000);
    expect(srv.conns[0]!.maxFrame).toBe(1000);
    const large = await dialEcho(srv.addr, { maxFrame: 1 << 20 });
    expect(large.conn.maxFrame).toBe(5000);
    expect(srv.conns[1]!.maxFrame).toBe(5000);
    small.conn.close();
    large.conn.close();
  });

  it("closes with frame-too-large rather than send a frame above the negotiated maximum", async () => {
    const srv = await echoServer({ maxFrame: 1000 });
    const { conn, closedWith } = await dialEcho(srv.addr);
    conn.send(message(1, new Uint8Array(2000)));
    expect(await closedWith).toBe("frame-too-large");
    expect(conn.isClosed).toBe(true);
  });

  it("fails with ProtocolMismatch naming the address and both fingerprints", async () => {
    const other = await scriptedServer({
      header: helloHeader(MsgType.Rversion, CLIENT, SESSION),
      body: encodeRversion({ msize: 1 << 20, version: "sigmap", fingerprint: "0000feedbeef0000" }),
      data: NO_DATA,
    });
    cleanups.push(() => other.close());
    const err = await dialError(other.addr);
    expect(err.code).toBe(ErrCode.ProtocolMismatch);
    expect(err.obj).toBe(other.addr);
    expect(err.message).toBe(
      `protocol mismatch: ${other.addr}: client speaks sigmap/${fingerprint}, ` +
        `server speaks sigmap/0000feedbeef0000`,
    );
  });

  it("answers a mismatched hello with its own Rversion and closes", async () => {
    const srv = await echoServer({ maxFrame: 4096 });
    const peer = await RawPeer.connect(srv.addr);
    peer.hello({ fingerprint: "0000feedbeef0000" });
    const reply = await peer.next();
    expect(reply.header.type).toBe(MsgType.Rversion);
    expect(reply.body).toEqual([4096, "sigmap", fingerprint]);
    await peer.ended;
    expect(srv.hellos).toEqual([]);
  });

  it("answers a hello of an older schema, without the appended fields, the same way", async () => {
    const srv = await echoServer({ maxFrame: 4096 });
    const peer = await RawPeer.connect(srv.addr);
    const m = tversionMessage(1 << 20, CLIENT, SESSION, false);
    // The six fields every schema's hello has; the session key came later.
    const body = (m.body as unknown[]).slice(0, 6);
    body[2] = "0000feedbeef0000";
    peer.send({ ...m, body });
    const reply = await peer.next();
    expect(reply.header.type).toBe(MsgType.Rversion);
    expect(reply.body).toEqual([4096, "sigmap", fingerprint]);
    await peer.ended;
    expect(srv.hellos).toEqual([]);
  });

  it("answers a hello naming another protocol the same way", async () => {
    const srv = await echoServer();
    const peer = await RawPeer.connect(srv.addr);
    peer.hello({ version: "9P2000" });
    expect((await peer.next()).header.type).toBe(MsgType.Rversion);
    await peer.ended;
    expect(srv.hellos).toEqual([]);
  });

  it("fails with the error the server refused the hello with", async () => {
    const srv = await echoServer({}, (h) =>
      h.resume
        ? new SigmaError(ErrCode.SessClosed, String(h.session))
        : new SigmaError(ErrCode.Inval, "session in use"),
    );
    const resumed = await dialError(srv.addr, { resume: true });
    expect(isErr(resumed, ErrCode.SessClosed)).toBe(true);
    expect(resumed.obj).toBe(String(SESSION));
    expect(resumed.message).toBe(`session closed: ${SESSION}`);
    const created = await dialError(srv.addr, { resume: false });
    expect(isErr(created, ErrCode.Inval)).toBe(true);
    expect(created.message).toBe("invalid argument: session in use");
    expect(srv.conns).toEqual([]);
  });

  it("fails with Unreachable when nothing listens", async () => {
    const srv = await EchoServer.start();
    const addr = srv.addr;
    await srv.close();
    const err = await dialError(addr);
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.obj).toBe(addr);
    expect(err.message).toContain("ECONNREFUSED");
  });

  it("fails with Unreachable when the server accepts but never answers the hello", async () => {
    const silent = await silentServer();
    cleanups.push(() => silent.close());
    const started = Date.now();
    const err = await dialError(silent.addr, { connectTimeoutMs: 150 });
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.message).toBe(`server unreachable: ${silent.addr}: no hello within 150 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("fails with Unreachable when aborted during the hello", async () => {
    const silent = await silentServer();
    cleanups.push(() => silent.close());
    const ac = new AbortController();
    const pending = dialError(silent.addr, { signal: ac.signal });
    setImmediate(() => ac.abort(new Error("caller gave up")));
    const err = await pending;
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.message).toBe(`server unreachable: ${silent.addr}: aborted`);
    expect(err.cause).toEqual(new Error("caller gave up"));
  });

  it("fails with Unreachable when the server closes during the hello", async () => {
    const closer = await scriptedServer(null);
    cleanups.push(() => closer.close());
    const err = await dialError(closer.addr);
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.message).toMatch(
      new RegExp(
        `^server unreachable: ${closer.addr}: (connection closed during the hello|read ECONNRESET)`,
      ),
    );
  });

  it("rejects a bad address without dialling", async () => {
    const err = await dialError("no-port-here");
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.message).toBe("server unreachable: no-port-here: not a host:port address");
  });
});

describe("server connection rules", () => {
  it("closes a connection whose first frame is not a hello", async () => {
    const srv = await echoServer();
    const peer = await RawPeer.connect(srv.addr);
    peer.send(message(1));
    await peer.ended;
    expect(peer.frames).toEqual([]);
    expect(srv.echoed).toBe(0);
  });

  it("closes a connection whose later frame names another session", async () => {
    const srv = await echoServer();
    const peer = await RawPeer.connect(srv.addr);
    peer.hello();
    expect((await peer.next()).header.type).toBe(MsgType.Rversion);
    const stray = message(1);
    stray.header.session = SESSION + 1n;
    peer.send(stray);
    await peer.ended;
    expect(srv.closes).toEqual(["protocol"]);
    expect(srv.echoed).toBe(0);
  });

  it("closes with frame-too-large on a frame above the negotiated maximum", async () => {
    const srv = await echoServer({ maxFrame: 1000 });
    const peer = await RawPeer.connect(srv.addr);
    peer.hello({ msize: 500 });
    expect((await peer.next()).body).toEqual([500, "sigmap", fingerprint]);
    peer.send(message(1, new Uint8Array(600)));
    await peer.ended;
    expect(srv.closes).toEqual(["frame-too-large"]);
  });

  it("closes a connection that sends no hello in time", async () => {
    const srv = await echoServer({ helloTimeoutMs: 100 });
    const peer = await RawPeer.connect(srv.addr);
    await peer.ended;
    expect(srv.server.connectionCount()).toBe(0);
  });

  it("enforces maxConnections and admits again once one closes", async () => {
    const srv = await echoServer({ maxConnections: 2 });
    const a = await dialEcho(srv.addr);
    const b = await dialEcho(srv.addr);
    // Refused with the limit named, not a bare reset.
    const refused = await dialError(srv.addr);
    expect(refused.code).toBe(ErrCode.Retry);
    expect(refused.message).toMatch(/maxConnections \(2 connections open\)/);
    a.conn.close();
    await srv.closedCount(1);
    const c = await dialEcho(srv.addr);
    expect(srv.server.connectionCount()).toBe(2);
    b.conn.close();
    c.conn.close();
  });

  it("close() stops accepting and closes every connection", async () => {
    const srv = await EchoServer.start();
    const a = await dialEcho(srv.addr);
    const b = await dialEcho(srv.addr);
    await srv.close();
    expect(await a.closedWith).toBe("remote");
    expect(await b.closedWith).toBe("remote");
    expect(srv.closes).toEqual(["server-shutdown", "server-shutdown"]);
    const err = await dialError(srv.addr);
    expect(err.code).toBe(ErrCode.Unreachable);
  });

  it("answers hellos with Rversion naming the hello's client and session", async () => {
    const srv = await echoServer();
    const peer = await RawPeer.connect(srv.addr);
    peer.hello();
    const reply = await peer.next();
    expect(reply).toEqual({
      ...rversionMessage(1 << 20, CLIENT, SESSION),
      data: new Uint8Array(0),
    });
    peer.socket.destroy();
  });

  it("keeps the dial signal's listener only during the hello", async () => {
    const srv = await echoServer();
    const ac = new AbortController();
    const { conn } = await dialEcho(srv.addr, { signal: ac.signal });
    ac.abort();
    expect(conn.isClosed).toBe(false);
    conn.close();
    await expect(
      dial(srv.addr, { client: 1n, session: 2n, resume: false, signal: ac.signal, onMessage() {} }),
    ).rejects.toThrow(/aborted/);
  });
});
