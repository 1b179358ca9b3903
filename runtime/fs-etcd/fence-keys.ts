/**
 * Client fences in etcd (spec 4.9, docs/named-etcd.md "Client fences"): the FenceStore behind
 * named's fence table. Each fence is `f/<fence id>` holding its highest epoch and owner, under no
 * lease. The table creates or raises a fence only after its key is written (through the
 * committer, so the leader's fence is compared too), and a new leader loads the keys with the
 * tree, so a fence is never back at an older epoch after a failover.
 *
 * A request holding a fence runs inside `within`; each mutation it submits then also compares
 * the fence key's mod revision as this leader's cache knows it, in the mutation's own
 * transaction: it commits only while etcd holds the fence at the request's epoch. Planned
 * against the cache (as every compare here): a fence raised since is Stale at planning and
 * sends nothing, so the compare fails only if the cache diverged, which the committer treats as
 * any refusal (the leader steps down).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FenceStore, StoredFence } from "../fs/index.js";
import { absent, del, put, unchanged, type Plan } from "./committer.js";
import { NO_LEASE } from "./etcd-node.js";
import type { Keys } from "./keys.js";

/** The fence a running request holds. */
interface Held {
  readonly id: bigint;
  readonly epoch: bigint;
}

interface Cached {
  epoch: bigint;
  owner: string;
  /** The key's mod revision: what a fenced mutation compares. */
  modRev: string;
}

type Submit = <T>(plan: () => Plan<T>) => Promise<T>;

const held = new AsyncLocalStorage<Held>();

/** The value of a fence key: `{ e: <epoch hex>, o: <owner> }`. */
function encode(epoch: bigint, owner: string): Buffer {
  return Buffer.from(JSON.stringify({ e: epoch.toString(16), o: owner }));
}

function decode(value: Buffer): { epoch: bigint; owner: string } | undefined {
  try {
    const j = JSON.parse(value.toString()) as { e?: unknown; o?: unknown };
    if (typeof j.e !== "string" || !/^[0-9a-f]{1,16}$/.test(j.e)) return undefined;
    return { epoch: BigInt(`0x${j.e}`), owner: typeof j.o === "string" ? j.o : "" };
  } catch {
    return undefined;
  }
}

/** Stale, as the fence table says it: obj `<fence id hex>:<epoch hex>`. */
function staleFence(id: bigint, epoch: bigint): SigmaError {
  const text = `${id.toString(16)}:${epoch.toString(16)}`;
  return new SigmaError(ErrCode.Stale, text, `stale fence: ${text}: etcd holds a newer epoch`);
}

export class FenceKeys implements FenceStore {
  readonly #keys: Keys;
  readonly #submit: Submit;
  readonly #cache = new Map<bigint, Cached>();

  /**
   * `submit` goes straight to the committer: a fence write is not the request's mutation, so it
   * must not take the request's dedup key (dedup-keys.ts).
   */
  constructor(keys: Keys, submit: Submit) {
    this.#keys = keys;
    this.#submit = submit;
  }

  /** A key read while loading the tree; an unreadable one is skipped (the fence starts afresh). */
  loadedKey(key: Buffer, value: Buffer, modRev: string): void {
    const id = this.#keys.fenceOf(key);
    const v = decode(value);
    if (id === undefined || v === undefined) return;
    this.#cache.set(id, { ...v, modRev });
  }

  loaded(): StoredFence[] {
    return [...this.#cache].map(([id, c]) => ({ id, epoch: c.epoch, owner: c.owner }));
  }

  /** The epoch etcd holds for fence `id`, as this leader knows it (tests). */
  epochOf(id: bigint): bigint | undefined {
    return this.#cache.get(id)?.epoch;
  }

  save(fence: StoredFence, dropped?: bigint): Promise<void> {
    return this.#submit((): Plan<void> => {
      const key = this.#keys.fence(fence.id);
      const was = this.#cache.get(fence.id);
      // Epochs in etcd only grow, whatever the table asks: it never lowers one it knows, and a
      // removed or collected fence's deletion is planned before its id can be written again.
      if (was !== undefined && was.epoch > fence.epoch) throw staleFence(fence.id, fence.epoch);
      const gone = dropped === undefined ? undefined : this.#cache.get(dropped);
      const goneKey = dropped === undefined ? undefined : this.#keys.fence(dropped);
      const compares = [was === undefined ? absent(key) : unchanged(key, was.modRev)];
      const ops = [put(key, encode(fence.epoch, fence.owner), NO_LEASE)];
      const keys = [key.toString()];
      if (gone !== undefined && goneKey !== undefined) {
        compares.push(unchanged(goneKey, gone.modRev));
        ops.push(del(goneKey));
        keys.push(goneKey.toString());
      }
      return {
        compares,
        ops,
        keys,
        apply: (rev) => {
          this.#cache.set(fence.id, { epoch: fence.epoch, owner: fence.owner, modRev: rev });
          if (gone !== undefined && dropped !== undefined) this.#cache.delete(dropped);
        },
      };
    });
  }

  drop(id: bigint): Promise<void> {
    return this.#submit((): Plan<void> => {
      const was = this.#cache.get(id);
      if (was === undefined) return { compares: [], ops: [], keys: [], apply: () => undefined };
      const key = this.#keys.fence(id);
      return {
        compares: [unchanged(key, was.modRev)],
        ops: [del(key)],
        keys: [key.toString()],
        apply: () => {
          this.#cache.delete(id);
        },
      };
    });
  }

  within<T>(id: bigint, epoch: bigint, fn: () => Promise<T>): Promise<T> {
    return held.run({ id, epoch }, fn);
  }

  /**
   * The plan of a mutation submitted now, bound to the fence its request holds (if any): Stale
   * if the fence has a newer epoch by the time it is planned, else it also compares the fence
   * key unchanged. A fence no longer stored, or stored at an older epoch, was removed through
   * `.fences` (and maybe made again) while the request held it: the request goes on unbound, as
   * it would on memfs, where the removed entry no longer fences anything.
   */
  guard<T>(plan: () => Plan<T>): () => Plan<T> {
    const h = held.getStore();
    if (h === undefined) return plan;
    return () => {
      const p = plan();
      if (p.ops.length === 0) return p;
      const c = this.#cache.get(h.id);
      if (c === undefined || c.epoch < h.epoch) return p;
      if (c.epoch > h.epoch) throw staleFence(h.id, h.epoch);
      return { ...p, compares: [...p.compares, unchanged(this.#keys.fence(h.id), c.modRev)] };
    };
  }
}
