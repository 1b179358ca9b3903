/**
 * Bytes held in unfinished frames are bounded server-wide (issue 10): a connection that
 * announces a 16 MiB frame and sends 1 KiB holds about 1 KiB, and past maxPartialFrameBytes the
 * connections whose frames have waited longest are closed while an honest client keeps working.
 */
import { randomBytes } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { encodeMessage } from "../../runtime/net/index.js";
import { tversionMessage } from "../../runtime/net/hello.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/file-server.js";
import { encodeFrame } from "../../runtime/wire/frame-writer.js";
import { connect } from "../client/server-fixture.js";
import { CLIENT, EchoServer, message, RawPeer, splitAddr } from "./helpers.js";

const KiB = 1024;
const MiB = 1024 * KiB;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function prefix(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

// No event says the server has read bytes it does not answer: wait for its counter instead.
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

/**
 * A raw connection that says hello for its own session and, in the same write, begins a frame
 * announced as `announced` bytes of which it sends `sent`; it never finishes it.
 */
async function hoarder(addr: string, session: bigint, announced: number, sent: number) {
  const [host, port] = splitAddr(addr);
  const socket: Socket = tcpConnect({ host, port });
  socket.on("error", () => {});
  // Replies are read and dropped, so the server's end of the connection is seen.
  socket.resume();
  const state = { closed: false };
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      state.closed = true;
      resolve();
    }),
  );
  cleanups.push(async () => {
    socket.destroy();
  });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const hello = tversionMessage(16 * MiB, CLIENT, session, false, randomBytes(16));
  const first = Buffer.concat([encodeFrame(encodeMessage(hello)), prefix(announced)]);
  socket.write(Buffer.concat([first, new Uint8Array(sent).fill(0x5a)]));
  return { socket, closed, state };
}

async function fileServer(opts: Parameters<typeof startFileServer>[0]): Promise<FileServer> {
  const srv = await startFileServer(opts);
  cleanups.push(() => srv.close());
  return srv;
}

async function fslib(addr: string): Promise<FsLib> {
  const f = await connect(addr);
  cleanups.push(() => f.close());
  return f;
}

describe("unfinished frames under a server-wide budget", () => {
  it("1,000 connections announcing 16 MiB and sending 1 KiB hold about 1 MiB, not 16 GiB", async () => {
    const srv = await fileServer({ host: "127.0.0.1", port: 0, maxSessionsPerPeer: 2000 });
    const before = process.memoryUsage();
    const N = 1000;
    for (let i = 0; i < N; i++) await hoarder(srv.addr, BigInt(i + 1), 16 * MiB, KiB);
    const held = N * (4 + KiB);
    await until(() => srv.sessions.stats().partialFrameBytes === held);
    const after = process.memoryUsage();
    expect(srv.sessions.stats().partialFrameEvictions).toBe(0);
    // Loose: sockets and sessions cost memory too, but nothing near 1,000 × 16 MiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(256 * MiB);
    expect(after.rss - before.rss).toBeLessThan(1024 * MiB);
  });

  it("past maxPartialFrameBytes closes the stalest holders; an honest FsLib keeps working", async () => {
    const srv = await fileServer({ host: "127.0.0.1", port: 0, maxPartialFrameBytes: MiB });
    const honest = await fslib(srv.addr);
    await honest.putFile("name/warm", 0o644, 0, Uint8Array.of(1));
    // 16 hoarders of 100 KiB each: the budget holds 10 of them.
    const hoarders: Awaited<ReturnType<typeof hoarder>>[] = [];
    for (let i = 0; i < 16; i++) {
      const h = await hoarder(srv.addr, BigInt(1000 + i), 16 * MiB, 100 * KiB);
      // Each in turn, so their order of arrival is known: held ones hold 4 + 100 KiB each.
      await until(() => {
        const st = srv.sessions.stats();
        return st.partialFrameBytes === (i + 1 - st.partialFrameEvictions) * (4 + 100 * KiB);
      });
      hoarders.push(h);
    }
    await until(() => srv.sessions.stats().partialFrameEvictions === 6);
    const stats = srv.sessions.stats();
    expect(stats.partialFrameBytes).toBeLessThanOrEqual(MiB);
    // The first six, which waited longest, are the ones closed.
    await Promise.all(hoarders.slice(0, 6).map((h) => h.closed));
    expect(hoarders.slice(6).map((h) => h.socket.destroyed)).toEqual(Array(10).fill(false));

    // The budget is full of stale bytes: small frames still flow, and a 600 KiB one arriving
    // in many chunks pushes the stalest hoarders out, not itself.
    const big = new Uint8Array(600 * KiB).map((_, i) => i & 0xff);
    for (let i = 0; i < 20; i++) {
      await honest.putFile(`name/small-${i}`, 0o644, 0, Uint8Array.of(i));
      expect(await honest.getFile(`name/small-${i}`)).toEqual(Uint8Array.of(i));
    }
    await honest.putFile("name/big", 0o644, 0, big);
    expect(Buffer.compare(await honest.getFile("name/big"), big)).toBe(0);
    const end = srv.sessions.stats();
    expect(end.partialFrameEvictions).toBeGreaterThan(6);
    expect(end.partialFrameBytes).toBeLessThanOrEqual(MiB);
    // Every eviction was a hoarder's: the honest connection was never the one closed.
    await until(() => hoarders.filter((h) => h.state.closed).length === end.partialFrameEvictions);
  });

  it("decodes a frame that arrives slowly in many chunks, and then holds nothing", async () => {
    const srv = await EchoServer.start({});
    cleanups.push(() => srv.close());
    const peer = await RawPeer.connect(srv.addr);
    cleanups.push(async () => {
      peer.socket.destroy();
    });
    peer.hello();
    await peer.next();
    const data = new Uint8Array(256 * KiB).map((_, i) => (i * 7) & 0xff);
    const frame = encodeFrame(encodeMessage(message(1, data)));
    for (let off = 0; off < frame.length; off += KiB) {
      peer.write(frame.subarray(off, off + KiB));
      // A turn of the loop between pieces, so they reach the server as separate chunks.
      await new Promise((r) => setImmediate(r));
    }
    const echoed = await peer.next();
    expect(Buffer.compare(echoed.data, data)).toBe(0);
    expect(srv.server.partialFrames()).toEqual({ bytes: 0, holders: 0, evictions: 0 });
  });
});
