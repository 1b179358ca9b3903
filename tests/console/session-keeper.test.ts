/**
 * A console outlives its session to named: after a partition longer than the reconnect window
 * (the session is then closed for good, spec 3.8), the console opens a new session by itself once
 * named is reachable again, its API answers as before, and a directory watched across the
 * partition reports what changed meanwhile and goes on reporting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import {
  startConsole,
  type ConsoleServer,
  type DirEvent,
  type DirPage,
  type HelloEvent,
} from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { FaultProxy } from "../../devtools/fault-proxy.js";
import { SseClient } from "./sse-client.js";
import { apiOf, bytes } from "./world.js";

const TIMEOUT_MS = 200;
let named: Named;
let proxy: FaultProxy;
let viaProxy: FsLib;
let direct: FsLib;
let con: ConsoleServer;

beforeAll(async () => {
  named = await startNamed({ sessionTimeoutMs: TIMEOUT_MS });
  proxy = await FaultProxy.start({ target: named.addr });
  viaProxy = await FsLib.connect({
    named: proxy.addr,
    uname: "console",
    sessionTimeoutMs: TIMEOUT_MS,
  });
  direct = await FsLib.connect({ named: named.addr, uname: "tester" });
  con = await startConsole({ fsl: viaProxy });
});
afterAll(async () => {
  await con?.close();
  await viaProxy?.close();
  await direct?.close();
  await proxy?.close();
  await named?.close();
});

describe("the console's session to named", () => {
  it("is reopened after it closed, and the API answers again", async () => {
    const api = apiOf(con.url);
    expect((await api.get<DirPage>("/api/dir", { path: "name/tmp" })).status).toBe(200);
    const sse = await SseClient.open(new URL("/api/events", con.url).href);
    const { stream } = await sse.next<HelloEvent>("hello");
    expect(
      (await api.send("POST", "/api/watch", { stream, path: "name/tmp", on: true })).status,
    ).toBe(200);
    const closed = (async () => {
      for await (const ev of viaProxy.sessionEvents()) return ev;
      return undefined;
    })();
    proxy.down();
    const ev = await closed;
    expect(ev?.reason).toBe("unreachable");
    await direct.putFile("name/tmp/after", 0o777, Mode.OWRITE, bytes("x"));
    proxy.up();
    // The console retries until named answers; its watch comes back with the new session, and
    // the relisting reports what happened meanwhile.
    await sse.next<DirEvent>("dir", (e) => e.added.some((a) => a.name === "after"));
    const page = await api.get<DirPage>("/api/dir", { path: "name/tmp" });
    expect(page.status).toBe(200);
    expect(page.body.entries.map((e) => e.name)).toEqual(["after"]);
    await direct.putFile("name/tmp/later", 0o777, Mode.OWRITE, bytes("y"));
    await sse.next<DirEvent>("dir", (e) => e.added.some((a) => a.name === "later"));
    sse.close();
  });
});
