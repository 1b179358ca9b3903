/**
 * The leader cache's objects by id: exactly the objects linked in the tree (reachable from the
 * root), as MemFs({ indexIds }) keeps them. named with keys finds a fence's epoch file here by
 * the fence id (its object id; docs/security.md, "Fences from the epoch file"), and the store
 * finds the object of a key etcd deleted. An object enters when a committed create (or the load)
 * builds it and leaves when a committed remove, rename over it or lease expiry unlinks it; an
 * unlinked object must never be found, or a fence could be checked against a removed file.
 */
import { EtcdDir, type EtcdObj } from "./etcd-dir.js";

export class IdIndex {
  readonly #byId = new Map<bigint, EtcdObj>();

  get size(): number {
    return this.#byId.size;
  }

  get(id: bigint): EtcdObj | undefined {
    return this.#byId.get(id);
  }

  add(obj: EtcdObj): void {
    this.#byId.set(obj.id, obj);
  }

  drop(id: bigint): void {
    this.#byId.delete(id);
  }

  /**
   * After the load linked every record to its parent: keeps only what the root reaches. A record
   * whose parent is gone (an entry of an ephemeral directory whose lease ran out) was skipped by
   * the loader, but its own entries were linked to it all the same; none of them is in the tree.
   * Returns how many were dropped.
   */
  keepReachable(root: EtcdDir): number {
    const reached = new Set<bigint>([root.id]);
    for (const obj of below(root)) reached.add(obj.id);
    let dropped = 0;
    for (const id of this.#byId.keys()) {
      if (reached.has(id)) continue;
      this.#byId.delete(id);
      dropped++;
    }
    return dropped;
  }
}

/** Every object under `dir`, depth first (iteratively: trees can be deep). */
export function* below(dir: EtcdDir): Generator<EtcdObj> {
  const stack: EtcdDir[] = [dir];
  for (let d = stack.pop(); d !== undefined; d = stack.pop()) {
    for (const obj of d.entries()) {
      yield obj;
      if (obj instanceof EtcdDir) stack.push(obj);
    }
  }
}
