/**
 * The session journal (docs/session.md, "Resume on another server of a group"): a server with a
 * journal records the sessions it accepts, and another server sharing the journal takes a resume
 * of one only with its client id and key, and answers a resent seqno the journal says was applied
 * without running it. A server without a journal refuses such a resume (SessClosed), as before.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encodeRwrite } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import type { SessionJournal } from "../../runtime/session/server/session-journal.js";
import { NO_DATA, type RawReply } from "../../runtime/contract/index.js";
import { startHarness, type Harness } from "./server-harness.js";
import { netTransport } from "./server-net-transport.js";

/** A journal in memory, shared by the servers of one "group". */
function memoryJournal(): SessionJournal & { applied: Map<string, RawReply> } {
  const sessions = new Map<bigint, { client: bigint; key: string }>();
  const applied = new Map<string, RawReply>();
  return {
    applied,
    opened(id, client, key) {
      sessions.set(id, { client, key: Buffer.from(key).toString("hex") });
    },
    restore(id, client, key) {
      const s = sessions.get(id);
      return s !== undefined && s.client === client && s.key === Buffer.from(key).toString("hex");
    },
    replayed: (id, seqno) => applied.get(`${id}/${seqno}`),
  };
}

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.server.close()));
});

async function group(journal: SessionJournal | undefined): Promise<[Harness, Harness]> {
  const opts = journal === undefined ? {} : { journal };
  const a = await startHarness(netTransport, opts);
  const b = await startHarness(netTransport, opts);
  harnesses.push(a, b);
  return [a, b];
}

describe("the session journal", () => {
  it("another server of the group takes back a resume with the session's key", async () => {
    const [a, b] = await group(memoryJournal());
    const v = await a.connect();
    expect((await v.writeV(1n, "x")).header.type).toBe(MsgType.Rwrite);
    const again = await b.connect({
      client: v.client,
      session: v.session,
      resume: true,
      key: v.key,
    });
    expect((await again.writeV(2n, "y")).header.type).toBe(MsgType.Rwrite);
    expect(b.handlers.logs.get(v.session)).toEqual(["y"]);
    expect(b.server.sessions().map((s) => s.id)).toEqual([v.session]);
  });

  it("refuses a resume with another key or client id (SessClosed)", async () => {
    const [a, b] = await group(memoryJournal());
    const v = await a.connect();
    const wrong = v.key.map((x, i) => (i === 0 ? x ^ 1 : x));
    for (const c of [
      { client: v.client, key: wrong },
      { client: v.client + 1n, key: v.key },
    ]) {
      const e: unknown = await b
        .connect({ ...c, session: v.session, resume: true })
        .catch((err: unknown) => err);
      expect(e).toMatchObject({ code: ErrCode.SessClosed });
    }
    expect(b.server.sessions()).toEqual([]);
  });

  it("answers a resent seqno the journal says was applied, without running it", async () => {
    const journal = memoryJournal();
    const [a, b] = await group(journal);
    const v = await a.connect();
    const again = await b.connect({
      client: v.client,
      session: v.session,
      resume: true,
      key: v.key,
    });
    journal.applied.set(`${v.session}/5`, {
      type: MsgType.Rwrite,
      body: encodeRwrite({ count: 42 }),
      data: NO_DATA,
    });
    const r = await again.writeV(5n, "never run");
    expect(r.header.type).toBe(MsgType.Rwrite);
    expect(r.body).toEqual([42]);
    expect(b.handlers.logs.get(v.session) ?? []).toEqual([]);
    expect(b.server.stats().duplicatesSuppressed).toBe(1);
  });

  it("without a journal, a resume of another server's session is refused as before", async () => {
    const [a, b] = await group(undefined);
    const v = await a.connect();
    const e: unknown = await b
      .connect({ client: v.client, session: v.session, resume: true, key: v.key })
      .catch((err: unknown) => err);
    expect(e).toMatchObject({ code: ErrCode.SessClosed });
  });
});
