import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import type { SessionClientOptions } from "../../runtime/session/client/client-types.js";
import {
  isType,
  seqnosOf,
  startProxy,
  startTestServer,
  tap,
  type Proxy,
  type TestServer,
} from "./client-harness.js";
import { inFlight } from "../support/in-flight.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<TestServer> {
  const srv = await startTestServer();
  cleanups.push(() => srv.close());
  return srv;
}

async function proxy(target: string): Promise<Proxy> {
  const p = await startProxy(target);
  cleanups.push(() => p.close());
  return p;
}

async function open(opts: SessionClientOptions): Promise<SessionClient> {
  const session = await SessionClient.open(opts);
  cleanups.push(() => session.disconnect());
  return session;
}

describe("session client reconnection", () => {
  it("resends outstanding requests with the same seqnos after a dropped connection", async () => {
    const srv = await server();
    const t = tap();
    const session = await open({ addrs: [srv.addr], dial: t.dial });
    const fs = new SigmapClient(session);
    const calls = [1, 2, 3].map((fid) => inFlight(fs.watch({ fid })));
    await srv.started.next((s) => s.fid === 3);

    srv.server.disconnect(session.id);
    const watches = (): number => t.sent.all.filter(isType(MsgType.Twatch)).length;
    await t.sent.next(() => watches() === 6);
    expect(seqnosOf(t.sent.all.filter(isType(MsgType.Twatch)))).toEqual([1, 2, 3, 1, 2, 3]);

    srv.release(1);
    srv.release(2);
    srv.release(3);
    await Promise.all(calls);
    // The reply table turned the resends into resent replies: each request ran once.
    expect([srv.runs(1), srv.runs(2), srv.runs(3)]).toEqual([1, 1, 1]);
    expect(session.state).toBe("connected");
    expect(t.connections.all).toEqual([
      { addr: srv.addr, resume: false },
      { addr: srv.addr, resume: true },
    ]);
  });

  it("resends requests the server never received, in seqno order", async () => {
    const srv = await server();
    const p = await proxy(srv.addr);
    const t = tap();
    const session = await open({ addrs: [p.addr], dial: t.dial });
    const fs = new SigmapClient(session);
    await fs.clunk({ fid: 1 });
    p.freeze();
    const lost = [inFlight(fs.clunk({ fid: 2 })), inFlight(fs.clunk({ fid: 3 }))];
    await t.sent.next((m) => m.header.seqno === 3n);
    p.thaw();
    p.cut();
    await Promise.all(lost);
    expect([srv.runs(2), srv.runs(3)]).toEqual([1, 1]);
    const resends = t.sent.all.filter(isType(MsgType.Tclunk)).slice(3);
    expect(seqnosOf(resends)).toEqual([2, 3]);
    // A resend is the original request, its ack included.
    expect(resends[0]!.header.received).toEqual({ start: 1n, end: 2n });
  });

  it("detects a silent server by the silence deadline and fails over to the next address", async () => {
    const srv = await server();
    const a = await proxy(srv.addr);
    const b = await proxy(srv.addr);
    const t = tap();
    const session = await open({
      addrs: [a.addr, b.addr],
      dial: t.dial,
      keepaliveMs: 20,
      silenceDeadlineMs: 100,
      connectTimeoutMs: 100,
    });
    const fs = new SigmapClient(session);
    await fs.clunk({ fid: 1 });
    a.freeze();
    const started = performance.now();
    await fs.clunk({ fid: 2 });
    const took = performance.now() - started;
    expect(session.currentAddr).toBe(b.addr);
    expect(srv.runs(2)).toBe(1);
    // Silence (100 ms), then a resume on the frozen address that times out (100 ms), then B.
    expect(took).toBeGreaterThanOrEqual(180);
    expect(t.connections.all).toEqual([
      { addr: a.addr, resume: false },
      { addr: b.addr, resume: true },
    ]);
    expect(srv.server.sessions().map((s) => s.id)).toEqual([session.id]);
  });

  it("closes with reason unreachable when the reconnect window runs out", async () => {
    const srv = await server();
    const p = await proxy(srv.addr);
    const session = await open({ addrs: [p.addr], sessionTimeoutMs: 100, connectTimeoutMs: 50 });
    const fs = new SigmapClient(session);
    const watch = inFlight(fs.watch({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    const started = performance.now();
    await p.close();
    const event = await session.closed;
    expect(event).toEqual({
      kind: "closed",
      addrs: [p.addr],
      sessionId: session.id,
      reason: "unreachable",
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    await expect(watch).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    expect(session.state).toBe("closed");
  });

  it("closes with reason closed-by-server when the resume is refused", async () => {
    const srv = await server();
    const session = await open({ addrs: [srv.addr] });
    const fs = new SigmapClient(session);
    const watch = inFlight(fs.watch({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    await srv.server.detach(session.id);
    expect((await session.closed).reason).toBe("closed-by-server");
    await expect(watch).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
  });
});
