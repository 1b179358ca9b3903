import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { decodeTheartbeat, encodeTclunk } from "../../generated/sigmap/codec.js";
import { MsgType } from "../../generated/sigmap/types.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import type { SessionClientOptions } from "../../runtime/session/client/client-types.js";
import { isType, seqnosOf, startTestServer, tap, type TestServer } from "./client-harness.js";
import { inFlight } from "../support/in-flight.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: Partial<SessionClientOptions> = {}) {
  const srv: TestServer = await startTestServer();
  cleanups.push(() => srv.close());
  const t = tap();
  const session = await SessionClient.open({ addrs: [srv.addr], dial: t.dial, ...opts });
  cleanups.push(() => session.disconnect());
  return { srv, t, session, fs: new SigmapClient(session) };
}

describe("session client calls", () => {
  it("numbers requests from 1 in call order and stamps the session header", async () => {
    const { srv, t, session, fs } = await setup();
    await Promise.all([fs.clunk({ fid: 1 }), fs.clunk({ fid: 2 }), fs.clunk({ fid: 3 })]);
    expect(seqnosOf(t.sent.all)).toEqual([1, 2, 3]);
    expect(srv.started.all.map((s) => [s.fid, s.seqno])).toEqual([
      [1, 1n],
      [2, 2n],
      [3, 3n],
    ]);
    const h = t.sent.all[0]!.header;
    expect(h).toMatchObject({ type: MsgType.Tclunk, tag: 0, session: session.id });
    expect(h.client).toBe(session.client);
    expect(h.fence).toEqual({ fenceid: { path: 0n, serverid: 0n }, epoch: 0n });
    expect(session.id).not.toBe(0n);
    expect(session.state).toBe("connected");
    expect(session.outstanding).toBe(0);
  });

  it("completes calls by seqno when replies arrive out of order", async () => {
    const { srv, t, fs } = await setup();
    const order: string[] = [];
    const watch = inFlight(fs.watch({ fid: 7 }).then(() => order.push("watch")));
    await srv.started.next((s) => s.fid === 7);
    await fs.clunk({ fid: 8 }).then(() => order.push("clunk"));
    srv.release(7);
    await watch;
    expect(order).toEqual(["clunk", "watch"]);
    expect(seqnosOf(t.received.all)).toEqual([2, 1]);
  });

  it("acknowledges each reply in the received interval of a later request", async () => {
    const { t, fs } = await setup();
    await fs.clunk({ fid: 1 });
    await fs.clunk({ fid: 2 });
    await fs.clunk({ fid: 3 });
    const received = t.sent.all.map((m) => [m.header.received.start, m.header.received.end]);
    expect(received).toEqual([
      [0n, 0n],
      [1n, 2n],
      [2n, 3n],
    ]);
  });

  it("stamps the caller's fence into the header", async () => {
    const { srv, fs } = await setup();
    const fence = { fenceid: { path: 42n, serverid: 0n }, epoch: 7n };
    await fs.clunk({ fid: 1 }, { fence });
    expect(srv.started.all[0]!.fence).toEqual(fence);
  });

  it("holds calls beyond maxOutstanding until a slot frees", async () => {
    const { srv, t, fs } = await setup({ maxOutstanding: 2 });
    const first = inFlight(fs.watch({ fid: 1 }));
    const second = inFlight(fs.watch({ fid: 2 }));
    const third = inFlight(fs.watch({ fid: 3 }));
    await srv.started.next((s) => s.fid === 2);
    expect(seqnosOf(t.sent.all)).toEqual([1, 2]);
    srv.release(1);
    await first;
    await srv.started.next((s) => s.fid === 3);
    expect(seqnosOf(t.sent.all)).toEqual([1, 2, 3]);
    srv.release(2);
    srv.release(3);
    await Promise.all([second, third]);
  });

  it("sends a keepalive when the line is quiet, and the server answers it", async () => {
    const { t, session } = await setup({ keepaliveMs: 20 });
    const hb = await t.sent.next(isType(MsgType.Theartbeat));
    expect(hb.header.received).toEqual({ start: 0n, end: 0n });
    expect(hb.header.seqno).toBe(1n);
    expect(decodeTheartbeat(hb.body)).toEqual({
      serverSide: false,
      sids: new Map([[session.id, true]]),
    });
    const reply = await t.received.next(isType(MsgType.Rheartbeat));
    expect(reply.header.seqno).toBe(1n);
    expect(session.state).toBe("connected");
  });

  it("keeps a connection whose server is quiet only because a call blocks", async () => {
    const { srv, t, session, fs } = await setup({ keepaliveMs: 20, silenceDeadlineMs: 150 });
    const watch = inFlight(fs.watch({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    // Sixteen keepalive rounds span twice the silence deadline.
    await t.received.next(() => t.received.all.filter(isType(MsgType.Rheartbeat)).length >= 16);
    srv.release(1);
    await watch;
    expect(t.connections.all.length).toBe(1);
    expect(session.state).toBe("connected");
  });

  it("passes the data payload and returns the raw reply", async () => {
    const { session } = await setup();
    const reply = await session.call(MsgType.Tclunk, encodeTclunk({ fid: 9 }), null);
    expect(reply.type).toBe(MsgType.Rclunk);
    expect(reply.data.length).toBe(0);
  });
});
