/**
 * A set of names kept in byte-wise order (spec 4.2), so that listings resume after a name in
 * O(log n) and inserting or deleting one name costs O(log n) however large the set is. A sorted
 * array did the same with a splice per change, O(n): removing 100,000 ephemeral files of one
 * directory then took 11 s. The B+ tree is sorted-btree's.
 */
import btree from "sorted-btree";
import { compareNames } from "./names.js";

// sorted-btree is CommonJS marked __esModule: Node's loader hands over the module object (the
// class is its `default`), vite's (vitest) the class itself.
type BTreeClass = typeof btree.default;
const loaded = btree as unknown as BTreeClass | { default: BTreeClass };
const BTree: BTreeClass = "default" in loaded ? loaded.default : loaded;

export class SortedNames {
  readonly #tree = new BTree<string, undefined>(undefined, compareNames);

  get size(): number {
    return this.#tree.size;
  }

  insert(name: string): void {
    this.#tree.set(name, undefined);
  }

  delete(name: string): void {
    this.#tree.delete(name);
  }

  /** Up to `limit` names strictly after `after` (from the first if undefined). */
  after(after: string | undefined, limit: number): string[] {
    const out: string[] = [];
    if (limit <= 0) return out;
    for (const name of this.#tree.keys(after)) {
      if (name === after) continue;
      out.push(name);
      if (out.length === limit) break;
    }
    return out;
  }
}
