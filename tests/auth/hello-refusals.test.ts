/**
 * The hello of a server with keys (docs/security.md, "Where the token travels"): each refusal
 * is Unauthorized naming its reason, creates no session, and is one line in the server's log
 * that never holds the token's text. A good token binds the session to its principal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { issueToken, type TokenRefusal } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isSigmaError, type SigmaError } from "../../runtime/errors/index.js";
import { dial } from "../../runtime/net/netclnt.js";
import type { FileServer } from "../../runtime/protsrv/file-server.js";
import { claimsOf, newKey, signPayload } from "./helpers.js";
import { codeOf, REALM, startAuthFileServer, type AuthServer } from "./servers.js";

/** The session key every raw hello of this file carries (the session layer requires one). */
const SESSION_KEY = new Uint8Array(16).fill(7);

let srv: AuthServer<FileServer>;
let nextSession = 0x100n;

beforeAll(async () => {
  srv = await startAuthFileServer();
});
afterAll(async () => {
  await srv?.close();
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Dials with `credentials`; the refusal, or null after closing an accepted connection. */
async function hello(credentials: Uint8Array, session = nextSession++): Promise<SigmaError | null> {
  try {
    const conn = await dial(srv.addr, {
      client: 7n,
      session,
      resume: false,
      sessionKey: SESSION_KEY,
      credentials,
      onMessage: () => undefined,
    });
    conn.close("local");
    return null;
  } catch (e) {
    if (isSigmaError(e)) return e;
    throw e;
  }
}

async function expectRefused(token: string, reason: TokenRefusal): Promise<void> {
  const before = srv.server.sessions.sessions().length;
  const lines = srv.refusals.length;
  const err = await hello(enc(token));
  expect(err?.code).toBe(ErrCode.Unauthorized);
  expect(err?.obj).toBe(reason);
  expect(err?.message).toContain(`token refused: ${reason}`);
  expect(srv.server.sessions.sessions()).toHaveLength(before);
  expect(srv.refusals.slice(lines)).toHaveLength(1);
  const line = srv.refusals[lines]!;
  expect(line).toMatch(/^sesssrv: hello from 127\.0\.0\.1:\d+ refused: token refused: /);
  if (token.length > 8) expect(line).not.toContain(token.slice(5, 40));
}

describe("a server with keys refuses a hello", () => {
  it("without a token (missing)", async () => {
    await expectRefused("", "missing");
  });

  it("with junk (malformed)", async () => {
    await expectRefused("sgt1.not-a-token", "malformed");
  });

  it("with a token signed by a key it does not hold (unknown-key)", async () => {
    const other = newKey();
    await expectRefused(
      issueToken(other.privateKey, { user: "alice", realm: REALM }),
      "unknown-key",
    );
  });

  it("with a token whose signature does not match (bad-signature)", async () => {
    const good = srv.token("alice");
    const claims = claimsOf(good);
    const forged = signPayload(newKey(), { ...claims, kid: srv.key.kid });
    await expectRefused(forged, "bad-signature");
  });

  it("with a token of another realm (wrong-realm)", async () => {
    await expectRefused(srv.token("alice", { realm: "otherrealm" }), "wrong-realm");
  });

  it("with a token not valid yet (not-yet-valid)", async () => {
    await expectRefused(srv.token("alice", { notBefore: Date.now() + 3_600_000 }), "not-yet-valid");
  });

  it("with an expired token (expired)", async () => {
    const issued = Date.now() - 3 * 3_600_000;
    await expectRefused(srv.token("alice", { now: issued, ttlMs: 3_600_000 }), "expired");
  });

  it("from FsLib.connect without a token: the connect fails with Unauthorized", async () => {
    const before = srv.server.sessions.sessions().length;
    expect(await codeOf(FsLib.connect({ named: srv.addr, localIp: "127.0.0.1" }))).toBe(
      ErrCode.Unauthorized,
    );
    expect(srv.server.sessions.sessions()).toHaveLength(before);
  });
});

describe("a good token", () => {
  it("binds the session to its principal, and the client's uname defaults to the user", async () => {
    const fsl = await srv.connect("alice");
    try {
      expect(fsl.uname).toBe("alice");
      const mine = srv.server.sessions.sessions().filter((s) => s.principal?.user === "alice");
      expect(mine).toHaveLength(1);
      expect(mine[0]!.principal).toEqual({ user: "alice", realm: REALM, role: "user" });
    } finally {
      await fsl.exit();
    }
  });

  it("with a uname other than its user: the attach is Unauthorized", async () => {
    const err = await codeOf(
      FsLib.connect({
        named: srv.addr,
        localIp: "127.0.0.1",
        token: srv.token("alice"),
        uname: "root",
      }),
    );
    expect(err).toBe(ErrCode.Unauthorized);
  });

  it("cannot resume a session of another user", async () => {
    const session = nextSession++;
    const alice = await dial(srv.addr, {
      client: 9n,
      session,
      resume: false,
      sessionKey: SESSION_KEY,
      credentials: enc(srv.token("alice")),
      onMessage: () => undefined,
    });
    try {
      const lines = srv.refusals.length;
      let err: unknown = null;
      try {
        (
          await dial(srv.addr, {
            client: 9n,
            session,
            resume: true,
            sessionKey: SESSION_KEY,
            credentials: enc(srv.token("mallory")),
            onMessage: () => undefined,
          })
        ).close("local");
      } catch (e) {
        err = e;
      }
      expect(isSigmaError(err) && err.code).toBe(ErrCode.Unauthorized);
      expect(isSigmaError(err) && err.obj).toBe("other-user");
      expect(srv.refusals.length).toBe(lines + 1);
      expect(alice.isClosed).toBe(false);
    } finally {
      alice.close("local");
    }
  });

  it("can resume its own session with a fresh token", async () => {
    const session = nextSession++;
    const first = await dial(srv.addr, {
      client: 11n,
      session,
      resume: false,
      sessionKey: SESSION_KEY,
      credentials: enc(srv.token("bob")),
      onMessage: () => undefined,
    });
    first.close("local");
    const again = await dial(srv.addr, {
      client: 11n,
      session,
      resume: true,
      sessionKey: SESSION_KEY,
      credentials: enc(srv.token("bob", { ttlMs: 120_000 })),
      onMessage: () => undefined,
    });
    again.close("local");
    expect(again.isClosed).toBe(true);
  });
});
