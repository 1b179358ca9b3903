/**
 * Random identities (spec 3.1): one client id per process, a fresh session id per session. Both
 * avoid 0 (server-internal) and all-ones (NoSession), which the protocol reserves.
 */
import { randomFillSync } from "node:crypto";

const ALL_ONES = 0xffff_ffff_ffff_ffffn;

/** A random u64 that is neither 0 nor all-ones. */
export function randomId(): bigint {
  const words = new BigUint64Array(1);
  for (;;) {
    randomFillSync(words);
    const id = words[0]!;
    if (id !== 0n && id !== ALL_ONES) return id;
  }
}

/** A new session's id. */
export function randomSessionId(): bigint {
  return randomId();
}

let processClient: bigint | undefined;

/** This process's client id, drawn on first use. */
export function processClientId(): bigint {
  processClient ??= randomId();
  return processClient;
}
