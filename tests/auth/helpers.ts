/** Keys and token surgery for the auth tests. */
import { Buffer } from "node:buffer";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { KeyRing, keyId } from "../../runtime/auth/index.js";

export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, kid: keyId(publicKey) };
}

export function ring(...keys: TestKey[]): KeyRing {
  return new KeyRing(keys.map((k) => k.publicKey));
}

/** A token with exactly this payload (any JSON), properly signed by `key`. */
export function signPayload(key: TestKey, payload: unknown, prefix = "sgt1."): string {
  const head = prefix + Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${head}.${sign(null, Buffer.from(head, "ascii"), key.privateKey).toString("base64url")}`;
}

/** The claims as issued, for building payloads field by field. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] as string;
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
