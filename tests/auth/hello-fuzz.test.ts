/**
 * Fuzzing the hello of a server with keys: random credentials bytes, byte-level mutations of a
 * good token, and correctly signed payloads with random fields. Each hello is refused with
 * Unauthorized (never another code, never a crash), no session is created, and the server keeps
 * serving a good client throughout.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { dial } from "../../runtime/net/netclnt.js";
import type { FileServer } from "../../runtime/protsrv/file-server.js";
import { claimsOf, signPayload } from "./helpers.js";
import { startAuthFileServer, type AuthServer } from "./servers.js";

/** The session key every raw hello of this file carries (the session layer requires one). */
const SESSION_KEY = new Uint8Array(16).fill(7);

let srv: AuthServer<FileServer>;
let session = 0x1000n;
let good: string;

beforeAll(async () => {
  srv = await startAuthFileServer();
  good = srv.token("alice");
});
afterAll(async () => {
  await srv?.close();
});

/** The code a hello with `credentials` is refused with; "accepted" if it was not. */
async function helloCode(credentials: Uint8Array): Promise<number | "accepted"> {
  try {
    const conn = await dial(srv.addr, {
      client: 3n,
      session: session++,
      resume: false,
      sessionKey: SESSION_KEY,
      credentials,
      onMessage: () => undefined,
    });
    conn.close("local");
    return "accepted";
  } catch (e) {
    if (isSigmaError(e)) return e.code;
    throw e;
  }
}

async function alwaysRefused(credentials: Uint8Array): Promise<void> {
  expect(await helloCode(credentials)).toBe(ErrCode.Unauthorized);
  expect(srv.server.sessions.sessions()).toHaveLength(0);
}

const runs = { numRuns: 60 };

describe("hello fuzzing", () => {
  it("random credentials bytes", async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), alwaysRefused), runs);
  });

  it("a good token with one to four bytes changed", async () => {
    const bytes = new TextEncoder().encode(good);
    const edit = fc.record({
      at: fc.nat({ max: bytes.length - 1 }),
      to: fc.integer({ min: 0, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const b = bytes.slice();
        for (const e of edits) b[e.at] = e.to;
        fc.pre(new TextDecoder().decode(b) !== good);
        await alwaysRefused(b);
      }),
      runs,
    );
  });

  it("signed payloads with random fields (realm, times, role, extra keys)", async () => {
    const base = claimsOf(good);
    const field = fc.oneof(
      fc.record({ realm: fc.string({ maxLength: 70 }).filter((r) => r !== "rootrealm") }),
      fc.record({ exp: fc.integer({ min: -1e10, max: Math.floor(Date.now() / 1000) - 3600 }) }),
      fc.record({ nbf: fc.integer({ min: Math.floor(Date.now() / 1000) + 3600, max: 1e11 }) }),
      fc.record({
        role: fc
          .string({ maxLength: 10 })
          .filter((r) => !["admin", "user", "readonly"].includes(r)),
      }),
      fc.record({ user: fc.oneof(fc.constant(""), fc.string({ minLength: 65, maxLength: 80 })) }),
      fc.record({ extra: fc.jsonValue() }),
    );
    await fc.assert(
      fc.asyncProperty(field, async (change) => {
        const token = signPayload(srv.key, { ...base, ...change });
        await alwaysRefused(new TextEncoder().encode(token));
      }),
      runs,
    );
  });

  it("the server serves a good client afterwards, and logged one line per refusal", async () => {
    const fsl = await srv.connect("alice");
    try {
      expect((await fsl.getDir("name/")).map((s) => s.name).sort()).toEqual([".fences", ".statsd"]);
    } finally {
      await fsl.exit();
    }
    expect(srv.refusals.length).toBeGreaterThanOrEqual(180);
    for (const line of srv.refusals)
      expect(line).toMatch(/^sesssrv: hello from \S+ refused: token refused: [a-z-]+/);
  });
});
