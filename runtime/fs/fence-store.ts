/**
 * Where a server's client fences (spec 4.9) live when they must outlive the server process: the
 * etcd store, so that a new named leader's fence table starts from the fences the old leader
 * had (docs/named-etcd.md, "Client fences"). protsrv's fence table still decides (epochs, read
 * and write mode, bounds, owners); the store only makes its decisions durable and binds the
 * mutations of fenced requests to them. memfs has none: its fence table lives and dies with its
 * server, as the table always did.
 */

/** One fence as the store keeps it. */
export interface StoredFence {
  /** The fence id (`fenceid.path`). */
  readonly id: bigint;
  /** The highest epoch the table accepted. */
  readonly epoch: bigint;
  /** Whose request first presented it: with principals, only they (or an admin) raise it. */
  readonly owner: string;
}

export interface FenceStore {
  /** The fences the store held when it opened: the table starts from them. */
  loaded(): readonly StoredFence[];
  /**
   * Durably records `fence`, new or raised, deleting the fence `dropped` (one the full table
   * collected) in the same write. The table holds the fence in write mode until this settles, so
   * no request of the new epoch runs, and none is answered, before the epoch is durable.
   */
  save(fence: StoredFence, dropped?: bigint): Promise<void>;
  /** Deletes a fence (removed through `.fences`). */
  drop(id: bigint): Promise<void>;
  /**
   * Runs `fn`, a request holding fence `id` at `epoch` in read mode: every mutation the store
   * commits on its behalf commits only if the stored fence is still at that epoch, checked in
   * the mutation's own write (no extra round trip).
   */
  within<T>(id: bigint, epoch: bigint, fn: () => Promise<T>): Promise<T>;
}
