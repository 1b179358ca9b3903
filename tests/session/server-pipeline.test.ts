/**
 * sesssrv's request pipeline (spec 3.5-3.7): exactly-once through the reply table, acks, the
 * per-session scheduler, parked and unordered requests, keepalives, limits and bad input.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { type Harness, type HarnessOptions, startHarness } from "./server-harness.js";
import { memoryTransport } from "./server-memory-transport.js";
import { netTransport } from "./server-net-transport.js";
import { countOf, errorOf, heartbeatSids } from "./server-test-conn.js";

describe.each([netTransport, memoryTransport])("session server pipeline ($name)", (transport) => {
  let h: Harness | null = null;
  const start = async (opts: HarnessOptions = {}): Promise<Harness> => {
    h = await startHarness(transport, opts);
    return h;
  };
  afterEach(async () => {
    await h?.server.close();
    h = null;
  });

  it("answers a resent seqno with the stored reply without running it again", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const first = await c.writeV(1n, "a");
    const again = await c.writeV(1n, "a");
    expect(countOf(first)).toBe(1);
    expect(again.header.type).toBe(MsgType.Rwrite);
    expect(again.body).toEqual(first.body);
    expect(handlers.log(c.session)).toEqual(["a"]);
  });

  it("makes a resend that arrives while the request runs wait for its reply", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const open = handlers.gate("slow");
    const first = c.writeV(1n, "slow");
    await handlers.when("start:slow");
    const resend = c.writeV(1n, "slow");
    open();
    expect(countOf(await first)).toBe(1);
    expect(countOf(await resend)).toBe(1);
    expect(handlers.log(c.session)).toEqual(["slow"]);
  });

  it("forgets acknowledged replies, keeps the others, and refuses a replay after its ack", async () => {
    const { connect, handlers, server } = await start();
    const c = await connect();
    for (const [i, t] of ["a", "b", "c"].entries()) countOf(await c.writeV(BigInt(i + 1), t));
    // Acks [1,3): replies 1 and 2 are gone; 3 is kept and answered again.
    expect(countOf(await c.writeV(4n, "d", { received: [1n, 3n] }))).toBe(4);
    expect(countOf(await c.writeV(3n, "c"))).toBe(3);
    // A (broken or hostile) replay of 1 after its ack must not run a second time.
    const replay = errorOf(await c.writeV(1n, "a"));
    expect(replay.errCode).toBe(ErrCode.BadFcall);
    expect(replay.err).toMatch(/seqno 1 refused: its reply was already acknowledged/);
    expect(handlers.log(c.session)).toEqual(["a", "b", "c", "d"]);
    expect(server.stats()).toMatchObject({ duplicatesSuppressed: 1, replaysRefused: 1 });
  });

  it("starts a session's requests one at a time in arrival order", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const open = handlers.gate("first");
    const first = c.writeV(1n, "first");
    const second = c.writeV(2n, "second");
    await handlers.when("start:first");
    // A keepalive round trip proves the server has read request 2 by now.
    await c.heartbeat(3n);
    expect(c.repliesFor(2n)).toBe(0);
    expect(handlers.log(c.session)).toEqual([]);
    open();
    expect(countOf(await second)).toBe(2);
    expect(countOf(await first)).toBe(1);
    expect(handlers.log(c.session)).toEqual(["first", "second"]);
  });

  it("lets later requests overtake a parked blocking request", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const watch = c.watch(1n, 7);
    await handlers.when("parked:7");
    expect(countOf(await c.writeV(2n, "a"))).toBe(1);
    expect(countOf(await c.writeV(3n, "b"))).toBe(2);
    expect(c.repliesFor(1n)).toBe(0);
    handlers.fire(7);
    expect((await watch).header.type).toBe(MsgType.Rwatch);
  });

  it("runs an unordered request at once, past a running one", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const open = handlers.gate("slow");
    const slow = c.writeV(1n, "slow");
    await handlers.when("start:slow");
    const rpc = await c.writeread(2n, "rpc");
    expect(rpc.header.type).toBe(MsgType.Rread);
    expect(Buffer.from(rpc.data).toString()).toBe("rpc");
    expect(c.repliesFor(1n)).toBe(0);
    // Exactly once holds for unordered requests too.
    await c.writeread(2n, "rpc");
    expect(handlers.writereads.get(c.session)).toBe(1);
    open();
    expect(countOf(await slow)).toBe(1);
  });

  it("answers a keepalive at once while a request runs", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const open = handlers.gate("slow");
    const slow = c.writeV(1n, "slow");
    await handlers.when("start:slow");
    const hb = await c.heartbeat(2n);
    expect(hb.header.type).toBe(MsgType.Rheartbeat);
    expect(heartbeatSids(hb)).toEqual(new Map([[c.session, true]]));
    expect(c.repliesFor(1n)).toBe(0);
    open();
    await slow;
  });

  it("passes the request's fence to the handler", async () => {
    const { connect, handlers } = await start();
    const c = await connect();
    const fence = { fenceid: { path: 42n, serverid: 0n }, epoch: 7n };
    countOf(await c.writeV(1n, "a", { fence }));
    expect(handlers.lastFence).toEqual(fence);
  });

  it("refuses requests beyond maxQueuedPerSession with a clear Retry", async () => {
    const { connect, handlers } = await start({ maxQueuedPerSession: 2 });
    const c = await connect();
    const open = handlers.gate("a");
    const a = c.writeV(1n, "a");
    const b = c.writeV(2n, "b");
    const refused = errorOf(await c.writeV(3n, "c"));
    expect(refused.errCode).toBe(ErrCode.Retry);
    expect(refused.err).toContain("maxQueuedPerSession (2)");
    open();
    expect([countOf(await a), countOf(await b)]).toEqual([1, 2]);
    // The refused request never ran, so sending it again runs it.
    expect(countOf(await c.writeV(3n, "c"))).toBe(3);
  });

  it("refuses new requests while the reply table is full, until acks free it", async () => {
    const { connect } = await start({ maxReplyTable: 2 });
    const c = await connect();
    countOf(await c.writeV(1n, "a"));
    countOf(await c.writeV(2n, "b"));
    const refused = errorOf(await c.writeV(3n, "c"));
    expect(refused.errCode).toBe(ErrCode.Retry);
    expect(refused.err).toContain("maxReplyTable (2)");
    expect(countOf(await c.writeV(3n, "c", { received: [1n, 3n] }))).toBe(3);
  });

  it("refuses a hello beyond maxSessions", async () => {
    const { connect } = await start({ maxSessions: 1 });
    await connect();
    await expect(connect()).rejects.toMatchObject({
      code: ErrCode.Retry,
      message: expect.stringContaining("maxSessions (1)"),
    });
  });

  it("refuses to create a session whose id is in use", async () => {
    const { connect } = await start();
    const c = await connect();
    await expect(connect({ session: c.session })).rejects.toMatchObject({ code: ErrCode.Inval });
  });

  it("answers an unknown or reply type with BadFcall and keeps the session", async () => {
    const { connect } = await start();
    const c = await connect();
    expect(errorOf(await c.send(MsgType.Rwrite, 1n, [1])).errCode).toBe(ErrCode.BadFcall);
    expect(errorOf(await c.send(MsgType.Tversion, 2n, [])).errCode).toBe(ErrCode.BadFcall);
    expect(errorOf(await c.send(MsgType.Tclunk, 3n, ["not a fid"])).errCode).toBe(ErrCode.BadFcall);
    expect((await c.clunk(4n)).header.type).toBe(MsgType.Rclunk);
  });

  it("closes a connection whose message names another session", async () => {
    const { connect, server } = await start();
    const c = await connect();
    void c.clunk(1n, { session: c.session + 1n });
    await c.closed;
    expect(server.sessions().map((s) => s.id)).toEqual([c.session]);
  });
});
