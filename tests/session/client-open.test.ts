import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isSigmaError, type SigmaError } from "../../runtime/errors/index.js";
import { randomId } from "../../runtime/session/client/client-id.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import type { SessionClientOptions } from "../../runtime/session/client/client-types.js";
import { deadAddr, startMismatchedServer, startTestServer, tap } from "./client-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openFailure(opts: SessionClientOptions): Promise<SigmaError> {
  try {
    const s = await SessionClient.open(opts);
    s.disconnect();
  } catch (e) {
    if (isSigmaError(e)) return e;
    throw e;
  }
  throw new Error("expected open to fail");
}

describe("opening a session", () => {
  it("connects to the first address that answers, with a new session id", async () => {
    const srv = await startTestServer();
    cleanups.push(() => srv.close());
    const dead = await deadAddr();
    const t = tap();
    const a = await SessionClient.open({ addrs: [dead, srv.addr], dial: t.dial });
    cleanups.push(() => a.disconnect());
    const b = await SessionClient.open({ addrs: [srv.addr] });
    cleanups.push(() => b.disconnect());
    expect(a.currentAddr).toBe(srv.addr);
    expect(a.addrs).toEqual([dead, srv.addr]);
    expect(t.connections.all).toEqual([{ addr: srv.addr, resume: false }]);
    expect(a.id).not.toBe(b.id);
    expect(a.client).toBe(b.client);
    expect(new Set(srv.server.sessions().map((s) => s.id))).toEqual(new Set([a.id, b.id]));
  });

  it("fails with Unreachable when no address answers", async () => {
    const addrs = [await deadAddr(), await deadAddr()];
    const err = await openFailure({ addrs, connectTimeoutMs: 200 });
    expect(err.code).toBe(ErrCode.Unreachable);
    expect(err.obj).toBe(addrs.join(","));
  });

  it("fails with ProtocolMismatch when any server speaks another schema", async () => {
    const other = await startMismatchedServer();
    cleanups.push(() => other.close());
    const err = await openFailure({ addrs: [await deadAddr(), other.addr] });
    expect(err.code).toBe(ErrCode.ProtocolMismatch);
    expect(err.message).toContain(other.addr);
  });

  it("refuses an empty address list and non-positive settings with Inval", async () => {
    expect((await openFailure({ addrs: [] })).code).toBe(ErrCode.Inval);
    expect((await openFailure({ addrs: ["127.0.0.1:1"], keepaliveMs: 0 })).code).toBe(
      ErrCode.Inval,
    );
  });

  it("draws ids that are never 0 or all-ones", () => {
    for (let i = 0; i < 1000; i++) {
      const id = randomId();
      expect(id > 0n && id < 0xffff_ffff_ffff_ffffn).toBe(true);
    }
  });
});
