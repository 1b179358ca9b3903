/**
 * Fuzzing verifyToken: random bytes, mutations of a good token, and signed payloads with random
 * fields. Whatever the input, verification never crashes and never accepts what it should not:
 * it returns a principal only for a well-formed, correctly signed, in-realm, in-time token, and
 * otherwise throws a TokenError whose reason an independent oracle predicts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  issueToken,
  TokenError,
  verifyToken,
  type TokenRefusal,
} from "../../runtime/auth/index.js";
import { newKey, ring, signPayload } from "./helpers.js";

const NOW = Date.UTC(2030, 0, 1);
const T = NOW / 1000;
const realm = "rootrealm";
const key = newKey();
const keys = ring(key);
const good = issueToken(key.privateKey, { user: "alice", realm, now: NOW });

/** The outcome: "ok" or the refusal's reason; anything but a TokenError fails the property. */
function outcome(token: Uint8Array | string): "ok" | TokenRefusal {
  try {
    verifyToken(token, keys, { realm, now: NOW });
    return "ok";
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    return e.reason;
  }
}

describe("token fuzzing", () => {
  it("random bytes are always refused, as a TokenError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expect(outcome(bytes)).not.toBe("ok");
      }),
      { numRuns: 2000 },
    );
  });

  it("random text after the version prefix is always refused", () => {
    const text = fc.string({ unit: "binary", maxLength: 400 });
    fc.assert(
      fc.property(text, (s) => {
        expect(outcome(`sgt1.${s}`)).not.toBe("ok");
      }),
      { numRuns: 2000 },
    );
  });

  it("every single-byte change, deletion or insertion in a good token is refused", () => {
    expect(outcome(good)).toBe("ok");
    const bytes = new TextEncoder().encode(good);
    const edit = fc.record({
      at: fc.nat({ max: bytes.length - 1 }),
      byte: fc.integer({ min: 0, max: 255 }),
      kind: fc.constantFrom("replace", "delete", "insert"),
    });
    fc.assert(
      fc.property(edit, ({ at, byte, kind }) => {
        const b = [...bytes];
        if (kind === "replace") {
          fc.pre(b[at] !== byte);
          b[at] = byte;
        } else if (kind === "delete") b.splice(at, 1);
        else b.splice(at, 0, byte);
        expect(outcome(Uint8Array.from(b))).not.toBe("ok");
      }),
      { numRuns: 3000 },
    );
  });

  it("signed payloads with random fields: accepted exactly when the oracle says so, else its reason", () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.nat(), { maxLength: 2 }),
    );
    const name = fc.constantFrom("alice", "bob@x", "a.b-c_d+e");
    const seconds = fc.oneof(
      fc.integer({ min: T - 7200, max: T + 7200 }),
      fc.constantFrom(T - 60, T + 60, T - 61, T + 61, 0, 2 ** 53, -1),
    );
    const fields = {
      kid: fc.oneof(
        { arbitrary: fc.constant(key.kid), weight: 4 },
        fc.constant("0123456789abcdef"),
        junk,
      ),
      user: fc.oneof({ arbitrary: name, weight: 4 }, junk),
      realm: fc.oneof({ arbitrary: fc.constant(realm), weight: 4 }, fc.constant("other"), junk),
      role: fc.oneof({ arbitrary: fc.constantFrom("admin", "user", "readonly"), weight: 4 }, junk),
      iat: fc.oneof({ arbitrary: seconds, weight: 4 }, junk),
      nbf: fc.oneof({ arbitrary: seconds, weight: 4 }, junk),
      exp: fc.oneof({ arbitrary: seconds, weight: 4 }, junk),
    };
    // A consistent validity window around NOW, so that every time verdict comes up often.
    const window = fc
      .tuple(
        fc.integer({ min: T - 7300, max: T + 7300 }),
        fc.nat(100),
        fc.integer({ min: 1, max: 3600 }),
      )
      .map(([iat, d, ttl]) => ({ iat, nbf: iat + d, exp: iat + d + ttl }));
    const full = fc
      .tuple(fc.record(fields), fc.option(window))
      .map(([r, w]) => (w === null ? r : { ...r, ...w }));
    const payload = fc.oneof(
      { arbitrary: full, weight: 4 },
      fc.record({ ...fields, extra: junk }, { requiredKeys: [] }),
    );
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(payload, (p) => {
        const want = oracle(p);
        seen.set(want, (seen.get(want) ?? 0) + 1);
        expect(outcome(signPayload(key, p))).toBe(want);
      }),
      { numRuns: 3000 },
    );
    // The property means something only if every outcome was exercised.
    for (const o of ["ok", "malformed", "unknown-key", "wrong-realm", "not-yet-valid", "expired"]) {
      expect(seen.get(o) ?? 0, o).toBeGreaterThan(10);
    }
  });
});

/** What verification must say about a payload signed with `key`, derived from the rules alone. */
function oracle(p: Record<string, unknown>): "ok" | TokenRefusal {
  const names = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
  const realms = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const secs = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const keysOk =
    Object.keys(p).sort().join() === ["exp", "iat", "kid", "nbf", "realm", "role", "user"].join();
  const shapeOk =
    keysOk &&
    typeof p.user === "string" &&
    names.test(p.user) &&
    typeof p.realm === "string" &&
    realms.test(p.realm) &&
    ["admin", "user", "readonly"].includes(p.role as string) &&
    typeof p.kid === "string" &&
    /^[0-9a-f]{16}$/.test(p.kid) &&
    secs(p.iat) &&
    secs(p.nbf) &&
    secs(p.exp) &&
    p.nbf < p.exp &&
    p.iat < p.exp;
  if (!shapeOk) return "malformed";
  if (p.kid !== key.kid) return "unknown-key";
  if (p.realm !== realm) return "wrong-realm";
  if (NOW < (p.nbf as number) * 1000 - 60_000) return "not-yet-valid";
  if (NOW >= (p.exp as number) * 1000 + 60_000) return "expired";
  return "ok";
}
