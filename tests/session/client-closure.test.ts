import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import {
  deferred,
  isType,
  startTestServer,
  tap,
  type TestServer,
  type TestServerOptions,
} from "./client-harness.js";
import { inFlight } from "../support/in-flight.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(serverOpts: TestServerOptions = {}) {
  const srv: TestServer = await startTestServer(serverOpts);
  cleanups.push(() => srv.close());
  const t = tap();
  const session = await SessionClient.open({ addrs: [srv.addr], dial: t.dial });
  cleanups.push(() => session.disconnect());
  return { srv, t, session, fs: new SigmapClient(session) };
}

const sessClosed = (e: unknown): boolean => isErr(e, ErrCode.SessClosed);

describe("session client closure", () => {
  it("close() detaches: Tdetach is answered, the server detaches, reason detached", async () => {
    const { srv, t, session, fs } = await setup();
    await fs.clunk({ fid: 1 });
    const watch = inFlight(fs.watch({ fid: 2 }));
    await srv.started.next((s) => s.fid === 2);
    await session.close();
    expect(t.received.all.some(isType(MsgType.Rdetach))).toBe(true);
    expect(await session.closed).toEqual({
      kind: "closed",
      addrs: [srv.addr],
      sessionId: session.id,
      reason: "detached",
    });
    expect((await srv.detached.next()).id).toBe(session.id);
    expect(srv.server.sessions()).toEqual([]);
    await expect(watch).rejects.toSatisfy(sessClosed);
    await expect(fs.clunk({ fid: 3 })).rejects.toSatisfy(sessClosed);
    expect(session.state).toBe("closed");
    await session.close();
  });

  it("disconnect() closes locally with reason local and fails waiting calls", async () => {
    const { srv, session, fs } = await setup();
    const watch = inFlight(fs.watch({ fid: 1 }));
    await srv.started.next((s) => s.fid === 1);
    session.disconnect();
    await expect(watch).rejects.toSatisfy(sessClosed);
    expect((await session.closed).reason).toBe("local");
    // The server is not told: the session lives on there until it times out.
    expect(srv.server.sessions().map((s) => s.id)).toEqual([session.id]);
    expect(srv.detached.all).toEqual([]);
  });

  it("an Rerror(SessClosed) reply closes the session once; later calls fail at once", async () => {
    const detaching = deferred();
    const { srv, t, session, fs } = await setup({ onDetach: () => detaching.promise });
    const events: SessionClosedEvent[] = [];
    void session.closed.then((e) => events.push(e));
    await fs.clunk({ fid: 1 });
    // While its detach callback runs the session is closing and answers SessClosed.
    const detach = srv.server.detach(session.id);
    await expect(fs.clunk({ fid: 2 })).rejects.toSatisfy(sessClosed);
    expect(t.received.all.some(isType(MsgType.Rerror))).toBe(true);
    expect((await session.closed).reason).toBe("closed-by-server");

    session.disconnect();
    await session.close();
    const sent = t.sent.all.length;
    await expect(fs.clunk({ fid: 3 })).rejects.toSatisfy(sessClosed);
    expect(t.sent.all.length).toBe(sent);
    expect(events.map((e) => e.reason)).toEqual(["closed-by-server"]);
    detaching.resolve();
    await detach;
  });
});
