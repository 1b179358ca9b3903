/**
 * netsrv's connection limits (issue 10): a frame begun and never finished, a connection silent
 * after its hello, and one host opening too many connections each cost memory or sockets held
 * forever; each is closed or refused, with the limit named.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { decodeMessage, encodeMessage } from "../../runtime/net/index.js";
import { tversionMessage } from "../../runtime/net/hello.js";
import { FrameReader } from "../../runtime/wire/frame-reader.js";
import { encodeFrame } from "../../runtime/wire/frame-writer.js";
import type { WireMessage } from "../../runtime/net/types.js";
import { CLIENT, dialEcho, EchoServer, message, RawPeer, SESSION, splitAddr } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(...args: Parameters<typeof EchoServer.start>): Promise<EchoServer> {
  const s = await EchoServer.start(...args);
  cleanups.push(() => s.close());
  return s;
}

function prefix(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Says hello from `localAddress` and resolves with the server's first answer. */
async function helloFrom(addr: string, localAddress: string): Promise<WireMessage> {
  const [host, port] = splitAddr(addr);
  const socket = connect({ host, port, localAddress });
  socket.on("error", () => {});
  cleanups.push(async () => {
    socket.destroy();
  });
  return new Promise((resolve) => {
    const reader = new FrameReader(1 << 20, (p) => resolve(decodeMessage(p)));
    socket.on("data", (c: Buffer) => reader.push(c));
    socket.once("connect", () => {
      socket.write(encodeFrame(encodeMessage(tversionMessage(1 << 20, CLIENT, SESSION, false))));
    });
  });
}

describe("netsrv deadlines and per-peer caps", () => {
  it("closes a connection whose frame is begun and never finished within frameTimeoutMs", async () => {
    const srv = await echoServer({ frameTimeoutMs: 200 });
    const peer = await RawPeer.connect(srv.addr);
    peer.hello();
    await peer.next();
    // 16 bytes of a 1,000-byte frame, then a byte now and then: still never a whole frame.
    peer.write(prefix(1000));
    peer.write(new Uint8Array(16));
    const dribble = setInterval(() => peer.write(new Uint8Array(1)), 20);
    await peer.ended;
    clearInterval(dribble);
    expect(srv.closes).toEqual(["protocol"]);
  });

  it("closes a connection silent for idleTimeoutMs after its hello and keeps a talking one", async () => {
    const srv = await echoServer({ idleTimeoutMs: 200 });
    const silent = await dialEcho(srv.addr);
    const talking = await dialEcho(srv.addr);
    let seq = 0;
    let stop = false;
    const pinger = (async () => {
      while (!stop) {
        talking.conn.send(message(seq++, Uint8Array.of(1)));
        await talking.inbox.next();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    expect(await silent.closedWith).toBe("remote");
    expect(srv.closes).toEqual(["silence"]);
    stop = true;
    await pinger;
    expect(talking.conn.isClosed).toBe(false);
    expect(seq).toBeGreaterThan(1);
    talking.conn.close();
  });

  it("refuses a host's connections past maxConnectionsPerPeer, naming the limit, and no other host's", async () => {
    const srv = await echoServer({ maxConnectionsPerPeer: 2 });
    const a = await dialEcho(srv.addr);
    const b = await dialEcho(srv.addr);
    const refused = await dialEcho(srv.addr).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(SigmaError);
    expect((refused as SigmaError).code).toBe(ErrCode.Retry);
    expect((refused as SigmaError).message).toMatch(
      /maxConnectionsPerPeer \(2 connections open from 127\.0\.0\.1\)/,
    );
    // Another loopback address is another peer.
    expect((await helloFrom(srv.addr, "127.0.0.2")).header.type).toBe(MsgType.Rversion);
    a.conn.close();
    await srv.closedCount(1);
    const c = await dialEcho(srv.addr);
    b.conn.close();
    c.conn.close();
  });
});
