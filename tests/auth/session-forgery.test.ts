/**
 * A client forging another session's id (issue 15): mallory, authenticated as herself, sends a
 * Tdetach whose header names alice's session. The server applies nothing to alice's session,
 * closes mallory's connection as a protocol error, and alice goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeTdetach } from "../../generated/sigmap/codec.js";
import { ErrCode, Mode, MsgType } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { dial } from "../../runtime/net/netclnt.js";
import type { FileServer } from "../../runtime/protsrv/file-server.js";
import { codeOf, startAuthFileServer, type AuthServer } from "./servers.js";

/** The session key every raw hello of this file carries (the session layer requires one). */
const SESSION_KEY = new Uint8Array(16).fill(7);

let srv: AuthServer<FileServer>;
let alice: FsLib;

beforeAll(async () => {
  srv = await startAuthFileServer();
  alice = await srv.connect("alice");
  await alice.putFile("name/a", 0o600, Mode.OWRITE, new TextEncoder().encode("alice's"));
});
afterAll(async () => {
  await alice?.exit();
  await srv?.close();
});

describe("a forged session id in the header", () => {
  it("detaches nothing, closes the forger's connection, and alice goes on", async () => {
    const target = srv.server.sessions.sessions().find((s) => s.principal?.user === "alice");
    expect(target).toBeDefined();
    const conn = await dial(srv.addr, {
      client: 0x77n,
      session: 0x7777n,
      resume: false,
      sessionKey: SESSION_KEY,
      credentials: new TextEncoder().encode(srv.token("mallory")),
      onMessage: () => undefined,
    });
    conn.send(
      {
        header: {
          type: MsgType.Tdetach,
          tag: 1,
          client: target!.client,
          session: target!.id,
          seqno: 1n,
          received: { start: 0n, end: 0n },
          fence: { fenceid: { path: 0n, serverid: 0n }, epoch: 0n },
        },
        body: encodeTdetach({ propId: 0, leadId: 0 }),
        data: new Uint8Array(0),
      },
      true,
    );
    // The server closes it (its side logs a protocol error); the client sees the remote close.
    expect(await conn.closed).toBe("remote");
    const live = srv.server.sessions.sessions().map((s) => s.id);
    expect(live).toContain(target!.id);
    expect(new TextDecoder().decode(await alice.getFile("name/a"))).toBe("alice's");
    // And mallory's own session cannot read alice's file either.
    const mallory = await srv.connect("mallory");
    try {
      expect(await codeOf(mallory.getFile("name/a"))).toBe(ErrCode.Perm);
    } finally {
      await mallory.exit();
    }
  });
});
