/**
 * The client's fence table (spec 6.7): fenced requests on a path under a registered prefix carry
 * that prefix's fence, so a deposed leader's late writes are refused by the server.
 */
import type { Tfence } from "../../../generated/sigmap/types.js";
import { isPathPrefix, joinPath } from "../split-path.js";

/** Path prefix → Tfence; `lookup` returns the fence of the longest registered prefix. */
export class FenceTable {
  readonly #fences = new Map<string, { path: string[]; fence: Tfence }>();

  /** Adds or overwrites the fence for the prefix `path`. */
  set(path: readonly string[], fence: Tfence): void {
    this.#fences.set(joinPath(path), { path: [...path], fence });
  }

  /** Drops the fence for exactly `path`; returns whether there was one. */
  delete(path: readonly string[]): boolean {
    return this.#fences.delete(joinPath(path));
  }

  /** The fence of the longest registered prefix of `path`, if any. */
  lookup(path: readonly string[]): Tfence | undefined {
    // Every fenced request asks, and most clients never register a fence.
    if (this.#fences.size === 0) return undefined;
    let best: { path: string[]; fence: Tfence } | undefined;
    for (const e of this.#fences.values()) {
      if (isPathPrefix(e.path, path) && (best === undefined || e.path.length > best.path.length)) {
        best = e;
      }
    }
    return best?.fence;
  }
}
