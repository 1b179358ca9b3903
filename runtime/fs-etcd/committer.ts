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
 * Only the fenced leader writes, so the cache is exact, and a compare can only fail if this
 * replica was deposed, if a session lease's end deleted a key before the store's watch told the
 * cache, or (a bug) if the cache diverged. A transaction refused, or whose outcome stays unknown
 * after it was sent again (see #send), leaves the cache possibly inexact: the store is then
 * deposed for good, and a new leader (maybe this process again) rebuilds it from etcd. Except
 * two refusals of a first sending, which come from a lease's end and applied nothing: the
 * mutations concerned fail and the rest of the batch is sent again (docs/named-etcd.md, the
 * refusal rules). "requested lease not found": the mutations putting under a gone lease fail
 * with SessClosed (#leaseGone). A compare on a leased key etcd deleted: those mutations fail with
 * Notfound (#leaseDeleted).
 *
 * etcd3's own retry policy is off on this client (etcd-client.ts): it re-ran transactions that
 * had committed but timed out, blindly.
 */
import type { Etcd3, ICompare, IRequestOp, ITxnRequest } from "etcd3";
import { CompareResult, CompareTarget, EtcdLeaseInvalidError } from "etcd3";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { FAILPOINTS } from "../failpoints.js";
import { logger } from "../log.js";

const log = logger("fsetcd");

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

interface Planned {
  p: Pending;
  plan: Plan<unknown>;
}

/**
 * A sending's outcome: committed at a revision; its first sending's compares failed ("refused")
 * or a lease of its was gone ("lease-gone"), nothing applied either way; or a sending again
 * refused without the first having committed ("refused-again").
 */
type Sent = { rev: string } | "refused" | "lease-gone" | "refused-again";

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
  /** Mutations failed (SessClosed) because etcd refused a lease of theirs as gone. */
  leaseRefusals = 0;
  /** Mutations failed (Notfound) because a key they compared had gone with its lease. */
  leaseRemoved = 0;

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
    const batch: Planned[] = [];
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
    let sent: Sent;
    this.#inFlight = batch.map((b) => b.p);
    try {
      sent = await this.#send(req);
      // Its callers stay in flight while etcd is asked: a stop() meanwhile answers them.
      if (sent === "lease-gone" && this.#failed === undefined) {
        await this.#leaseGone(batch);
        return;
      }
      if (sent === "refused" && this.#failed === undefined) {
        await this.#leaseDeleted(batch);
        return;
      }
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
    if (typeof sent === "string") {
      this.#fail(batch, "etcd transaction refused: fenced (deposed) or cache diverged", undefined);
      return;
    }
    this.txns++;
    this.mutations += batch.length;
    for (const b of batch) this.#settle(b, sent.rev);
  }

  /**
   * etcd refused the batch's first sending for a lease it does not know: nothing was applied, and
   * the cache is still exact. The leases the batch puts under are asked for (TTL -1: gone); each
   * mutation using one fails with SessClosed, its session being over (the object it writes goes
   * with that lease; the watch then brings the cache along). The others go back to the head of
   * the queue, in order, to be planned and sent again. If etcd cannot say, or names no lease
   * gone, the refusal is not understood and the store is deposed as for any other.
   */
  async #leaseGone(batch: Planned[]): Promise<void> {
    const leases = new Set(batch.flatMap((b) => leasesOf(b.plan)));
    const gone = new Set<string>();
    try {
      await Promise.all(
        [...leases].map(async (ID) => {
          const res = await this.#client.leaseClient.leaseTimeToLive(
            { ID },
            { deadline: new Date(Date.now() + SEND_TIMEOUT_MS) },
          );
          if (Number(res.TTL) < 0) gone.add(ID);
        }),
      );
    } catch (e) {
      if (this.#failed === undefined) {
        this.#fail(batch, "etcd refused a lease and could not say which one is gone", e);
      }
      return;
    }
    if (this.#failed !== undefined) return;
    if (gone.size === 0) {
      this.#fail(
        batch,
        "etcd refused a lease, yet every lease of the transaction lives",
        undefined,
      );
      return;
    }
    const again: Pending[] = [];
    for (const b of batch) {
      const used = leasesOf(b.plan).find((l) => gone.has(l));
      if (used === undefined) {
        again.push(b.p);
        continue;
      }
      this.leaseRefusals++;
      b.p.reject(
        new SigmaError(
          ErrCode.SessClosed,
          `lease ${used}`,
          `session closed: the session of etcd lease ${used} ended (etcd holds the lease no more)`,
        ),
      );
    }
    log(
      "etcd lease %s gone: %d mutations refused",
      [...gone].join(","),
      batch.length - again.length,
    );
    this.#queue.unshift(...again);
  }

  /**
   * etcd refused the batch's first sending: a compare failed, nothing was applied. Only the
   * fenced leader writes, so the cache is exact but for keys etcd deleted on its own, with a
   * session lease that ended or ran out, before the store's watch brought that to the cache (a
   * write to a taken-back session's ephemeral file as that session ends). The compared keys are
   * read back: if the fence is still ours and each compare failing now expected a key at a
   * revision that is now absent and that the mutation puts under a lease (so the cache knows it
   * lives under one), those mutations fail with Notfound (their object went with its lease; the
   * watch removes it from the cache) and the rest go back to the head of the queue. Anything
   * else (the fence gone, a key that exists where the cache has none, a revision moved, a key
   * under no lease gone, a leased key the mutation only deletes) is deposition or a diverged
   * cache, and the store is deposed.
   */
  async #leaseDeleted(batch: Planned[]): Promise<void> {
    const compares = [this.#fence, ...batch.flatMap((b) => b.plan.compares)];
    const keys = [...new Map(compares.map((c) => [hexOf(c.key), c.key])).values()];
    let now: Map<string, { mod: string; create: string }>;
    try {
      const res = await this.#client.kv.txn(
        {
          compare: [],
          success: keys.map((key) => ({ request_range: { key } })),
          failure: [],
        },
        { deadline: new Date(Date.now() + SEND_TIMEOUT_MS) },
      );
      now = new Map();
      for (const r of res.responses) {
        const kv = r.response_range?.kvs[0];
        if (kv !== undefined) {
          now.set(kv.key.toString("hex"), { mod: kv.mod_revision, create: kv.create_revision });
        }
      }
    } catch (e) {
      if (this.#failed === undefined) {
        this.#fail(batch, "etcd transaction refused, and its keys could not be read back", e);
      }
      return;
    }
    if (this.#failed !== undefined) return;
    const refused = "etcd transaction refused: fenced (deposed) or cache diverged";
    if (!holds(this.#fence, now)) {
      this.#fail(batch, refused, undefined);
      return;
    }
    const again: Pending[] = [];
    const gone: { b: Planned; key: string }[] = [];
    for (const b of batch) {
      const failing = b.plan.compares.filter((c) => !holds(c, now));
      // Only a key the plan itself puts under a lease is known to live under one.
      const leased = new Set(
        b.plan.ops.flatMap((op) => {
          const r = op.request_put;
          return r !== undefined && String(r.lease ?? "0") !== "0" ? [hexOf(r.key)] : [];
        }),
      );
      const goneWithLease = (c: ICompare): boolean =>
        expectedPresent(c) && !now.has(hexOf(c.key)) && leased.has(hexOf(c.key));
      if (failing.length === 0) {
        again.push(b.p);
      } else if (failing.every(goneWithLease)) {
        gone.push({ b, key: String(failing[0]!.key) });
      } else {
        this.#fail(batch, refused, undefined);
        return;
      }
    }
    if (gone.length === 0) {
      // Every compare holds now: the refusal is not understood.
      this.#fail(batch, refused, undefined);
      return;
    }
    for (const { b, key } of gone) {
      this.leaseRemoved++;
      b.p.reject(
        new SigmaError(
          ErrCode.Notfound,
          key,
          `not found: ${key} went with its session's etcd lease`,
        ),
      );
    }
    log("etcd keys gone with their leases: %d mutations refused", gone.length);
    this.#queue.unshift(...again);
  }

  #settle(b: Planned, rev: string): void {
    try {
      b.p.resolve(b.plan.apply(rev));
    } catch (e) {
      b.p.reject(e);
    }
  }

  /**
   * Sends the transaction; resolves its revision, or why it did not commit (Sent). An RPC
   * error (an etcd member down, a timeout) leaves the outcome unknown, so it is sent again, which
   * is safe: every mutation compares a key its own commit changes (a mod revision, an absent
   * key), so a transaction that had committed fails its compares when sent again. That failure
   * is then told apart from a real refusal by reading back, at one revision, the fence and the
   * first key the transaction wrote: still our fence and our value means it had committed (only
   * the fenced leader writes), at that key's mod revision.
   *
   * "requested lease not found" is "lease-gone" only as the answer to the first sending. To a
   * sending again it says nothing of the first: that one may have committed, and the keys it put
   * under the lease since gone with it, so that their absent compares hold again and etcd then
   * checks the lease. The outcome stays unknown, and the store is deposed as before (sending
   * again cannot help: etcd answers the same).
   */
  async #send(req: ITxnRequest): Promise<Sent> {
    let resent = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.#client.kv.txn(req, {
          deadline: new Date(Date.now() + SEND_TIMEOUT_MS),
        });
        if (res.succeeded) return { rev: res.header.revision };
        if (!resent) return "refused";
        const rev = await this.#committedEarlier(req);
        return rev === undefined ? "refused-again" : { rev };
      } catch (e) {
        if (e instanceof EtcdLeaseInvalidError) {
          if (!resent) return "lease-gone";
          throw e;
        }
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

/** The leases a plan puts keys under (not "no lease"). */
function leasesOf(plan: Plan<unknown>): string[] {
  const out: string[] = [];
  for (const op of plan.ops) {
    const l = op.request_put?.lease;
    if (l !== undefined && String(l) !== "0" && !out.includes(String(l))) out.push(String(l));
  }
  return out;
}

function hexOf(key: Buffer | undefined): string {
  return key === undefined ? "" : key.toString("hex");
}

/**
 * Whether compare `c` holds on the keys read (by hex key; absent ones missing). Only the
 * committer's own compares are known (Equal on a create or mod revision); any other fails.
 */
function holds(c: ICompare, now: Map<string, { mod: string; create: string }>): boolean {
  if (c.result !== CompareResult.Equal) return false;
  const kv = now.get(hexOf(c.key));
  if (c.target === CompareTarget.Mod) return (kv?.mod ?? "0") === String(c.mod_revision);
  if (c.target === CompareTarget.Create) return (kv?.create ?? "0") === String(c.create_revision);
  return false;
}

/** Whether `c` expects its key present (an Equal on a revision other than 0). */
function expectedPresent(c: ICompare): boolean {
  const rev = c.target === CompareTarget.Mod ? c.mod_revision : c.create_revision;
  return c.result === CompareResult.Equal && rev !== undefined && String(rev) !== "0";
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
