/**
 * Exactly-once across failover (docs/named-etcd.md): the first mutation a request of a recorded
 * session makes also puts `d/<session>/<seqno>` (what it applied: the id of the object it
 * created, if any) under the session's lease, compared absent, in the same transaction. A new
 * leader loads these keys with the tree and answers a resent seqno from its key instead of
 * applying it again (the session server asks through its journal). Keys of seqnos the client has
 * acknowledged are deleted by the session's next transactions, once it holds TRIM_AT keys: the
 * lowest run of acknowledged ones in one range deletion, so most transactions carry no deletion
 * and a session holds about its window of unacknowledged mutations plus TRIM_AT; its lease's end
 * removes the rest.
 */
import { CompareTarget } from "etcd3";
import type { RequestTag } from "../request-tag.js";
import { absent, delRange, put, type Plan } from "./committer.js";
import type { Keys } from "./keys.js";

/** What a key records of an applied mutation. */
export interface Applied {
  created?: bigint;
}

/**
 * A session's keys past which its next mutation deletes acknowledged ones. One range deletion
 * takes them all (a run of seqnos), so this many mutations share one deletion: an operation per
 * mutation costs etcd time, and a group-committed transaction's room (etcd's 128 per side).
 */
const TRIM_AT = 8;

export class DedupKeys {
  readonly #keys: Keys;
  readonly #leaseOf: (session: bigint) => string | undefined;
  /** Keys in etcd, by session and seqno (loaded, and written by this leader). */
  readonly #live = new Map<bigint, Map<bigint, Applied>>();

  /** `leaseOf`: the session's lease id if this leader keeps it (else no key is written). */
  constructor(keys: Keys, leaseOf: (session: bigint) => string | undefined) {
    this.#keys = keys;
    this.#leaseOf = leaseOf;
  }

  /** Keys of one session now, for tests and the bound. */
  count(session: bigint): number {
    return this.#live.get(session)?.size ?? 0;
  }

  /** A key read while loading the tree. */
  loaded(key: Buffer, value: Buffer): void {
    const at = this.#keys.dedupOf(key);
    if (at === undefined) return;
    let applied: Applied = {};
    try {
      const j = JSON.parse(value.toString()) as { c?: string };
      if (j.c !== undefined) applied = { created: BigInt(`0x${j.c}`) };
    } catch {
      // Unreadable: still applied, with nothing to rebuild a reply from.
    }
    this.#entry(at.session).set(at.seqno, applied);
  }

  /** What the session's request `seqno` applied, if an earlier leader (or this one) recorded it. */
  applied(session: bigint, seqno: bigint): Applied | undefined {
    return this.#live.get(session)?.get(seqno);
  }

  /** The session ended: its keys go with its lease. */
  endSession(session: bigint): void {
    this.#live.delete(session);
  }

  /**
   * The plan with the request's dedup key (and deletions of acknowledged ones) added, if it is the
   * first mutation of request `tag` of a session whose lease this leader holds; else the plan.
   */
  tag<T>(plan: () => Plan<T>, tag: RequestTag | undefined): () => Plan<T> {
    if (tag === undefined || tag.claimed) return plan;
    const lease = this.#leaseOf(tag.session);
    if (lease === undefined) return plan;
    let mine = false;
    return () => {
      const p = plan();
      // Claimed by the first plan that holds (one refused at planning, e.g. Exists, wrote
      // nothing); planned again when it did not fit a batch, it keeps its key.
      if (!mine) {
        if (tag.claimed) return p;
        tag.claimed = mine = true;
      }
      const { session, seqno } = tag;
      const key = this.#keys.dedup(session, seqno);
      const created = createdId(p, this.#keys);
      const value = Buffer.from(
        JSON.stringify(created === undefined ? {} : { c: created.toString(16) }),
      );
      const trim = this.#trimRun(session, seqno, tag);
      const ops = [...p.ops, put(key, value, lease)];
      if (trim.length > 0) {
        // Only the run's keys exist in its range: the cache holds every key of the session.
        const first = this.#keys.dedup(session, trim[0]!);
        const last = this.#keys.dedup(session, trim[trim.length - 1]!);
        ops.push(delRange(first, Buffer.concat([last, Buffer.from([0])])));
      }
      return {
        ...(p.leased === undefined ? {} : { leased: p.leased }),
        compares: [...p.compares, absent(key)],
        // After the mutation's own writes: the committer reads back its first put.
        ops,
        // The session's own name too: etcd refuses a transaction whose range deletion covers a
        // key it puts, so two mutations of one session never share a transaction.
        keys: [...p.keys, key.toString(), this.#sessionName(session)],
        apply: (rev) => {
          const live = this.#entry(session);
          for (const s of trim) live.delete(s);
          live.set(seqno, created === undefined ? {} : { created });
          return p.apply(rev);
        },
      };
    };
  }

  /**
   * The keys the session's request `seqno` deletes: none while the session holds fewer than
   * TRIM_AT; else its lowest run of consecutive (among its keys) acknowledged seqnos below
   * `seqno`, so that the range holds no key to keep and not the request's own.
   */
  #trimRun(session: bigint, seqno: bigint, tag: RequestTag): bigint[] {
    const live = this.#live.get(session);
    if (live === undefined || live.size < TRIM_AT) return [];
    const below = [...live.keys()].filter((s) => s < seqno).sort((a, b) => (a < b ? -1 : 1));
    const run: bigint[] = [];
    for (const s of below) {
      if (tag.isAcked(s)) run.push(s);
      else if (run.length > 0) break;
    }
    return run;
  }

  #sessionName(session: bigint): string {
    const k = this.#keys.dedup(session, 0n).toString();
    return k.slice(0, k.length - 16);
  }

  #entry(session: bigint): Map<bigint, Applied> {
    let m = this.#live.get(session);
    if (m === undefined) {
      m = new Map();
      this.#live.set(session, m);
    }
    return m;
  }
}

/** The object a plan creates: the object key it compares absent. */
function createdId(p: Plan<unknown>, keys: Keys): bigint | undefined {
  for (const c of p.compares) {
    if (c.target === CompareTarget.Create && Number(c.create_revision) === 0 && c.key) {
      const id = keys.idOf(c.key);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}
