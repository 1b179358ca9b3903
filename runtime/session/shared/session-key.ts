/**
 * The session key: a secret the client draws when it creates a session and sends in every hello
 * of it. A session id is not secret (it travels in every header and may be seen or guessed), so
 * binding a connection to a live session takes the key as well; without it anyone who learnt an
 * id could take the session over, or end it with a resume and a Tdetach.
 */
import { randomBytes } from "node:crypto";
import { secretsEqual } from "../../auth/secrets-equal.js";

/** 128 bits: beyond guessing. */
export const SESSION_KEY_BYTES = 16;
/** The longest key a server stores; a longer one is refused rather than kept. */
export const MAX_SESSION_KEY_BYTES = 64;

export function randomSessionKey(): Uint8Array {
  return new Uint8Array(randomBytes(SESSION_KEY_BYTES));
}

/** Whether `key` may create a session: at least 128 bits, and not so long that storing it costs. */
export function validSessionKey(key: Uint8Array | undefined): key is Uint8Array {
  return (
    key !== undefined && key.length >= SESSION_KEY_BYTES && key.length <= MAX_SESSION_KEY_BYTES
  );
}

/** Constant time (docs/security.md): neither the length nor the content shows in the time. */
export function sameSessionKey(stored: Uint8Array, offered: Uint8Array | undefined): boolean {
  return secretsEqual(stored, offered ?? new Uint8Array(0));
}
