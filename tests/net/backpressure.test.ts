import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { encodeRversion } from "../../generated/sigmap/codec.js";
import { fingerprint } from "../../generated/sigmap/registry.js";
import { MsgType } from "../../generated/sigmap/types.js";
import type { FramedConn } from "../../runtime/net/conn.js";
import { helloHeader } from "../../runtime/net/hello.js";
import { encodeMessage } from "../../runtime/net/index.js";
import { FrameReader } from "../../runtime/wire/frame-reader.js";
import { FrameWriter } from "../../runtime/wire/frame-writer.js";
import { NO_DATA } from "../../runtime/contract/transport.js";
import {
  CLIENT,
  dialEcho,
  EchoServer,
  message,
  RawPeer,
  scriptedServer,
  SESSION,
} from "./helpers.js";

const HIGH_WATER = 256 * 1024;
// Node reads a socket in chunks of up to 64 KiB; requests and echoed replies are the same size.
const CHUNK = 64 * 1024;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `count` framed copies of one request with a 1 KiB data payload, as one buffer. */
function requestBatch(count: number): Uint8Array {
  const w = new FrameWriter();
  const payload = encodeMessage(message(1, new Uint8Array(1024).fill(7)));
  for (let i = 0; i < count; i++) w.append(payload);
  const parts: Uint8Array[] = [];
  w.flush((c) => parts.push(c));
  return Buffer.concat(parts);
}

describe("backpressure", () => {
  it("stops reading from a client that never reads its replies, and keeps serving others", async () => {
    const srv = await EchoServer.start({ writeHighWater: HIGH_WATER });
    cleanups.push(() => srv.close());
    const other = await dialEcho(srv.addr);

    let hostileConn: FramedConn | null = null;
    let hostileEchoed = 0;
    let overMark!: () => void;
    const overMarkSeen = new Promise<void>((r) => (overMark = r));
    srv.afterEcho = (conn) => {
      if (conn === srv.conns[0]) return; // the well-behaved connection
      hostileConn = conn;
      hostileEchoed++;
      if (conn.bufferedBytes > HIGH_WATER) overMark();
    };

    const hostile = await RawPeer.connect(srv.addr, false);
    cleanups.push(async () => {
      hostile.socket.destroy();
      await hostile.ended;
    });
    hostile.hello();
    // 24 MiB of requests: far more replies than loopback socket buffers can absorb.
    const batch = requestBatch(1000);
    for (let i = 0; i < 24; i++) hostile.write(batch);

    await overMarkSeen;
    const echoedWhenBlocked = hostileEchoed;
    for (let i = 0; i < 20; i++) {
      other.conn.send(message(i));
      expect((await other.inbox.next()).header.seqno).toBe(BigInt(i));
    }
    expect(hostileConn!.blocked).toBe(true);
    expect(hostileEchoed).toBe(echoedWhenBlocked);
    expect(hostileEchoed).toBeLessThan(24_000);
    expect(srv.maxBuffered).toBeGreaterThan(HIGH_WATER);
    expect(srv.maxBuffered).toBeLessThanOrEqual(HIGH_WATER + CHUNK + 4096);
    other.conn.close();
  });

  it("resumes reading once the client takes its replies", async () => {
    const srv = await EchoServer.start({ writeHighWater: HIGH_WATER });
    cleanups.push(() => srv.close());
    let overMark!: () => void;
    const overMarkSeen = new Promise<void>((r) => (overMark = r));
    srv.afterEcho = (conn) => {
      if (conn.bufferedBytes > HIGH_WATER) overMark();
    };
    const peer = await RawPeer.connect(srv.addr, false);
    cleanups.push(async () => {
      peer.socket.destroy();
      await peer.ended;
    });
    peer.hello();
    const total = 12_000;
    const batch = requestBatch(1000);
    for (let i = 0; i < total / 1000; i++) peer.write(batch);
    await overMarkSeen;
    expect(srv.echoed).toBeLessThan(total);

    // Now read (and drop) everything: the server must get through every request.
    let frames = 0;
    let done!: () => void;
    const allBack = new Promise<void>((r) => (done = r));
    const reader = new FrameReader(1 << 20, () => {
      if (++frames === total + 1) done();
    });
    peer.socket.on("data", (c: Buffer) => reader.push(c));
    await allBack;
    expect(srv.echoed).toBe(total);
  });

  it("writable() waits while the socket holds more than the mark, and resolves on drain", async () => {
    let serverSocket!: Socket;
    const paused = await scriptedServer(
      {
        header: helloHeader(MsgType.Rversion, CLIENT, SESSION),
        body: encodeRversion({ msize: 1 << 20, version: "sigmap", fingerprint }),
        data: NO_DATA,
      },
      (s) => {
        serverSocket = s;
        s.pause();
      },
    );
    cleanups.push(() => paused.close());
    const { conn } = await dialEcho(paused.addr, { writeHighWater: 64 * 1024 });
    cleanups.push(async () => {
      conn.close();
      await conn.closed;
    });
    const framed = conn as FramedConn;
    await conn.writable();

    // 16 MiB in one turn: more than loopback socket buffers take while the server is paused.
    const data = new Uint8Array(16 * 1024);
    for (let i = 0; i < 1024; i++) conn.send(message(i, data));
    const writable = conn.writable();
    expect(framed.blocked).toBe(true);
    expect(framed.bufferedBytes).toBeGreaterThan(64 * 1024);

    serverSocket.resume();
    await writable;
    expect(framed.blocked).toBe(false);
    expect(framed.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
  });
});
