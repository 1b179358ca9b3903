/**
 * The client's mount table (spec 6.2): path prefixes bound to something (a fid, in the library),
 * resolved longest prefix first.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { isPathPrefix, joinPath } from "../split-path.js";

/** One binding of a path prefix. */
export interface MountEntry<T> {
  readonly path: readonly string[];
  readonly value: T;
}

/** Where a path lands: its mount and what is left to walk from it. */
export interface Resolution<T> {
  mount: MountEntry<T>;
  rest: string[];
}

/** Path prefixes bound to values, resolved longest first; `resolve` fails with Unreachable("no mount"). */
export class MountTable<T> {
  // Kept sorted longest first so resolve takes the first match.
  #entries: MountEntry<T>[] = [];

  /**
   * Binds `path` to `value`. Returns false, leaving the table unchanged, if `path` is already
   * mounted: a concurrent resolver may have mounted the same record first.
   */
  add(path: readonly string[], value: T): boolean {
    if (this.exact(path) !== undefined) return false;
    const entry: MountEntry<T> = { path: [...path], value };
    const at = this.#entries.findIndex((e) => e.path.length < path.length);
    if (at < 0) this.#entries.push(entry);
    else this.#entries.splice(at, 0, entry);
    return true;
  }

  /** Unbinds `path`; returns what was mounted there, if anything. */
  remove(path: readonly string[]): T | undefined {
    const i = this.#entries.findIndex((e) => sameElems(e.path, path));
    if (i < 0) return undefined;
    const [e] = this.#entries.splice(i, 1);
    return e?.value;
  }

  /** Unbinds the entry only if `path` still holds `value` (it may have been replaced meanwhile). */
  removeIf(path: readonly string[], value: T): boolean {
    const i = this.#entries.findIndex((e) => sameElems(e.path, path) && e.value === value);
    if (i < 0) return false;
    this.#entries.splice(i, 1);
    return true;
  }

  /** The entry mounted exactly at `path`. */
  exact(path: readonly string[]): MountEntry<T> | undefined {
    return this.#entries.find((e) => sameElems(e.path, path));
  }

  /**
   * The longest mounted prefix of `path` and the remainder. With `resolveLast` false an exact
   * match is skipped, so that the last element (a mount point's symlink) is itself the target.
   * Throws `Unreachable("no mount")` when nothing matches.
   */
  resolve(path: readonly string[], resolveLast: boolean): Resolution<T> {
    for (const mount of this.#entries) {
      if (!isPathPrefix(mount.path, path)) continue;
      if (!resolveLast && mount.path.length === path.length && path.length > 0) continue;
      return { mount, rest: path.slice(mount.path.length) };
    }
    throw new SigmaError(ErrCode.Unreachable, "no mount", `no mount for ${joinPath(path)}`);
  }

  /** Every mount, longest path first. */
  entries(): readonly MountEntry<T>[] {
    return this.#entries;
  }
}

function sameElems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && isPathPrefix(a, b);
}
