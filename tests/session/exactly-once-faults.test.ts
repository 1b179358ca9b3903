/**
 * Exactly-once under faults: a proxy cuts every connection at random every 20-200 ms while 8
 * clients each perform 2,000 non-idempotent appends. Afterwards every client has a reply for
 * every operation, and the server applied each operation exactly once, in each client's order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { NoV } from "../../generated/sigmap/types.js";
import { SessionClient, startSessionServer } from "../../runtime/session/index.js";
import type { SessionServer } from "../../runtime/session/server/server-types.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { TestHandlers } from "./server-handlers.js";

const CLIENTS = 8;
const OPS = 2000;
/** Appends in flight per client: enough to keep the link busy when it is cut. */
const WINDOW = 4;

let server: SessionServer;
let proxy: FaultProxy;
const handlers = new TestHandlers();
/** Appends answered so far, across clients. */
let completed = 0;
/**
 * Besides the seeded random cuts, cut at fixed points of the run, so that a fast machine that
 * finishes between two random cuts still sees requests outstanding across several cuts.
 */
const CUT_AT = new Set([1, 2, 3].map((q) => (q * CLIENTS * OPS) / 4));

beforeAll(async () => {
  server = await startSessionServer({
    host: "127.0.0.1",
    dispatch: (type, body, data, ctx) => dispatchSigmap(handlers, type, body, data, ctx),
    sessionTimeoutMs: 2000,
  });
  proxy = await FaultProxy.start({ target: server.addr });
});

afterAll(async () => {
  await proxy.close();
  await server.close();
});

async function runClient(
  c: number,
  sess: SessionClient,
): Promise<{ session: bigint; counts: number[] }> {
  const clnt = new SigmapClient(sess);
  const counts = new Array<number>(OPS);
  let next = 0;
  const worker = async () => {
    while (next < OPS) {
      const i = next++;
      const data = new TextEncoder().encode(`${c}:${i}`);
      const r = await clnt.writeV({ fid: 0, offset: 0n, version: NoV, data });
      counts[i] = r.count;
      if (CUT_AT.has(++completed)) proxy.cut();
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  const session = sess.id;
  await sess.close();
  return { session, counts };
}

describe("exactly-once under random connection cuts", () => {
  it("8 clients x 2,000 appends: every reply arrives, each append applied once, in order", async () => {
    // Sessions open before the faults start: a first open that finds no server fails by design.
    const sessions = await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        SessionClient.open({ addrs: [proxy.addr], sessionTimeoutMs: 2000 }),
      ),
    );
    proxy.startChaos({ seed: 0x5eed, cutEveryMs: [20, 200] });
    const results = await Promise.all(sessions.map((s, c) => runClient(c, s)));
    proxy.stopChaos();

    // The faults really happened and made clients resend requests the server had already
    // received, which it answered from the reply table instead of running them again: counted by
    // the server, so the test cannot pass vacuously.
    expect(proxy.stats.connections).toBeGreaterThan(CLIENTS);
    expect(server.stats().duplicatesSuppressed).toBeGreaterThan(0);

    for (const [c, { session, counts }] of results.entries()) {
      const expected = Array.from({ length: OPS }, (_, i) => `${c}:${i}`);
      // Applied exactly once each, in the client's order.
      expect(handlers.logs.get(session)).toEqual(expected);
      // The i-th append saw a log of length i+1: every reply is the reply of that very append.
      expect(counts).toEqual(Array.from({ length: OPS }, (_, i) => i + 1));
    }
  }, 60_000);
});
