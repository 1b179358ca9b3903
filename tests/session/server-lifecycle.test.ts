/**
 * sesssrv's session lifecycle (spec 2.2, 3.7-3.9): resume, timeout detach, client detach,
 * closed sessions refused and then forgotten.
 */
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { sessionIdHex } from "../../runtime/session/shared/session-id.js";
import { type Harness, type HarnessOptions, startHarness } from "./server-harness.js";
import { memoryTransport } from "./server-memory-transport.js";
import { netTransport } from "./server-net-transport.js";
import { countOf, errorOf } from "./server-test-conn.js";

const TIMEOUT = 150;
const FAST: HarnessOptions = { sessionTimeoutMs: TIMEOUT, sweepIntervalMs: 20, closedGraceMs: 300 };

describe.each([netTransport, memoryTransport])("session server lifecycle ($name)", (transport) => {
  let h: Harness | null = null;
  const start = async (opts: HarnessOptions = FAST): Promise<Harness> => {
    h = await startHarness(transport, opts);
    return h;
  };
  afterEach(async () => {
    await h?.server.close();
    h = null;
  });

  it("keeps the session, its replies and its log across a resume", async () => {
    const { connect, handlers, server } = await start();
    const c = await connect();
    countOf(await c.writeV(1n, "a"));
    // A reply completed while the client is away stays stored until the client resends.
    const open = handlers.gate("b");
    void c.writeV(2n, "b");
    await handlers.when("start:b");
    server.disconnect(c.session);
    await c.closed;
    open();
    await handlers.when("done:b");
    const back = await connect({ session: c.session, resume: true });
    expect(countOf(await back.writeV(2n, "b"))).toBe(2);
    expect(countOf(await back.writeV(1n, "a"))).toBe(1);
    expect(countOf(await back.writeV(3n, "c"))).toBe(3);
    expect(handlers.log(c.session)).toEqual(["a", "b", "c"]);
  });

  it("closes the older connection when a session is resumed", async () => {
    const { connect } = await start();
    const c = await connect();
    const again = await connect({ session: c.session, resume: true });
    await c.closed;
    expect((await again.clunk(1n)).header.type).toBe(MsgType.Rclunk);
  });

  it("refuses a resume by another client", async () => {
    const { connect } = await start();
    const c = await connect();
    await expect(
      connect({ client: c.client + 1n, session: c.session, resume: true }),
    ).rejects.toMatchObject({ code: ErrCode.Inval });
  });

  it("refuses a resume of an unknown session with SessClosed", async () => {
    const { connect } = await start();
    await expect(connect({ session: 0xabcn, resume: true })).rejects.toMatchObject({
      code: ErrCode.SessClosed,
      obj: "abc",
    });
  });

  it("detaches a session gone longer than the timeout, once, waking its waiters", async () => {
    const { connect, handlers, server, nextDetach, detached } = await start();
    const c = await connect();
    void c.watch(1n, 7);
    await handlers.when("parked:7");
    const detachedNow = nextDetach();
    c.close();
    const info = await detachedNow;
    expect(info).toEqual({ id: c.session, client: c.client, principal: null });
    await handlers.when("aborted:7");
    expect(server.sessions()).toEqual([]);
    await server.detach(c.session);
    expect(detached).toHaveLength(1);
    await expect(connect({ session: c.session, resume: true })).rejects.toMatchObject({
      code: ErrCode.SessClosed,
      obj: sessionIdHex(c.session),
    });
  });

  it("keeps a session whose client reconnects within the timeout", async () => {
    const { connect, server, detached } = await start();
    const c = await connect();
    countOf(await c.writeV(1n, "a"));
    c.close();
    await c.closed;
    const back = await connect({ session: c.session, resume: true });
    // Time must pass here: nothing happening is the outcome under test.
    await delay(TIMEOUT * 3);
    expect(detached).toEqual([]);
    expect(countOf(await back.writeV(2n, "b"))).toBe(2);
    expect(server.sessions()).toHaveLength(1);
  });

  it("detaches on Tdetach after answering it, then refuses the session", async () => {
    const { connect, handlers, nextDetach, detached } = await start();
    const c = await connect();
    void c.watch(1n, 7);
    await handlers.when("parked:7");
    const detachedNow = nextDetach();
    expect((await c.detach(2n)).header.type).toBe(MsgType.Rdetach);
    await detachedNow;
    await handlers.when("aborted:7");
    await c.closed;
    expect(detached.map((s) => s.id)).toEqual([c.session]);
    await expect(connect({ session: c.session, resume: true })).rejects.toMatchObject({
      code: ErrCode.SessClosed,
    });
    await expect(connect({ session: c.session })).rejects.toMatchObject({ code: ErrCode.Inval });
  });

  it("answers SessClosed while a session closes, and forgets it after the grace", async () => {
    const { connect, server, nextDetach, holdDetach } = await start();
    const c = await connect();
    const release = holdDetach();
    const detachedNow = nextDetach();
    const closing = server.detach(c.session);
    await detachedNow;
    expect(errorOf(await c.writeV(1n, "late"))).toMatchObject({
      errCode: ErrCode.SessClosed,
      obj: sessionIdHex(c.session),
    });
    expect(errorOf(await c.heartbeat(2n)).errCode).toBe(ErrCode.SessClosed);
    release();
    await closing;
    await c.closed;
    await expect(connect({ session: c.session, resume: true })).rejects.toMatchObject({
      code: ErrCode.SessClosed,
    });
    // Once forgotten, the id may be created again; a resume of an unknown id is refused.
    await vi.waitFor(() => connect({ session: c.session }), { timeout: 2000, interval: 50 });
    await expect(connect({ session: c.session + 1n, resume: true })).rejects.toMatchObject({
      code: ErrCode.SessClosed,
    });
  });
});
