/**
 * A partition shorter than the session timeout keeps the session (docs/session.md, Liveness):
 * a client of a file server behind a fault proxy is partitioned for 50% and 90% of the timeout;
 * afterwards its ephemeral file is still there, its next call succeeds on the same session, and
 * the server never detached it. Before the redial cadence was bounded, the client's passes were
 * up to a quarter of the timeout apart and the first one after a 900 ms partition came after
 * the server had detached the session.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import {
  bytes,
  connect,
  startTestServer,
  text,
  type TestServer,
} from "../client/server-fixture.js";
import { FaultProxy } from "../../devtools/fault-proxy.js";

const TIMEOUT_MS = 1000;
const TMP = (0o777 | Perm.DMTMP) >>> 0;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(): Promise<{
  server: TestServer;
  proxy: FaultProxy;
  victim: FsLib;
  observer: FsLib;
}> {
  const server = await startTestServer(TIMEOUT_MS);
  const proxy = await FaultProxy.start({ target: server.addr });
  const observer = await connect(server.addr);
  const victim = await connect(proxy.addr, { sessionTimeoutMs: TIMEOUT_MS });
  cleanup.push(async () => {
    await victim.disconnect("name").catch(() => undefined);
    await observer.exit();
    await proxy.close();
    await server.close();
  });
  return { server, proxy, victim, observer };
}

const partitionFor = (proxy: FaultProxy, ms: number): Promise<void> => {
  proxy.down();
  return new Promise((resolve) =>
    setTimeout(() => {
      proxy.up();
      resolve();
    }, ms),
  );
};

describe("a partition shorter than the session timeout keeps the session", () => {
  for (const share of [0.5, 0.9]) {
    it(`a ${share * 100}% partition: ephemeral file kept, same session, next call succeeds`, async () => {
      const { server, proxy, victim, observer } = await setup();
      await victim.putFile("name/lease", TMP, 0, bytes("held"));
      const before = server.sessions();
      expect(before).toHaveLength(2);
      await partitionFor(proxy, share * TIMEOUT_MS);
      expect(proxy.stats.cuts).toBe(1);
      // The next call goes over a new connection of the same session.
      expect(text(await victim.getFile("name/lease"))).toBe("held");
      expect(proxy.stats.connections).toBe(2);
      expect(server.sessions().sort()).toEqual(before.sort());
      expect(text(await observer.getFile("name/lease"))).toBe("held");
    });
  }
});
