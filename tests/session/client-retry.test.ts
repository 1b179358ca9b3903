/**
 * A request the server refuses for one of its limits (Rerror Retry from the session layer: the
 * request did not run) is retried by the session client with backoff until the call's deadline
 * (spec 5.1): the application sees the Retry only when the deadline passes, and never for a
 * refusal that clears in time. The server here admits one request per session at a time.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { decodeRerror } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import type { WireMessage } from "../../runtime/net/types.js";
import { inFlight } from "../support/in-flight.js";
import { isType, startTestServer, tap, type TestServer } from "./client-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const srv: TestServer = await startTestServer({ maxQueuedPerSession: 1 });
  cleanups.push(() => srv.close());
  const t = tap();
  const session = await SessionClient.open({ addrs: [srv.addr], dial: t.dial });
  cleanups.push(() => session.disconnect());
  return { srv, t, session, fs: new SigmapClient(session) };
}

const isRetry = (m: WireMessage): boolean =>
  m.header.type === MsgType.Rerror && decodeRerror(m.body).errCode === ErrCode.Retry;

describe("the session client retries a server's limit refusal", () => {
  it("a refusal that clears before the deadline is never seen by the caller", async () => {
    const { srv, t, fs, session } = await setup();
    // The clunk of fid 2 is refused until the one of fid 1 is released.
    // A clunk held running (not parked: parked requests have a bound of their own) takes the
    // session's only slot.
    srv.hold(1);
    const held = inFlight(fs.clunk({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    const clunk = inFlight(fs.clunk({ fid: 2 }, { timeoutMs: 10_000 }));
    // Two refusals at least: the client came back after the first one.
    await t.received.next(isRetry);
    await t.received.next((m) => isRetry(m) && t.received.all.filter(isRetry).length >= 2);
    srv.release(1);
    expect(await held).toEqual({});
    expect(await clunk).toEqual({});
    // Each attempt was a new request (a refused seqno is acknowledged like any reply), and the
    // clunk ran once.
    const clunks = t.sent.all.filter(isType(MsgType.Tclunk)).map((m) => m.header.seqno);
    expect(clunks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(clunks).size).toBe(clunks.length);
    expect(srv.runs(2)).toBe(1);
    expect(session.outstanding).toBe(0);
  });

  it("a refusal that lasts past the deadline fails the call with the Retry, and retries stop", async () => {
    const { srv, t, fs, session } = await setup();
    // A clunk held running (not parked: parked requests have a bound of their own) takes the
    // session's only slot.
    srv.hold(1);
    const held = inFlight(fs.clunk({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    const err: unknown = await fs.clunk({ fid: 2 }, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isSigmaError(err) && err.code).toBe(ErrCode.Retry);
    expect((err as Error).message).toMatch(/maxQueuedPerSession \(1\)/);
    const sent = t.sent.all.filter(isType(MsgType.Tclunk)).length;
    expect(sent).toBeGreaterThanOrEqual(2);
    // Nothing more goes out for the abandoned call, even once the slot frees.
    srv.release(1);
    expect(await held).toEqual({});
    expect(await fs.clunk({ fid: 3 })).toEqual({});
    expect(t.sent.all.filter(isType(MsgType.Tclunk)).length).toBe(sent + 1);
    expect(srv.runs(2)).toBe(0);
    expect(session.outstanding).toBe(0);
  });

  it("a call waiting to retry fails with SessClosed when the session closes", async () => {
    const { srv, t, fs, session } = await setup();
    // A clunk held running (not parked: parked requests have a bound of their own) takes the
    // session's only slot.
    srv.hold(1);
    const held = inFlight(fs.clunk({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    const clunk = inFlight(fs.clunk({ fid: 2 }));
    await t.received.next(isRetry);
    session.disconnect();
    await expect(clunk).rejects.toMatchObject({ code: ErrCode.SessClosed });
    await expect(held).rejects.toMatchObject({ code: ErrCode.SessClosed });
  });
});
