/**
 * How many fids, over all sessions, name each object. A removed object stays readable through
 * fids that still name it (spec 4.2), so its store may free it only once none does: the last
 * reference gone from an unlinked object, or an unlinking with no reference left, calls the
 * object's `release` (memfs gives its bytes back to the quota then). Without this a client could
 * keep removed files alive, uncounted, through fids.
 */
import type { FsObj } from "../fs/index.js";

export class ObjRefs {
  readonly #counts = new Map<FsObj, number>();

  /** Objects named by at least one fid (for tests). */
  get size(): number {
    return this.#counts.size;
  }

  ref(obj: FsObj): void {
    this.#counts.set(obj, (this.#counts.get(obj) ?? 0) + 1);
  }

  unref(obj: FsObj): void {
    const n = (this.#counts.get(obj) ?? 1) - 1;
    if (n > 0) {
      this.#counts.set(obj, n);
      return;
    }
    this.#counts.delete(obj);
    obj.release?.();
  }

  /** `obj` was just unlinked: frees it now unless a fid still names it. */
  unlinked(obj: FsObj): void {
    if (!this.#counts.has(obj)) obj.release?.();
  }
}
