/**
 * The one writer of the etcd store: every mutation becomes compares and operations in one etcd
 * transaction that also compares the leader's fence (the create revision of its election key),
 * so that a deposed leader writes nothing. Independent mutations queued while a transaction is in
 * flight are grouped into the next transaction (group commit): etcd commits one Raft entry per
 * transaction, so this is what lets throughput grow with concurrency.
 *
 * A mutation is planned against the cache when its batch is built, after every earlier batch
 * was applied, so that it sees their effects; it is applied to the cache only after its
 * transaction committed, so readers never see uncommitted state. Two mutations touching one key
 * never share a batch (etcd refuses a key twice in one transaction, and the second must see the
 * first's result).
 *
 * Every transaction also puts `<prefix>writer` (keys.ts) to the fence revision it compares, so
 * that whoever watches the prefix can tell which leader's term wrote each etcd revision (an audit,
 * and tests/named-etcd/failover-under-load, which checks that a deposed leader wrote none).
 *
 * Only the fenced leader writes, so the cache is exact and a compare can only fail if this
 * replica was deposed (or, a bug, the cache diverged). A transaction refused, or whose outcome
 * stays unknown after it was sent again (see #send), leaves the cache possibly inexact: the store
 * is then deposed for good, and a new leader (maybe this process again) rebuilds it from etcd.
 * etcd3's own retry policy is off on this client (etcd-client.ts): it re-ran transactions that
 * had committed but timed out, blindly.
 */
import type { Etcd3, ICompare, IRequestOp, ITxnRequest } from "etcd3";
import { CompareResult, CompareTarget } from "etcd3";
import { FAILPOINTS } from "../failpoints.js";

/** One mutation's part of a transaction. */
export interface Plan<T> {
  compares: ICompare[];
  ops: IRequestOp[];
  /** Every key compared or written: a batch holds each key once. */
  keys: string[];
  /** Applies the committed mutation to the cache at etcd revision `rev`; its result is the reply. */
  apply(rev: string): T;
}

interface Pending {
  plan: () => Plan<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/**
 * etcd's default limit of operations per transaction is 128; the fence takes one compare, the
 * writer mark one put.
 */
const MAX_OPS = 120;
/** Sendings of one transaction whose outcome stays unknown before the store gives up. */
const SEND_ATTEMPTS = 6;
/**
 * One sending's deadline: etcd without a quorum holds a request for seconds; past this the
 * outcome counts as unknown and the transaction is sent again.
 */
const SEND_TIMEOUT_MS = 2000;

export class Committer {
  readonly #client: Etcd3;
  readonly #fence: ICompare;
  /** The put of the writer mark every transaction ends with. */
  readonly #mark: IRequestOp;
  readonly #markKey: Buffer;
  readonly #onFail: (why: string, cause: unknown) => Error;
  #queue: Pending[] = [];
  /** The callers of the transaction being sent. */
  #inFlight: Pending[] = [];
  #running = false;
  #failed: Error | undefined;
  /** Transactions committed and mutations in them (for tests and benchmarks). */
  txns = 0;
  mutations = 0;
  /** Transactions whose first sending committed though its answer was lost. */
  resent = 0;

  /**
   * `writerKey`: where each transaction marks its fence revision; `onFail` deposes the store
   * and returns the error every pending and later mutation gets.
   */
  constructor(
    client: Etcd3,
    leaderKey: Buffer,
    writerKey: Buffer,
    fenceRev: string,
    onFail: (why: string, cause: unknown) => Error,
  ) {
    this.#client = client;
    this.#fence = {
      key: leaderKey,
      target: CompareTarget.Create,
      result: CompareResult.Equal,
      create_revision: fenceRev,
    };
    this.#markKey = writerKey;
    this.#mark = put(writerKey, Buffer.from(fenceRev), "0");
    this.#onFail = onFail;
  }

  submit<T>(plan: () => Plan<T>): Promise<T> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ plan, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#running) void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0 && this.#failed === undefined) await this.#commitOne();
    } finally {
      this.#running = false;
    }
  }

  async #commitOne(): Promise<void> {
    const batch: { p: Pending; plan: Plan<unknown> }[] = [];
    const keys = new Set<string>();
    let ops = 0;
    while (this.#queue.length > 0) {
      const p = this.#queue[0]!;
      let plan: Plan<unknown>;
      try {
        plan = p.plan();
      } catch (e) {
        this.#queue.shift();
        p.reject(e);
        continue;
      }
      const size = plan.ops.length + plan.compares.length;
      const clash = plan.keys.some((k) => keys.has(k));
      // The first mutation always goes, however large; the others only if they fit and clash not.
      if (batch.length > 0 && (clash || ops + size > MAX_OPS)) break;
      this.#queue.shift();
      for (const k of plan.keys) keys.add(k);
      ops += size;
      batch.push({ p, plan });
    }
    if (batch.length === 0) return;
    if (batch.every((b) => b.plan.ops.length === 0 && b.plan.compares.length === 0)) {
      // Nothing to write (a rename onto itself, an expiry already applied): no transaction.
      for (const b of batch) this.#settle(b, "0");
      return;
    }
    const req = {
      compare: [
        ...(FAILPOINTS["fence-off"] ? [] : [this.#fence]),
        ...batch.flatMap((b) => b.plan.compares),
      ],
      // The mark goes last: a transaction sent again is read back by its first put.
      success: [...batch.flatMap((b) => b.plan.ops), this.#mark],
      failure: [],
    };
    let rev: string | undefined;
    this.#inFlight = batch.map((b) => b.p);
    try {
      rev = await this.#send(req);
    } catch (e) {
      this.#fail(batch, "etcd transaction outcome unknown", e);
      return;
    } finally {
      this.#inFlight = [];
    }
    if (this.#failed !== undefined) {
      // Stopped meanwhile: its callers were answered already; the cache is not the store's any more.
      return;
    }
    if (rev === undefined) {
      this.#fail(batch, "etcd transaction refused: fenced (deposed) or cache diverged", undefined);
      return;
    }
    this.txns++;
    this.mutations += batch.length;
    for (const b of batch) this.#settle(b, rev);
  }

  #settle(b: { p: Pending; plan: Plan<unknown> }, rev: string): void {
    try {
      b.p.resolve(b.plan.apply(rev));
    } catch (e) {
      b.p.reject(e);
    }
  }

  /**
   * Sends the transaction; resolves its revision, or undefined if its compares failed. An RPC
   * error (an etcd member down, a timeout) leaves the outcome unknown, so it is sent again, which
   * is safe: every mutation compares a key its own commit changes (a mod revision, an absent
   * key), so a transaction that had committed fails its compares when sent again. That failure
   * is then told apart from a real refusal by reading back, at one revision, the fence and the
   * first key the transaction wrote: still our fence and our value means it had committed (only
   * the fenced leader writes), at that key's mod revision.
   */
  async #send(req: ITxnRequest): Promise<string | undefined> {
    let resent = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.#client.kv.txn(req, {
          deadline: new Date(Date.now() + SEND_TIMEOUT_MS),
        });
        if (res.succeeded) return res.header.revision;
        return resent ? await this.#committedEarlier(req) : undefined;
      } catch (e) {
        if (attempt >= SEND_ATTEMPTS) throw e;
        resent = true;
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
  }

  async #committedEarlier(req: ITxnRequest): Promise<string | undefined> {
    // Not the writer mark: every transaction of this leader puts the same value there.
    const first = req.success?.find(
      (op) => op.request_put?.key !== undefined && !this.#markKey.equals(op.request_put.key),
    )?.request_put;
    if (first?.key === undefined || first.value === undefined) return undefined;
    const res = await this.#client.kv.txn({
      compare: [],
      success: [{ request_range: { key: this.#fence.key } }, { request_range: { key: first.key } }],
      failure: [],
    });
    const leader = res.responses[0]?.response_range.kvs[0];
    const kv = res.responses[1]?.response_range.kvs[0];
    if (leader === undefined || leader.create_revision !== String(this.#fence.create_revision)) {
      return undefined;
    }
    if (kv === undefined || !kv.value.equals(first.value)) return undefined;
    this.resent++;
    return kv.mod_revision;
  }

  #fail(batch: { p: Pending }[], why: string, cause: unknown): void {
    const err = this.#onFail(why, cause);
    this.#failed = err;
    for (const b of batch) b.p.reject(err);
    for (const p of this.#queue.splice(0)) p.reject(err);
  }

  /** Refuses everything from now on (the store was deposed another way). */
  stop(err: Error): void {
    if (this.#failed !== undefined) return;
    this.#failed = err;
    // A transaction in flight may still commit: its callers learn only that it may have.
    for (const p of this.#inFlight) p.reject(err);
    for (const p of this.#queue.splice(0)) p.reject(err);
  }
}

/** A compare that `key`'s mod revision is still `rev`. */
export function unchanged(key: Buffer, rev: string): ICompare {
  return { key, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: rev };
}

/** A compare that `key` does not exist. */
export function absent(key: Buffer): ICompare {
  return { key, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 };
}

export function put(key: Buffer, value: Buffer, lease: string): IRequestOp {
  return { request_put: { key, value, lease } };
}

export function del(key: Buffer): IRequestOp {
  return { request_delete_range: { key } };
}
