import { afterEach, describe, expect, it } from "vitest";
import { encodeMessage } from "../../runtime/net/index.js";
import { tversionMessage } from "../../runtime/net/hello.js";
import { encodeFrame } from "../../runtime/wire/frame-writer.js";
import { CLIENT, dialEcho, EchoServer, message, RawPeer, SESSION } from "./helpers.js";

const MAX_FRAME = 64 * 1024;
const CONNECTIONS = 1000;
const FRAMES_PER_CONNECTION = 100;
const WAVE = 50;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** mulberry32: a small seeded PRNG, so that a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rand: () => number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (rand() * 256) | 0;
  return b;
}

// Where the header of a `message()` payload ends: [array marker, header..., body, data].
const HEADER_END = encodeMessage(message(0, new Uint8Array(0), null)).length - 3;

/** A copy of `payload` with 1 to 4 bytes at or after `from` replaced at random. */
function mutate(rand: () => number, payload: Uint8Array, from: number): Uint8Array {
  const out = Uint8Array.from(payload);
  const flips = 1 + ((rand() * 4) | 0);
  for (let i = 0; i < flips; i++)
    out[from + ((rand() * (out.length - from)) | 0)] = (rand() * 256) | 0;
  return out;
}

function prefix(length: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length >>> 0, 0);
  return b;
}

/** What one hostile connection sends, in one write; `frames` counts the frames in it. */
function hostileStream(rand: () => number, index: number): { bytes: Uint8Array } {
  const parts: Uint8Array[] = [];
  // Most connections introduce themselves properly so that their later frames get parsed.
  const opening = rand();
  if (opening < 0.8)
    parts.push(encodeFrame(encodeMessage(tversionMessage(MAX_FRAME, CLIENT, SESSION, false))));
  else if (opening < 0.9) parts.push(encodeFrame(randomBytes(rand, 1 + ((rand() * 100) | 0))));

  // Some connections send a bad length right away; what follows is never parsed.
  const early = rand();
  if (early < 0.05) parts.push(prefix(0xffff_ffff));
  else if (early < 0.1) parts.push(prefix(MAX_FRAME + 1));
  else if (early < 0.15) parts.push(prefix(0));

  let frames = 0;
  for (; frames < FRAMES_PER_CONNECTION; frames++) {
    const seqno = index * FRAMES_PER_CONNECTION + frames;
    const body = Array.from({ length: (rand() * 4) | 0 }, () =>
      rand() < 0.5 ? (rand() * 1e6) | 0 : "s",
    );
    const data = randomBytes(rand, (rand() * 64) | 0);
    const valid = encodeMessage(message(seqno, data, body));
    const kind = rand();
    if (kind < 0.45) {
      parts.push(encodeFrame(valid));
    } else if (kind < 0.85) {
      // Mutations inside the data payload: still well-formed, echoed as they are.
      parts.push(encodeFrame(mutate(rand, valid, valid.length - Math.max(1, data.length))));
    } else if (kind < 0.985) {
      // Mutations after the header: the server must parse them, and often echoes them.
      parts.push(encodeFrame(mutate(rand, valid, HEADER_END)));
    } else if (kind < 0.99) {
      parts.push(encodeFrame(mutate(rand, valid, 0)));
    } else if (kind < 0.997) {
      parts.push(encodeFrame(randomBytes(rand, 1 + ((rand() * 300) | 0))));
    } else {
      // A length that lies about what follows: the stream desynchronises from here.
      parts.push(prefix(1 + ((rand() * 2000) | 0)), valid);
    }
  }
  const ending = rand();
  if (ending < 0.1) parts.push(prefix(0xffff_ffff));
  else if (ending < 0.2) parts.push(prefix(MAX_FRAME + 1));
  else if (ending < 0.3) parts.push(prefix(0));
  else if (ending < 0.5) parts.push(prefix(1000), randomBytes(rand, 10)); // half-written
  return { bytes: Buffer.concat(parts) };
}

describe("hostile input against a live server", () => {
  it("survives 100,000 random, mutated, oversized and half-written frames, serving a good client throughout", async () => {
    const srv = await EchoServer.start({ maxFrame: MAX_FRAME, helloTimeoutMs: 2000 });
    cleanups.push(() => srv.close());

    // The well-behaved client, connected first, pings for the whole test.
    const good = await dialEcho(srv.addr);
    let answers = 0;
    let stop = false;
    const answerWaiters: (() => void)[] = [];
    const nextAnswer = (): Promise<void> => new Promise((r) => answerWaiters.push(r));
    const pinger = (async () => {
      for (let seq = 0; !stop; seq++) {
        good.conn.send(message(seq, Uint8Array.of(seq & 0xff)));
        const reply = await good.inbox.next();
        expect(reply.header.seqno).toBe(BigInt(seq));
        expect([...reply.data]).toEqual([seq & 0xff]);
        answers++;
        for (const w of answerWaiters.splice(0)) w();
      }
    })();

    const rand = prng(20240601);
    const heapBefore = process.memoryUsage().heapUsed;
    let maxHeapGrowth = 0;
    for (let wave = 0; wave < CONNECTIONS / WAVE; wave++) {
      const answersBefore = answers;
      const peers = await Promise.all(
        Array.from({ length: WAVE }, () => RawPeer.connect(srv.addr, false)),
      );
      for (const [i, peer] of peers.entries()) {
        const { bytes } = hostileStream(rand, wave * WAVE + i);
        // Replies are read and dropped, so echoes never stall on backpressure.
        peer.socket.resume();
        peer.socket.end(bytes);
      }
      // A few peers just vanish mid-connection.
      peers[0]!.socket.destroy();
      await Promise.all(peers.map((p) => p.ended));
      // The good client keeps getting answers after every wave.
      if (answers === answersBefore) await nextAnswer();
      expect(answers).toBeGreaterThan(answersBefore);
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
    }

    // What the server saw, not what the test sent: about 80% of the streams open with a good
    // hello, and each of those the server parsed and accepted (the good client's is the +1).
    expect(srv.hellos.length - 1).toBeGreaterThan(CONNECTIONS * 0.7);
    expect(maxHeapGrowth).toBeLessThan(64 * 1024 * 1024);
    // Many hostile frames were parsed and echoed, and connections ended for both kinds of reason.
    expect(srv.echoed - answers).toBeGreaterThan(5000);
    expect(srv.closes.filter((r) => r === "protocol").length).toBeGreaterThan(500);
    expect(srv.closes.filter((r) => r === "frame-too-large").length).toBeGreaterThan(40);
    // Every hostile connection is gone; only the good one remains, still answering.
    expect(srv.server.connectionCount()).toBe(1);
    const answersAtEnd = answers;
    await nextAnswer();
    expect(answers).toBe(answersAtEnd + 1);
    stop = true;
    await pinger;
    expect(good.conn.isClosed).toBe(false);
    good.conn.close();
  });
});
