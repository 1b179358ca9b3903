/**
 * Sessions one host can hold (issue 10): one client holding every session slot must not lock
 * every other client out, and a refused hello says which limit it hit instead of a bare reset.
 * A session whose connection says nothing (no requests, no keepalives) loses the connection after
 * idleTimeoutMs and is then detached like any session whose client went away.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { type Harness, type HarnessOptions, startHarness } from "./server-harness.js";
import { netTransport } from "./server-net-transport.js";

describe("session server per-peer limits", () => {
  let h: Harness | null = null;
  const start = async (opts: HarnessOptions = {}): Promise<Harness> => {
    h = await startHarness(netTransport, opts);
    return h;
  };
  afterEach(async () => {
    await h?.server.close();
    h = null;
  });

  it("refuses a host's sessions past maxSessionsPerPeer with Retry naming the limit", async () => {
    const { connect, server } = await start({ maxSessionsPerPeer: 2 });
    const a = await connect();
    await connect();
    const refused = await connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(SigmaError);
    expect((refused as SigmaError).code).toBe(ErrCode.Retry);
    expect((refused as SigmaError).message).toMatch(
      /maxSessionsPerPeer \(2\) live sessions from 127\.0\.0\.1/,
    );
    expect(server.stats().sessionRefusals).toBe(1);
    // Resuming a session of its own is not a new session: allowed at the cap.
    a.close();
    await connect({ session: a.session, resume: true });
    // A closed session frees its slot.
    await server.detach(a.session);
    await connect();
    expect(server.sessions()).toHaveLength(2);
  });

  it("detaches a session whose connection stays silent past idleTimeoutMs", async () => {
    const { connect, nextDetach } = await start({
      idleTimeoutMs: 200,
      sessionTimeoutMs: 200,
    });
    const detached = nextDetach();
    const c = await connect();
    expect(await c.closed).toBe("remote");
    expect((await detached).id).toBe(c.session);
  });
});
