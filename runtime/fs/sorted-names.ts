/** A directory's names kept in byte-wise order, so listings resume after a name in O(log n). */
import { compareNames } from "./names.js";

export class SortedNames {
  readonly #names: string[] = [];

  get size(): number {
    return this.#names.length;
  }

  insert(name: string): void {
    const i = this.#lowerBound(name);
    if (this.#names[i] !== name) this.#names.splice(i, 0, name);
  }

  delete(name: string): void {
    const i = this.#lowerBound(name);
    if (this.#names[i] === name) this.#names.splice(i, 1);
  }

  /** Up to `limit` names strictly after `after` (from the first if undefined). */
  after(after: string | undefined, limit: number): string[] {
    let i = 0;
    if (after !== undefined) {
      i = this.#lowerBound(after);
      if (this.#names[i] === after) i++;
    }
    return this.#names.slice(i, i + limit);
  }

  #lowerBound(name: string): number {
    let lo = 0;
    let hi = this.#names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(this.#names[mid] as string, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
