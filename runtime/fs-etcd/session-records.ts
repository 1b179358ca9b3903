/**
 * Sessions of the etcd store (docs/named-etcd.md, "Sessions across failover"). Each session the
 * leader accepts gets an etcd lease of the session timeout and a record `s/<session>` under it
 * (the client id and a digest of the session key), written through the fenced committer. The
 * session's ephemeral objects live under the same lease, so one lease bounds both: when it runs
 * out (no leader kept it alive for a session timeout), etcd removes the record and the objects
 * together, even if no named runs at all.
 *
 * A new leader loads the records with the tree. A resume of a recorded session (same client,
 * same key) is taken back: this leader then keeps its lease alive as its own. Records of sessions
 * whose clients never come back are left to their leases.
 *
 * Ordering rule: a session's lease is revoked only after its record's put settled. A client that
 * exits right after its hello ends the session while that put may still be queued behind other
 * sessions' mutations; revoked first, etcd would refuse the put for its lease (and with it the
 * whole transaction it was grouped into).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Etcd3 } from "etcd3";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { logger } from "../log.js";
import { absent, put, type Plan } from "./committer.js";
import type { Keys } from "./keys.js";

const log = logger("fsetcd");

/** How long one keepalive round waits for etcd's answers before it gives up on them. */
const KEEPALIVE_WAIT_MS = 1000;

interface SessionRecord {
  client: bigint;
  digest: Buffer;
  lease: string;
}

interface RecordJson {
  c: string;
  k: string;
}

export interface SessionRecordsInit {
  client: Etcd3;
  keys: Keys;
  ttlSec: number;
  submit<T>(plan: () => Plan<T>): Promise<T>;
  /** A session this leader now keeps alive (opened, taken back, or its first ephemeral object). */
  onKept?(session: bigint): void;
  /** A kept session's lease is gone in etcd (it ran out before this leader took it back). */
  onLost?(session: bigint): void;
}

export class SessionRecords {
  readonly #o: SessionRecordsInit;
  /** Recorded sessions, loaded or written by this leader. */
  readonly #records = new Map<bigint, SessionRecord>();
  /** Sessions whose leases this leader keeps alive: their lease ids. */
  readonly #kept = new Map<bigint, Promise<string>>();
  /** The lease ids of kept sessions whose grants have answered. */
  readonly #leaseIds = new Map<bigint, string>();
  /** Opened sessions' record puts, settled or not (never rejecting): end() waits for them. */
  readonly #writes = new Map<bigint, Promise<void>>();
  #stopped = false;

  constructor(o: SessionRecordsInit) {
    this.#o = o;
  }

  get keptCount(): number {
    return this.#kept.size;
  }

  /** The lease id of a kept session, if granted by now. */
  leaseNow(id: bigint): string | undefined {
    return this.#leaseIds.get(id);
  }

  /** A record read while loading the tree. */
  loaded(key: Buffer, value: Buffer, lease: string): void {
    const id = this.#o.keys.sessionOf(key);
    if (id === undefined) return;
    try {
      const j = JSON.parse(value.toString()) as RecordJson;
      this.#records.set(id, {
        client: BigInt(`0x${j.c}`),
        digest: Buffer.from(j.k, "hex"),
        lease,
      });
    } catch (e) {
      log("session record %s unreadable, skipped: %s", key.toString(), String(e));
    }
  }

  /**
   * A new session: its lease, then its record under it. Resolves once the record committed (the
   * session's hello waits for that, so a session accepted is one the next leader can take back),
   * rejects if it did not.
   */
  open(id: bigint, client: bigint, key: Uint8Array): Promise<void> {
    const lease = this.lease(id);
    const digest = keyDigest(key);
    const committed = lease.then((l) => {
      const k = this.#o.keys.sess(id);
      const value = Buffer.from(
        JSON.stringify({ c: client.toString(16), k: digest.toString("hex") } as RecordJson),
      );
      return this.#o.submit((): Plan<void> => ({
        compares: [absent(k)],
        ops: [put(k, value, l)],
        keys: [k.toString()],
        apply: () => {
          this.#records.set(id, { client, digest, lease: l });
        },
      }));
    });
    const written = committed.catch((e: unknown) => {
      log("session %s: not recorded: %s", id.toString(16), String(e));
    });
    this.#writes.set(id, written);
    void written.then(() => {
      if (this.#writes.get(id) === written) this.#writes.delete(id);
    });
    return committed;
  }

  /** Takes back a recorded session if client and key match; its lease is kept from now on. */
  restore(id: bigint, client: bigint, key: Uint8Array): boolean {
    const r = this.#records.get(id);
    if (r === undefined || r.client !== client) return false;
    const digest = keyDigest(key);
    if (digest.length !== r.digest.length || !timingSafeEqual(digest, r.digest)) return false;
    if (this.#kept.has(id)) return true;
    this.#kept.set(id, Promise.resolve(r.lease));
    this.#leaseIds.set(id, r.lease);
    this.#o.onKept?.(id);
    // At once: a lease that ran out before this leader took the session back ends it.
    void this.#keepalive([[id, r.lease]]);
    log("session %s: taken back (lease %s)", id.toString(16), r.lease);
    return true;
  }

  /** The lease of a session, granted on first use and kept alive while the session lives. */
  lease(id: bigint): Promise<string> {
    let l = this.#kept.get(id);
    if (l === undefined) {
      l = this.#o.client.leaseClient
        .leaseGrant({ TTL: this.#o.ttlSec, ID: 0 })
        .then((res) => {
          if (this.#kept.get(id) === l) this.#leaseIds.set(id, res.ID);
          return res.ID;
        })
        .catch((e: unknown) => {
          // Not kept: the session's next ephemeral create asks etcd again.
          this.#kept.delete(id);
          throw new SigmaError(
            ErrCode.Unreachable,
            "etcd",
            `unreachable: etcd granted no lease for session ${id.toString(16)}: ${String(e)}`,
          );
        });
      this.#kept.set(id, l);
      this.#o.onKept?.(id);
    }
    return l;
  }

  /**
   * The session ended: its lease goes, and with it its record and what it still holds; after the
   * record's put settled (the ordering rule above).
   */
  end(id: bigint): void {
    const l = this.#kept.get(id);
    const written = this.#writes.get(id) ?? Promise.resolve();
    this.#writes.delete(id);
    this.#records.delete(id);
    this.#leaseIds.delete(id);
    if (l === undefined) return;
    this.#kept.delete(id);
    if (this.#stopped) return;
    // Revoked even if this leader stops meanwhile: the session did end (an end that stopping
    // causes comes after #stopped is set, and leaves the lease to the next leader).
    void written
      .then(() => {
        // A put that committed after the end recorded the session again, here.
        this.#records.delete(id);
        return l;
      })
      .then((ID) => this.#o.client.leaseClient.leaseRevoke({ ID }))
      .catch(() => undefined);
  }

  /** One keepalive of every kept lease. */
  keepAll(): void {
    if (this.#stopped || this.#kept.size === 0) return;
    void Promise.all(
      [...this.#kept].map(([id, p]) =>
        p.then(
          (l): [bigint, string] => [id, l],
          () => undefined,
        ),
      ),
    ).then((pairs) => this.#keepalive(pairs.filter((p): p is [bigint, string] => p !== undefined)));
  }

  /** Leases are left to run out: the next leader takes back the sessions that resume. */
  stop(): void {
    this.#stopped = true;
  }

  async #keepalive(pairs: [bigint, string][]): Promise<void> {
    if (pairs.length === 0) return;
    const waiting = new Map(pairs.map(([id, l]) => [l, id]));
    try {
      const stream = await this.#o.client.leaseClient.leaseKeepAlive();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, KEEPALIVE_WAIT_MS);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        stream.on("data", (res: { ID: string; TTL: string }) => {
          const id = waiting.get(res.ID);
          if (id === undefined) return;
          waiting.delete(res.ID);
          if (Number(res.TTL) <= 0) this.#lost(id);
          if (waiting.size === 0) done();
        });
        stream.on("error", (e: unknown) => {
          log("session lease keepalive failed: %s", String(e));
          done();
        });
        for (const [, l] of pairs) stream.write({ ID: l });
      });
      stream.end();
    } catch (e) {
      log("session lease keepalive failed: %s", String(e));
    }
  }

  #lost(id: bigint): void {
    if (this.#stopped || !this.#kept.has(id)) return;
    log("session %s: its lease is gone in etcd", id.toString(16));
    this.#kept.delete(id);
    this.#records.delete(id);
    this.#leaseIds.delete(id);
    this.#o.onLost?.(id);
  }
}

function keyDigest(key: Uint8Array): Buffer {
  return createHash("sha256").update(key).digest();
}
