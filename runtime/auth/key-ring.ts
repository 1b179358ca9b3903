/**
 * The public keys a server accepts, by key id. Holding more than one is how keys rotate: add the
 * new key's `.pub` everywhere, start issuing with the new private key, and drop the old `.pub`
 * once the last token it signed has expired (docs/security.md).
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { keyId } from "./key-id.js";

export class KeyRing {
  readonly #byId = new Map<string, KeyObject>();

  /** Public Ed25519 keys; a private key contributes its public half. Other key types: TypeError. */
  constructor(keys: Iterable<KeyObject>) {
    for (const k of keys) {
      const pub = k.type === "private" ? createPublicKey(k) : k;
      if (pub.type !== "public" || pub.asymmetricKeyType !== "ed25519") {
        throw new TypeError(`not an Ed25519 public key (${pub.asymmetricKeyType ?? pub.type})`);
      }
      this.#byId.set(keyId(pub), pub);
    }
  }

  /** The key with this id, if held. */
  get(kid: string): KeyObject | undefined {
    return this.#byId.get(kid);
  }

  /** The ids held, sorted. */
  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }

  get size(): number {
    return this.#byId.size;
  }
}
