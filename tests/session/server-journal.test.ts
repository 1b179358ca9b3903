/**
 * The session journal (docs/session.md, "Resume on another server of a group"): a server with a
 * journal records the sessions it accepts, and another server sharing the journal takes a resume
 * of one only with its client id and key, and answers a resent seqno the journal says was applied
 * without running it. A server without a journal refuses such a resume (SessClosed), as before.
 * A journalled server answers a new session's hello only once the journal recorded it (a session
 * accepted is resumable), and refuses it (Unreachable) if the journal could not; a server without
 * one answers at once, with no promise on its path.
 */
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { encodeRwrite } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import type { SessionJournal } from "../../runtime/session/server/session-journal.js";
import { NO_DATA, type RawReply } from "../../runtime/contract/index.js";
import type { MessageConn } from "../../runtime/net/types.js";
import { createSessionService } from "../../runtime/session/server/session-service.js";
import { deferred } from "./server-handlers.js";
import { randomId, startHarness, type Harness } from "./server-harness.js";
import { netTransport } from "./server-net-transport.js";

/** A journal in memory, shared by the servers of one "group". */
function memoryJournal(): SessionJournal & { applied: Map<string, RawReply> } {
  const sessions = new Map<bigint, { client: bigint; key: string }>();
  const applied = new Map<string, RawReply>();
  return {
    applied,
    async opened(id, client, key) {
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

describe("a new session's hello with a journal", () => {
  it("is answered only once the journal recorded the session", async () => {
    const journal = memoryJournal();
    const gate = deferred();
    const recorded: bigint[] = [];
    const a = await startHarness(netTransport, {
      journal: {
        ...journal,
        async opened(id, client, key) {
          await gate.promise;
          await journal.opened(id, client, key);
          recorded.push(id);
        },
      },
    });
    harnesses.push(a);
    const connecting = a.connect();
    // An absence can only be watched for a while: no answer while the record is pending.
    const first = await Promise.race([
      connecting.then(() => "answered"),
      delay(300).then(() => "waiting"),
    ]);
    expect(first).toBe("waiting");
    expect(a.server.sessions()).toHaveLength(1);
    gate.resolve();
    const v = await connecting;
    expect(recorded).toEqual([v.session]);
    expect((await v.writeV(1n, "x")).header.type).toBe(MsgType.Rwrite);
  });

  it("is refused (Unreachable) when the journal could not record it; the session closes", async () => {
    const a = await startHarness(netTransport, {
      journal: {
        opened: () => Promise.reject(new Error("etcd is away")),
        restore: () => false,
      },
    });
    harnesses.push(a);
    const detached = a.nextDetach();
    const e: unknown = await a.connect().catch((err: unknown) => err);
    expect(e).toMatchObject({ code: ErrCode.Unreachable });
    expect(String(e)).toMatch(
      /session [0-9a-f]+ not created: its record did not become durable \(etcd is away\); try again/,
    );
    // As if detached: the journal's cleanup (onDetach) runs, and the session is gone.
    await detached;
    await expect.poll(() => a.server.sessions()).toEqual([]);
  });

  it("without a journal is answered at once: no promise on the path", () => {
    const conn: MessageConn = {
      remote: "127.0.0.1:1",
      maxFrame: 1 << 20,
      send: () => {},
      writable: () => Promise.resolve(),
      close: () => {},
      isClosed: false,
      closed: new Promise(() => {}),
    };
    const answer = (journal?: SessionJournal): unknown => {
      const service = createSessionService({
        dispatch: () => Promise.reject(new Error("no requests here")),
        ...(journal === undefined ? {} : { journal }),
      });
      const a = service.hooks.onHello(conn, {
        msize: 1 << 20,
        version: "sigmap",
        fingerprint: "",
        client: 1n,
        session: randomId(),
        resume: false,
        key: new Uint8Array(16),
        credentials: new Uint8Array(0),
      });
      service.shutdown();
      return a;
    };
    expect(answer()).toBeNull();
    expect(answer(memoryJournal())).toBeInstanceOf(Promise);
  });
});
