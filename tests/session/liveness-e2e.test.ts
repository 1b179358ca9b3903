/**
 * Session liveness end to end, through a fault proxy: a short outage keeps the session (outages
 * of 50% and 90% of the timeout are in partition.test.ts); a partition longer than the timeout
 * detaches it on the server (the hook runs once) and the client learns it exactly once, as
 * SessClosed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { ErrCode, NoV } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { SessionClient, startSessionServer } from "../../runtime/session/index.js";
import type { SessionInfo } from "../../runtime/session/server/server-types.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { deferred, TestHandlers } from "./server-handlers.js";

const TIMEOUT_MS = 300;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup() {
  const handlers = new TestHandlers();
  const detached: SessionInfo[] = [];
  let onDetached = deferred<SessionInfo>();
  const server = await startSessionServer({
    host: "127.0.0.1",
    dispatch: (type, body, data, ctx) => dispatchSigmap(handlers, type, body, data, ctx),
    sessionTimeoutMs: TIMEOUT_MS,
    sweepIntervalMs: 20,
    onDetach: (s) => {
      detached.push(s);
      onDetached.resolve(s);
      onDetached = deferred<SessionInfo>();
    },
  });
  const proxy = await FaultProxy.start({ target: server.addr });
  const sess = await SessionClient.open({
    addrs: [proxy.addr],
    sessionTimeoutMs: TIMEOUT_MS,
    keepaliveMs: 30,
    silenceDeadlineMs: 150,
  });
  cleanup.push(async () => {
    sess.disconnect();
    await proxy.close();
    await server.close();
  });
  const clnt = new SigmapClient(sess);
  const append = (text: string) =>
    clnt.writeV({ fid: 0, offset: 0n, version: NoV, data: new TextEncoder().encode(text) });
  return { handlers, detached, nextDetach: () => onDetached.promise, proxy, sess, append };
}

describe("session liveness through a faulty link", () => {
  it("a reconnect within the timeout keeps the session and everything in it", async () => {
    const { handlers, detached, proxy, sess, append } = await setup();
    await append("a");
    proxy.cut();
    expect((await append("b")).count).toBe(2);
    expect(handlers.logs.get(sess.id)).toEqual(["a", "b"]);
    expect(proxy.stats.connections).toBe(2);
    expect(detached).toEqual([]);
    expect(sess.state).toBe("connected");
  });

  it("a partition longer than the timeout detaches the session once; the client sees SessClosed once", async () => {
    const { detached, nextDetach, proxy, sess, append } = await setup();
    await append("a");
    proxy.down();
    const gone = await nextDetach();
    expect(gone.id).toBe(sess.id);
    proxy.up();
    const event = await sess.closed;
    expect(event).toMatchObject({ kind: "closed", sessionId: sess.id, reason: "closed-by-server" });
    await expect(append("late")).rejects.toSatisfy((e) => isErr(e, ErrCode.SessClosed));
    expect(detached.map((s) => s.id)).toEqual([sess.id]);
    // A fresh session to the same server works.
    const again = await SessionClient.open({ addrs: [proxy.addr] });
    expect(again.id).not.toBe(sess.id);
    await again.close();
  });
});
