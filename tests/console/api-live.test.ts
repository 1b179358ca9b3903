/**
 * Live updates over the event stream: directory watches report creates, removes and renames as
 * they happen (no polling: a change is pushed once the sigmap watch fires), the watch log records
 * them, and the sampler pushes `.statsd` counters and rates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import type { DirEvent, HelloEvent, LogEntry, StatsSample } from "../../servers/console/index.js";
import { SseClient } from "./sse-client.js";
import { bytes, startWorld, type ConsoleWorld } from "./world.js";

let w: ConsoleWorld;
let sse: SseClient;
let stream: string;

beforeAll(async () => {
  w = await startWorld({ statsIntervalMs: 200 });
  sse = await SseClient.open(new URL("/api/events", w.console.url).href);
  stream = (await sse.next<HelloEvent>("hello")).stream;
});
afterAll(async () => {
  sse?.close();
  await w?.close();
});

async function watch(path: string, on = true): Promise<void> {
  const r = await w.api.send("POST", "/api/watch", { stream, path, on });
  expect(r.status).toBe(200);
}

describe("the event stream", () => {
  it("pushes a directory's creates, changes and removes once its watch is armed", async () => {
    await w.fsl.mkDir("name/tmp/live");
    await w.fsl.putFile("name/tmp/live/old", 0o777, Mode.OWRITE, bytes("o"));
    await watch("name/tmp/live");
    await w.fsl.putFile("name/tmp/live/new", 0o777, Mode.OWRITE, bytes("n"));
    const created = await sse.next<DirEvent>("dir", (e) => e.added.some((a) => a.name === "new"));
    expect(created.path).toBe("name/tmp/live");
    expect(created.removed).toEqual([]);
    expect(created.added.map((a) => a.path)).toEqual(["name/tmp/live/new"]);

    // A write fires no watch; the next relisting still reports the version it moved.
    await w.fsl.putFile("name/tmp/live/old", 0o777, Mode.OWRITE, bytes("o2"));
    await w.fsl.rename("name/tmp/live/new", "name/tmp/live/newer");
    const renamed = await sse.next<DirEvent>("dir", (e) => e.removed.includes("new"));
    expect(renamed.added.map((a) => a.name)).toEqual(["newer"]);
    expect(renamed.changed.map((c) => [c.name, c.version])).toEqual([["old", 2]]);

    await w.fsl.remove("name/tmp/live/newer");
    await sse.next<DirEvent>("dir", (e) => e.removed.includes("newer"));
    const log = await w.api.get<LogEntry[]>("/api/log");
    const lines = log.body
      .filter((l) => l.dir === "name/tmp/live")
      .map((l) => `${l.kind} ${l.name ?? ""}`);
    expect(lines).toEqual([
      "armed ",
      "fired ",
      "created new",
      "fired ",
      "created newer",
      "removed new",
      "changed old",
      "fired ",
      "removed newer",
    ]);
  });

  it("also sends the log lines as events, and stops reporting once unwatched", async () => {
    await w.fsl.mkDir("name/tmp/quiet");
    await watch("name/tmp/quiet");
    await w.fsl.putFile("name/tmp/quiet/a", 0o777, Mode.OWRITE, bytes("a"));
    const line = await sse.next<LogEntry>(
      "log",
      (l) => l.dir === "name/tmp/quiet" && l.kind === "created",
    );
    expect(line.name).toBe("a");
    await watch("name/tmp/quiet", false);
    // A directory's watch lingers for a grace period; another stream's watch of a sibling shows
    // that events flow while this stream gets none for the unwatched directory.
    await w.fsl.putFile("name/tmp/quiet/b", 0o777, Mode.OWRITE, bytes("b"));
    await w.fsl.putFile("name/tmp/live/marker", 0o777, Mode.OWRITE, bytes("m"));
    await sse.next<DirEvent>("dir", (e) => e.added.some((a) => a.name === "marker"));
    const forQuiet = sse.all<DirEvent>("dir").filter((e) => e.path === "name/tmp/quiet");
    expect(forQuiet.map((e) => e.added.map((a) => a.name))).toEqual([["a"]]);
  });

  it("refuses to watch for an unknown stream or a missing directory", async () => {
    const r = await w.api.send("POST", "/api/watch", {
      stream: "nope",
      path: "name/tmp",
      on: true,
    });
    expect(r.status).toBe(410);
    const nf = await w.api.send<{ error: { name: string } }>("POST", "/api/watch", {
      stream,
      path: "name/tmp/absent",
      on: true,
    });
    expect(nf.status).toBe(404);
    expect(nf.body.error.name).toBe("Notfound");
    await w.fsl.putFile("name/tmp/plain", 0o777, Mode.OWRITE, bytes("not a directory"));
    const file = await w.api.send<{ error: { name: string } }>("POST", "/api/watch", {
      stream,
      path: "name/tmp/plain",
      on: true,
    });
    expect(file.status).toBe(400);
    expect(file.body.error.name).toBe("NotDir");
  });

  it("pushes .statsd samples with counters and the request rates since the last sample", async () => {
    const withRates = await sse.next<StatsSample>(
      "stats",
      (s) => s.servers["name"] !== undefined && Object.keys(s.servers["name"].rates).length > 0,
    );
    const named = withRates.servers["name"];
    expect(named?.counters["Ntotal"]).toBeGreaterThan(0);
    expect(named?.rates["Nget"]).toBeGreaterThan(0); // the sampler's own read, at least
    const history = await w.api.get<StatsSample[]>("/api/stats");
    expect(history.body.length).toBeGreaterThanOrEqual(2);
    const ts = history.body.map((s) => s.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });
});
