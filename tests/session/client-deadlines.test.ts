import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isSigmaError, type SigmaError } from "../../runtime/errors/index.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import { isType, startTestServer, tap, type TestServer } from "./client-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const srv: TestServer = await startTestServer();
  cleanups.push(() => srv.close());
  const t = tap();
  const session = await SessionClient.open({ addrs: [srv.addr], dial: t.dial });
  cleanups.push(() => session.disconnect());
  return { srv, t, session, fs: new SigmapClient(session) };
}

async function failure(p: Promise<unknown>): Promise<SigmaError> {
  try {
    await p;
  } catch (e) {
    if (isSigmaError(e)) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("session client call deadlines", () => {
  it("fails a call with Timeout, then absorbs and acknowledges its late reply", async () => {
    const { srv, t, session, fs } = await setup();
    const err = await failure(fs.watch({ fid: 1 }, { timeoutMs: 30 }));
    expect(err.code).toBe(ErrCode.Timeout);
    // Giving up is local: the request stays outstanding.
    expect(session.outstanding).toBe(1);

    srv.release(1);
    await t.received.next(isType(MsgType.Rwatch));
    expect(session.outstanding).toBe(0);
    await fs.clunk({ fid: 2 });
    const clunk = t.sent.all.find(isType(MsgType.Tclunk))!;
    expect(clunk.header.received).toEqual({ start: 1n, end: 2n });
  });

  it("fails a call with Aborted carrying the signal's reason", async () => {
    const { srv, t, session, fs } = await setup();
    const ac = new AbortController();
    const call = failure(fs.watch({ fid: 1 }, { signal: ac.signal }));
    await srv.started.next((s) => s.fid === 1);
    const reason = new Error("user gave up");
    ac.abort(reason);
    const err = await call;
    expect(err.code).toBe(ErrCode.Aborted);
    expect(err.cause).toBe(reason);
    expect(session.outstanding).toBe(1);

    srv.release(1);
    await t.received.next(isType(MsgType.Rwatch));
    expect(session.outstanding).toBe(0);
    expect(session.state).toBe("connected");
  });

  it("does not send a call whose signal has already fired", async () => {
    const { t, session, fs } = await setup();
    const err = await failure(fs.clunk({ fid: 1 }, { signal: AbortSignal.abort("late") }));
    expect(err.code).toBe(ErrCode.Aborted);
    expect(err.cause).toBe("late");
    expect(t.sent.all).toEqual([]);
    expect(session.outstanding).toBe(0);
  });

  it("a call answered before its deadline is not failed afterwards", async () => {
    const { fs, session } = await setup();
    const ac = new AbortController();
    expect(await fs.clunk({ fid: 1 }, { timeoutMs: 1000, signal: ac.signal })).toEqual({});
    // Answered: the call has let go of its signal, so a later abort cannot reach it.
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
    ac.abort();
    expect(session.outstanding).toBe(0);
    expect(session.state).toBe("connected");
  });
});
