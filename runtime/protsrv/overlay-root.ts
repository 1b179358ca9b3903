/**
 * The overlay root (spec 10.1): a server's root directory with `.statsd` and `.fences` laid over
 * it. Overlay entries come first in listings, in a fixed order, win on lookup, and their names can
 * be neither created, removed nor renamed over.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { CreateOptions, Dir, DirEntry, FsObj, ObjMeta, RenameResult } from "../fs/index.js";
import { entrySizeOf } from "./entry-size.js";

export class OverlayRoot implements Dir {
  readonly kind = "dir";
  readonly backing: Dir;
  readonly #overlay: ReadonlyMap<string, FsObj>;
  readonly #order: readonly string[];

  constructor(inner: Dir, overlay: readonly FsObj[], names: readonly string[]) {
    this.backing = inner;
    this.#order = names;
    this.#overlay = new Map(names.map((n, i) => [n, overlay[i] as FsObj]));
  }

  get id(): bigint {
    return this.backing.id;
  }

  get perm(): number {
    return this.backing.perm;
  }

  isOverlayName(name: string): boolean {
    return this.#overlay.has(name);
  }

  /** The store root's, with the overlay entries counted in its listing size (spec 4.5). */
  async meta(): Promise<ObjMeta> {
    const m = await this.backing.meta();
    let extra = 0;
    for (const name of this.#order) extra += await entrySizeOf(this.#overlay.get(name) as FsObj);
    return { ...m, length: m.length + BigInt(extra) };
  }

  // Not async: every walk from the root passes here, and the backing store's promise will do.
  lookup(name: string): Promise<FsObj | undefined> {
    const overlaid = this.#overlay.get(name);
    return overlaid !== undefined ? Promise.resolve(overlaid) : this.backing.lookup(name);
  }

  async list(after: string | undefined, limit: number): Promise<DirEntry[]> {
    const out: DirEntry[] = [];
    let innerAfter = after;
    const at = after === undefined ? -1 : this.#order.indexOf(after);
    if (after === undefined || at >= 0) {
      for (const name of this.#order.slice(at + 1)) {
        if (out.length === limit) return out;
        out.push({ name, obj: this.#overlay.get(name) as FsObj });
      }
      innerAfter = undefined;
    }
    while (out.length < limit) {
      const batch = await this.backing.list(innerAfter, limit - out.length);
      if (batch.length === 0) break;
      // An inner entry shadowed by an overlay name (made by server code) is never listed.
      for (const e of batch) if (!this.#overlay.has(e.name)) out.push(e);
      innerAfter = (batch[batch.length - 1] as DirEntry).name;
    }
    return out;
  }

  async create(name: string, perm: number, opts: CreateOptions): Promise<FsObj> {
    if (this.#overlay.has(name)) throw new SigmaError(ErrCode.Exists, name);
    return this.backing.create(name, perm, opts);
  }

  async remove(name: string, expect?: FsObj): Promise<FsObj> {
    if (this.#overlay.has(name)) throw new SigmaError(ErrCode.Noremove, name);
    return this.backing.remove(name, expect);
  }

  async rename(
    oldName: string,
    newDir: Dir,
    newName: string,
    expect?: FsObj,
  ): Promise<RenameResult> {
    if (this.#overlay.has(oldName)) throw new SigmaError(ErrCode.Noremove, oldName);
    if (newDir.id === this.id && this.#overlay.has(newName)) {
      throw new SigmaError(ErrCode.Exists, newName);
    }
    return this.backing.rename(oldName, newDir, newName, expect);
  }
}
