/**
 * A key's id: the first 8 bytes of SHA-256 over its raw 32-byte Ed25519 public key, as 16 hex
 * digits. Derived, never configured, so a token names the key that signed it and a server holding
 * several public keys (rotation) picks the one to check without trying each.
 */
import { Buffer } from "node:buffer";
import { createHash, createPublicKey, type KeyObject } from "node:crypto";

/** The id of an Ed25519 key (a private key's id is its public half's). */
export function keyId(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new TypeError(`not an Ed25519 key (${pub.asymmetricKeyType ?? "unknown type"})`);
  }
  const raw = Buffer.from(jwk.x, "base64url");
  return createHash("sha256").update(raw).digest("hex").slice(0, 16);
}
