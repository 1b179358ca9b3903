/**
 * A 100,000-entry directory in named: the console pages it without reading it whole, the pages
 * together list every entry exactly once in name order, and its live watch still reports one new
 * file. Its own file: filling the directory takes most of its time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import type { DirEvent, DirPage, HelloEvent } from "../../servers/console/index.js";
import { SseClient } from "./sse-client.js";
import { bytes, startWorld, type ConsoleWorld } from "./world.js";

const N = 100_000;
const DIR = "name/tmp/big";
const nameOf = (i: number) => `e${String(i).padStart(6, "0")}`;

let w: ConsoleWorld;

beforeAll(async () => {
  w = await startWorld({ maxPageEntries: 1000 });
  await w.fsl.mkDir(DIR);
  const empty = bytes("");
  let next = 0;
  // Many requests in flight on one session: the session layer pipelines them.
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (next < N) {
        const i = next++;
        await w.fsl.putFile(`${DIR}/${nameOf(i)}`, 0o777, Mode.OWRITE, empty);
      }
    }),
  );
}, 120_000);
afterAll(() => w?.close());

describe("a directory of 100,000 entries", () => {
  it("comes in exact pages: the first at once, all of them once each, in order", async () => {
    const first = await w.api.get<DirPage>("/api/dir", { path: DIR, limit: "1000" });
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e) => e.name)).toEqual(
      Array.from({ length: 1000 }, (_, i) => nameOf(i)),
    );
    let cursor = first.body.cursor;
    let count = first.body.entries.length;
    let last = first.body.entries[first.body.entries.length - 1]?.name ?? "";
    let inOrder = true;
    while (cursor !== null) {
      const r = await w.api.get<DirPage>("/api/dir", { path: DIR, limit: "1000", cursor });
      expect(r.status).toBe(200);
      for (const e of r.body.entries) {
        if (e.name <= last) inOrder = false;
        last = e.name;
      }
      count += r.body.entries.length;
      cursor = r.body.cursor;
    }
    expect(inOrder).toBe(true);
    expect(count).toBe(N);
    expect(last).toBe(nameOf(N - 1));
  }, 120_000);

  it("reports a new file in it over the event stream", async () => {
    const sse = await SseClient.open(new URL("/api/events", w.console.url).href);
    try {
      const { stream } = await sse.next<HelloEvent>("hello");
      const r = await w.api.send("POST", "/api/watch", { stream, path: DIR, on: true });
      expect(r.status).toBe(200);
      await w.fsl.putFile(`${DIR}/zz-new`, 0o777, Mode.OWRITE, bytes("!"));
      const ev = await sse.next<DirEvent>("dir", (e) => e.path === DIR);
      expect(ev.added.map((e) => e.name)).toEqual(["zz-new"]);
      expect(ev.removed).toEqual([]);
    } finally {
      sse.close();
    }
  }, 60_000);
});
