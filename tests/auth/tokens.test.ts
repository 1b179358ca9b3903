/** verifyToken: acceptance, each refusal with its reason, key rotation and the skew boundaries. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SKEW_MS,
  issueToken,
  KeyRing,
  MAX_TOKEN_BYTES,
  secretsEqual,
  TokenError,
  verifyToken,
  type TokenRefusal,
} from "../../runtime/auth/index.js";
import { claimsOf, newKey, ring, signPayload } from "./helpers.js";

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;
const realm = "rootrealm";

function refusal(fn: () => unknown): TokenRefusal {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError);
    return (e as TokenError).reason;
  }
  throw new Error("expected a refusal");
}

describe("verifyToken accepts", () => {
  it("a fresh token and returns its principal and claims", () => {
    const k = newKey();
    const t = issueToken(k.privateKey, { user: "alice", realm, role: "admin", now: NOW });
    expect(t.startsWith("sgt1.")).toBe(true);
    const v = verifyToken(t, ring(k), { realm, now: NOW });
    expect(v.principal).toEqual({ user: "alice", realm, role: "admin" });
    expect(v.claims).toEqual({
      user: "alice",
      realm,
      role: "admin",
      iat: NOW / 1000,
      nbf: NOW / 1000,
      exp: NOW / 1000 + 3600,
      kid: k.kid,
    });
  });

  it("the token as bytes, as Tattach's credentials carry it", () => {
    const k = newKey();
    const t = issueToken(k.privateKey, { user: "bob", realm, now: NOW });
    const v = verifyToken(new TextEncoder().encode(t), ring(k), { realm, now: NOW });
    expect(v.principal).toEqual({ user: "bob", realm, role: "user" });
  });
});

describe("verifyToken refuses", () => {
  const k = newKey();
  const keys = ring(k);
  const good = issueToken(k.privateKey, { user: "alice", realm, now: NOW });
  const opts = { realm, now: NOW };

  it("no token: missing", () => {
    for (const t of [undefined, null, "", new Uint8Array()]) {
      expect(refusal(() => verifyToken(t, keys, opts))).toBe("missing");
    }
  });

  it("text that is no token: malformed", () => {
    const cases = [
      "hello",
      "sgt1.",
      "sgt1.abc",
      "sgt1.a.b.c",
      "sgt2." + good.slice(5),
      good.replace("sgt1.", "SGT1."),
      good + "=",
      good.slice(0, -2), // signature too short
      `${good.split(".").slice(0, 2).join(".")}.${"A".repeat(87)}B`, // non-canonical base64url
      "sgt1." + "a".repeat(MAX_TOKEN_BYTES),
      good.replace(/\./g, " ."),
    ];
    for (const t of cases)
      expect(
        refusal(() => verifyToken(t, keys, opts)),
        t,
      ).toBe("malformed");
  });

  it("a signed payload that is not exactly the claims: malformed", () => {
    const c = claimsOf(good);
    const payloads: unknown[] = [
      [],
      "alice",
      null,
      { ...c, extra: 1 },
      { ...c, user: undefined },
      { ...c, user: "" },
      { ...c, user: "a/b" },
      { ...c, user: "x\u0000" },
      { ...c, user: "é" },
      { ...c, realm: 7 },
      { ...c, role: "root" },
      { ...c, kid: "ABC" },
      { ...c, iat: -1 },
      { ...c, nbf: 1.5 },
      { ...c, exp: "soon" },
      { ...c, exp: c.nbf },
      { ...c, exp: 2 ** 60 },
    ];
    for (const p of payloads) {
      expect(
        refusal(() => verifyToken(signPayload(k, p), keys, opts)),
        JSON.stringify(p),
      ).toBe("malformed");
    }
  });

  it("a key this server does not hold: unknown-key", () => {
    const other = newKey();
    const t = issueToken(other.privateKey, { user: "alice", realm, now: NOW });
    expect(refusal(() => verifyToken(t, keys, opts))).toBe("unknown-key");
    expect(refusal(() => verifyToken(t, new KeyRing([]), opts))).toBe("unknown-key");
  });

  it("a changed payload or a foreign signature under a held key id: bad-signature", () => {
    const [, payload, sig] = good.split(".") as [string, string, string];
    const c = claimsOf(good);
    const forged = Buffer.from(JSON.stringify({ ...c, role: "admin" })).toString("base64url");
    expect(refusal(() => verifyToken(`sgt1.${forged}.${sig}`, keys, opts))).toBe("bad-signature");
    // Signed by another key that claims this key's id.
    const mallory = newKey();
    const t = signPayload(mallory, { ...c, kid: k.kid });
    expect(refusal(() => verifyToken(t, keys, opts))).toBe("bad-signature");
    // One bit of the signature flipped (keeping it canonical: change a middle character).
    const s = [...sig];
    s[10] = s[10] === "A" ? "B" : "A";
    expect(refusal(() => verifyToken(`sgt1.${payload}.${s.join("")}`, keys, opts))).toBe(
      "bad-signature",
    );
  });

  it("a token for another realm: wrong-realm", () => {
    const t = issueToken(k.privateKey, { user: "alice", realm: "realm-b", now: NOW });
    const e = (() => {
      try {
        verifyToken(t, keys, opts);
      } catch (err) {
        return err as TokenError;
      }
      throw new Error("accepted");
    })();
    expect(e.reason).toBe("wrong-realm");
    expect(e.message).toBe(
      "token refused: wrong-realm (token for realm realm-b, this server serves rootrealm)",
    );
  });

  it("an expired or not-yet-valid token", () => {
    const t = issueToken(k.privateKey, { user: "alice", realm, ttlMs: HOUR, now: NOW });
    expect(refusal(() => verifyToken(t, keys, { realm, now: NOW + 2 * HOUR }))).toBe("expired");
    const later = issueToken(k.privateKey, {
      user: "alice",
      realm,
      notBefore: NOW + HOUR,
      now: NOW,
    });
    expect(refusal(() => verifyToken(later, keys, opts))).toBe("not-yet-valid");
    expect(verifyToken(later, keys, { realm, now: NOW + HOUR }).principal.user).toBe("alice");
  });

  it("the signature is checked before realm and times, so junk never learns them", () => {
    const c = claimsOf(good);
    const t = signPayload(newKey(), { ...c, kid: k.kid, realm: "x", exp: (c.iat as number) + 1 });
    expect(refusal(() => verifyToken(t, keys, { realm, now: NOW + 10 * HOUR }))).toBe(
      "bad-signature",
    );
  });
});

describe("clock skew", () => {
  const k = newKey();
  const keys = ring(k);
  const t = issueToken(k.privateKey, {
    user: "alice",
    realm,
    ttlMs: HOUR,
    notBefore: NOW,
    now: NOW,
  });
  const exp = NOW + HOUR;

  it("defaults to one minute each side, exactly at the boundary", () => {
    expect(DEFAULT_SKEW_MS).toBe(60_000);
    const at = (now: number): string => {
      try {
        verifyToken(t, keys, { realm, now });
        return "ok";
      } catch (e) {
        return (e as TokenError).reason;
      }
    };
    expect(at(NOW - DEFAULT_SKEW_MS - 1)).toBe("not-yet-valid");
    expect(at(NOW - DEFAULT_SKEW_MS)).toBe("ok");
    expect(at(exp + DEFAULT_SKEW_MS - 1)).toBe("ok");
    expect(at(exp + DEFAULT_SKEW_MS)).toBe("expired");
  });

  it("is configurable, down to none", () => {
    expect(refusal(() => verifyToken(t, keys, { realm, now: exp, skewMs: 0 }))).toBe("expired");
    expect(verifyToken(t, keys, { realm, now: exp - 1, skewMs: 0 }).principal.user).toBe("alice");
    expect(refusal(() => verifyToken(t, keys, { realm, now: NOW - 1, skewMs: 0 }))).toBe(
      "not-yet-valid",
    );
    expect(verifyToken(t, keys, { realm, now: exp + 4999, skewMs: 5000 }).claims.kid).toBe(k.kid);
  });

  it("a tolerance out of range is the caller's error, not an accepted token", () => {
    expect(() => verifyToken(t, keys, { realm, now: NOW, skewMs: -1 })).toThrow(RangeError);
    expect(() => verifyToken(t, keys, { realm, now: NOW, skewMs: 11 * 60_000 })).toThrow(
      RangeError,
    );
    expect(() => verifyToken(t, keys, { realm, now: NOW, skewMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("key rotation", () => {
  it("a server holding the old and new public keys accepts tokens of both; dropping the old refuses its tokens", () => {
    const old = newKey();
    const next = newKey();
    const tOld = issueToken(old.privateKey, { user: "alice", realm, now: NOW });
    const tNew = issueToken(next.privateKey, { user: "alice", realm, now: NOW });
    const both = ring(old, next);
    expect(both.ids()).toEqual([old.kid, next.kid].sort());
    expect(verifyToken(tOld, both, { realm, now: NOW }).claims.kid).toBe(old.kid);
    expect(verifyToken(tNew, both, { realm, now: NOW }).claims.kid).toBe(next.kid);
    const after = ring(next);
    expect(refusal(() => verifyToken(tOld, after, { realm, now: NOW }))).toBe("unknown-key");
    expect(verifyToken(tNew, after, { realm, now: NOW }).principal.user).toBe("alice");
  });

  it("a private key given to the ring contributes only its public half", () => {
    const k = newKey();
    const r = new KeyRing([k.privateKey]);
    expect(r.get(k.kid)?.type).toBe("public");
  });

  it("a key that is not Ed25519 is refused", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => new KeyRing([publicKey])).toThrow(/not an Ed25519 public key \(ec\)/);
  });
});

describe("issueToken", () => {
  const k = newKey();
  it("refuses names a token cannot carry, a bad role and a non-positive ttl", () => {
    expect(() => issueToken(k.privateKey, { user: "a/b", realm })).toThrow(RangeError);
    expect(() => issueToken(k.privateKey, { user: "alice", realm: "" })).toThrow(RangeError);
    // @ts-expect-error: the role is checked at run time too (the CLI passes text)
    expect(() => issueToken(k.privateKey, { user: "alice", realm, role: "root" })).toThrow(
      RangeError,
    );
    expect(() => issueToken(k.privateKey, { user: "alice", realm, ttlMs: 0 })).toThrow(RangeError);
    expect(() => issueToken(k.publicKey, { user: "alice", realm })).toThrow(TypeError);
  });

  it("rounds the lifetime up to whole seconds", () => {
    const t = issueToken(k.privateKey, { user: "alice", realm, ttlMs: 1500, now: NOW });
    const c = claimsOf(t);
    expect((c.exp as number) - (c.nbf as number)).toBe(2);
  });
});

describe("secretsEqual", () => {
  it("compares content, whatever the lengths", () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(secretsEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(secretsEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(secretsEqual(a, new Uint8Array([1, 2]))).toBe(false);
    expect(secretsEqual(new Uint8Array(), new Uint8Array())).toBe(true);
  });
});
