/**
 * The session server's memory limits (issue 10): reply-table bytes per session and per server,
 * parked requests bounded apart from the queue, and replies fitted to the frame limit. Each limit
 * is hit by a raw session that breaks the client library's habits (never acking, arming
 * thousands of watches) and answers Retry naming the limit, while memory stays bounded.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { encodeRread } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { ENTRY_OVERHEAD_BYTES } from "../../runtime/session/server/reply-table.js";
import { errorReply } from "../../runtime/session/server/server-replies.js";
import type { WireMessage } from "../../runtime/net/types.js";
import type {
  SessionServerOptions,
  SessionServerStats,
} from "../../runtime/session/server/server-types.js";
import { NO_DATA, type RawReply } from "../../runtime/contract/index.js";
import { randomId, type Harness, type HarnessOptions, startHarness } from "./server-harness.js";
import { memoryTransport } from "./server-memory-transport.js";
import { netTransport } from "./server-net-transport.js";
import { errorOf, TestConn } from "./server-test-conn.js";

const MiB = 1024 * 1024;
const big = "x".repeat(MiB);

describe.each([netTransport, memoryTransport])("session server limits ($name)", (transport) => {
  let h: Harness | null = null;
  const start = async (opts: HarnessOptions = {}): Promise<Harness> => {
    h = await startHarness(transport, opts);
    return h;
  };
  afterEach(async () => {
    await h?.server.close();
    h = null;
  });

  it("refuses a session that never acks once its replies hold maxReplyBytesPerSession", async () => {
    const { connect, server } = await start({ maxReplyBytesPerSession: 4 * MiB });
    const c = await connect();
    // Four 1 MiB echoes fill the budget (each is charged a little over 1 MiB with its entry).
    for (let s = 1n; s <= 4n; s++) {
      expect((await c.writeread(s, big)).header.type).toBe(MsgType.Rread);
    }
    const refused = errorOf(await c.writeread(5n, big));
    expect(refused.errCode).toBe(ErrCode.Retry);
    expect(refused.err).toMatch(/maxReplyBytesPerSession \(4194304\)/);
    const held = server.stats().replyBytes;
    expect(held).toBeGreaterThanOrEqual(4 * MiB);
    expect(held).toBeLessThan(4 * MiB + 4 * (ENTRY_OVERHEAD_BYTES + 4096));
    // More refused requests add nothing.
    for (let s = 6n; s <= 20n; s++) expect(errorOf(await c.writeread(s, big)).errCode).toBe(33);
    expect(server.stats().replyBytes).toBe(held);
    // Acking them frees the budget: the next request runs.
    expect((await c.writeread(21n, "ok", { received: [1n, 21n] })).header.type).toBe(MsgType.Rread);
    expect(server.stats().replyBytes).toBeLessThan(4096);
    expect(server.stats().limitRefusals).toBe(16);
  });

  it("bounds reply-table bytes over all sessions with maxReplyBytes", async () => {
    const { connect, server } = await start({ maxReplyBytes: 3 * MiB });
    const a = await connect();
    const b = await connect();
    for (let s = 1n; s <= 2n; s++) await a.writeread(s, big);
    await b.writeread(1n, big);
    const refused = errorOf(await b.writeread(2n, big));
    expect(refused.errCode).toBe(ErrCode.Retry);
    expect(refused.err).toMatch(/maxReplyBytes \(3145728\) bytes .* over all sessions/);
    // a's acks free room for b.
    await a.writeread(3n, "ack", { received: [1n, 3n] });
    expect((await b.writeread(3n, big)).header.type).toBe(MsgType.Rread);
    // A closed session gives its bytes back.
    await h!.server.detach(b.session);
    expect(server.stats().replyBytes).toBeLessThan(4096);
  });

  it("bounds the bytes of a session's queued requests with maxRequestBytesPerSession", async () => {
    const { connect, server, handlers } = await start({ maxRequestBytesPerSession: 3 * MiB });
    const c = await connect();
    const open = handlers.gate(`a${big}`);
    const first = c.writeV(1n, `a${big}`);
    await handlers.when(`start:a${big}`);
    const second = c.writeV(2n, `b${big}`);
    const refused = errorOf(await c.writeV(3n, `c${big}`));
    expect(refused.errCode).toBe(ErrCode.Retry);
    expect(refused.err).toMatch(/maxRequestBytesPerSession \(3145728\)/);
    expect(server.stats().requestBytes).toBeGreaterThan(2 * MiB);
    expect(server.stats().requestBytes).toBeLessThan(2 * MiB + 8192);
    open();
    expect((await first).header.type).toBe(MsgType.Rwrite);
    expect((await second).header.type).toBe(MsgType.Rwrite);
    expect(server.stats().requestBytes).toBe(0);
    expect(handlers.log(c.session)).toHaveLength(2);
  });

  it("parks 10,000 watches on one session without counting them as queued", async () => {
    const { connect, handlers, server } = await start({ maxQueuedPerSession: 64 });
    const c = await connect();
    const N = 10_000;
    const watches: Promise<WireMessage>[] = [];
    // In batches below the queue bound, each batch parked before the next is sent; a watch
    // answered early (refused by a limit) fails the test instead of hanging it.
    for (let i = 0; i < N; i += 50) {
      for (let j = i; j < i + 50; j++) watches.push(c.watch(BigInt(j + 1), j));
      const answered = watches[i + 49]!.then((r) => {
        throw new Error(`watch ${i + 49} answered early: ${JSON.stringify(errorOf(r))}`);
      });
      await Promise.race([handlers.when(`parked:${i + 49}`), answered]);
    }
    expect(server.stats().parked).toBe(N);
    // Ordinary requests still run beside them.
    expect((await c.writeV(BigInt(N + 1), "after")).header.type).toBe(MsgType.Rwrite);
    for (let j = 0; j < N; j++) handlers.fire(j);
    const replies = await Promise.all(watches);
    expect(replies.every((r) => r.header.type === MsgType.Rwatch)).toBe(true);
    expect(server.stats().parked).toBe(0);
  });

  it("refuses blocking requests past maxParkedPerSession and maxParked with Retry", async () => {
    const { connect, handlers } = await start({ maxParkedPerSession: 2, maxParked: 3 });
    const a = await connect();
    const b = await connect();
    const first = a.watch(1n, 1);
    void a.watch(2n, 2);
    await handlers.when("parked:2");
    const perSession = errorOf(await a.watch(3n, 3));
    expect(perSession.errCode).toBe(ErrCode.Retry);
    expect(perSession.err).toMatch(/maxParkedPerSession \(2\)/);
    // Every request that may park is refused while the session is at its bound; others run.
    expect(errorOf(await a.writeV(4n, "x")).err).toMatch(/maxParkedPerSession/);
    expect((await a.clunk(6n)).header.type).toBe(MsgType.Rclunk);
    void b.watch(1n, 11);
    await handlers.when("parked:11");
    const total = errorOf(await b.watch(2n, 12));
    expect(total.errCode).toBe(ErrCode.Retry);
    expect(total.err).toMatch(/maxParked \(3\) requests parked over all sessions/);
    handlers.fire(1);
    expect((await first).header.type).toBe(MsgType.Rwatch);
    void a.watch(5n, 5);
    await handlers.when("parked:5");
  });
});

describe("replies a custom dispatcher builds", () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  let stats: (() => SessionServerStats) | null = null;
  async function serve(
    reply: RawReply,
    maxFrame: number,
    opts: Partial<SessionServerOptions> = {},
  ): Promise<TestConn> {
    const { server, dial } = await memoryTransport.start({
      ...opts,
      maxFrame,
      dispatch: () => Promise.resolve(reply),
    });
    close = () => server.close();
    stats = () => server.stats();
    const c = new TestConn(randomId(), randomId(), new Uint8Array(randomBytes(16)));
    await dial(c, false);
    return c;
  }

  it("keeps a pipelined burst that never acks within one reply of the byte budget", async () => {
    const data = new Uint8Array(MiB);
    const c = await serve(
      { type: MsgType.Rread, body: encodeRread({ data: NO_DATA }), data },
      4 * MiB,
      {
        maxReplyBytesPerSession: 4 * MiB,
      },
    );
    // Twenty requests with 1 MiB replies sent at once: all arrive before any reply exists. They
    // run one at a time, and each checks the budget as it starts.
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => c.clunk(BigInt(i + 1))));
    const ran = replies.filter((r) => r.header.type === MsgType.Rread).length;
    const refused = replies.filter((r) => r.header.type === MsgType.Rerror);
    expect(ran).toBe(4);
    expect(refused).toHaveLength(16);
    expect(errorOf(refused[0]!).err).toMatch(/maxReplyBytesPerSession/);
    expect(stats!().replyBytes).toBeLessThan(5 * MiB);
  });

  it("replaces a reply over maxFrame with a Badcount error naming the limit", async () => {
    const data = new Uint8Array(2 * MiB);
    const c = await serve({ type: MsgType.Rread, body: encodeRread({ data }), data }, MiB);
    const e = errorOf(await c.clunk(1n));
    expect(e.errCode).toBe(ErrCode.Badcount);
    expect(e.obj).toBe("maxFrame");
    expect(e.err).toMatch(/Tclunk reply of \d+ bytes exceeds maxFrame \(1048576\)/);
    // The stored reply is the one that fits: a resend gets the same.
    expect(errorOf(await c.clunk(1n)).errCode).toBe(ErrCode.Badcount);
  });

  it("cuts the name and text an error echoes, keeping its code", async () => {
    const name = "n".repeat(3 * MiB);
    const c = await serve(
      errorReply(MsgType.Rerror, ErrCode.Notfound, name, `${name} not found`),
      4 * MiB,
    );
    const e = errorOf(await c.clunk(1n));
    expect(e.errCode).toBe(ErrCode.Notfound);
    expect(e.obj.startsWith("nnnn")).toBe(true);
    expect(e.obj).toMatch(/… \(\d+ more characters\)$/);
    expect(e.obj.length).toBeLessThan(2048);
    expect(e.err.length).toBeLessThan(2048);
  });

  it("leaves a reply that fits alone", async () => {
    const data = new Uint8Array(64 * 1024);
    const c = await serve({ type: MsgType.Rread, body: encodeRread({ data: NO_DATA }), data }, MiB);
    const r = await c.clunk(1n);
    expect(r.header.type).toBe(MsgType.Rread);
    expect(r.data.length).toBe(64 * 1024);
  });
});
