/** memfs directories: entries by name, listed byte-wise (spec 4.2). */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { MemFile, MemSymlink } from "./mem-bytes.js";
import { MemNode } from "./mem-node.js";
import { MemPipe } from "./mem-pipe.js";
import { kindOfPerm } from "./perm-kind.js";
import { SortedNames } from "./sorted-names.js";
import type { CreateOptions, Dir, DirEntry, FsObj, RenameResult } from "./types.js";

/** A memfs object of any kind. */
export type MemObj = MemNode & FsObj;

export class MemDir extends MemNode implements Dir {
  readonly kind = "dir";
  readonly #entries = new Map<string, MemObj>();
  readonly #names = new SortedNames();
  /** The byte size of the full listing (spec 2.7, 4.5): the sum of the entries' sizes. */
  #listing = 0;

  get entryCount(): number {
    return this.#entries.size;
  }

  async lookup(name: string): Promise<FsObj | undefined> {
    return this.#entries.get(name);
  }

  async list(after: string | undefined, limit: number): Promise<DirEntry[]> {
    return this.#names.after(after, limit).map((name) => ({ name, obj: this.#get(name) }));
  }

  async create(name: string, perm: number, opts: CreateOptions): Promise<FsObj> {
    if (this.#entries.has(name)) throw new SigmaError(ErrCode.Exists, name);
    const obj = this.#make(kindOfPerm(perm, name), name, perm, opts);
    this.insert(obj);
    this.bump();
    return obj;
  }

  async remove(name: string, expect?: FsObj): Promise<FsObj> {
    const obj = this.#entries.get(name);
    if (obj === undefined || (expect !== undefined && obj !== expect)) {
      throw new SigmaError(ErrCode.Notfound, name);
    }
    if (obj instanceof MemDir && obj.entryCount > 0) throw new SigmaError(ErrCode.NotEmpty, name);
    this.#detach(name);
    obj.unlink();
    obj.bump();
    this.bump();
    return obj;
  }

  async rename(
    oldName: string,
    newDir: Dir,
    newName: string,
    expect?: FsObj,
  ): Promise<RenameResult> {
    const target = memDirOf(newDir);
    if (target === undefined || target.store !== this.store) {
      throw new SigmaError(
        ErrCode.Inval,
        newName,
        `invalid argument: rename ${oldName} across stores`,
      );
    }
    const obj = this.#entries.get(oldName);
    if (obj === undefined || (expect !== undefined && obj !== expect)) {
      throw new SigmaError(ErrCode.Notfound, oldName);
    }
    if (target === this && oldName === newName) return { moved: obj, replaced: undefined };
    if (obj instanceof MemDir && obj.isAncestorOf(target)) {
      throw new SigmaError(ErrCode.Inval, newName, `invalid argument: move ${oldName} into itself`);
    }
    const replaced = target.#entries.get(newName);
    if (replaced !== undefined) checkReplace(obj, replaced, newName);
    // First, as it may be refused (Nomem): nothing has changed yet.
    obj.setName(newName);
    if (replaced !== undefined) {
      target.#detach(newName);
      replaced.unlink();
      replaced.bump();
    }
    this.#detach(oldName);
    obj.parent = target;
    target.insert(obj);
    obj.bump();
    this.bump();
    if (target !== this) target.bump();
    return { moved: obj, replaced };
  }

  /** Links an object made elsewhere (memfs helpers: devices); moves no version. */
  insert(obj: MemObj): void {
    this.#entries.set(obj.name, obj);
    this.store.linked?.(obj);
    this.#names.insert(obj.name);
    this.entryChanged(obj.enterListing());
  }

  /** An entry's size changed by `delta`: so did the listing, and maybe this entry's own. */
  entryChanged(delta: number): void {
    this.#listing += delta;
    this.refreshEntry();
  }

  protected override size(): bigint {
    return BigInt(this.#listing);
  }

  /** Whether `dir` is this directory or lies below it. */
  isAncestorOf(dir: MemDir): boolean {
    for (
      let d: Dir | undefined = dir;
      d !== undefined;
      d = d instanceof MemDir ? d.parent : undefined
    ) {
      if (d === this) return true;
    }
    return false;
  }

  #get(name: string): MemObj {
    const obj = this.#entries.get(name);
    if (obj === undefined) throw new Error(`memfs: ${name} listed but missing`);
    return obj;
  }

  #detach(name: string): void {
    const obj = this.#entries.get(name);
    this.#entries.delete(name);
    this.#names.delete(name);
    if (obj !== undefined) this.entryChanged(-obj.leaveListing());
  }

  #make(kind: string, name: string, perm: number, opts: CreateOptions): MemObj {
    switch (kind) {
      case "dir":
        return new MemDir(this.store, perm, opts.owner, name, this);
      case "symlink":
        return new MemSymlink(
          this.store,
          perm,
          opts.owner,
          name,
          this,
          opts.content,
          opts.contentOffset,
        );
      case "pipe":
        return new MemPipe(this.store, perm, opts.owner, name, this);
      default:
        return new MemFile(
          this.store,
          perm,
          opts.owner,
          name,
          this,
          opts.content,
          opts.contentOffset,
        );
    }
  }
}

/**
 * Deviation 14, as POSIX rename: a directory replaces only an empty directory, a non-directory
 * only a non-directory. The error names the target.
 */
function checkReplace(moved: MemObj, target: MemObj, name: string): void {
  if (moved instanceof MemDir) {
    if (!(target instanceof MemDir)) throw new SigmaError(ErrCode.NotDir, name);
    if (target.entryCount > 0) throw new SigmaError(ErrCode.NotEmpty, name);
  } else if (target instanceof MemDir) {
    throw new SigmaError(
      ErrCode.Isdir,
      name,
      `is a directory: ${name} cannot be replaced by a non-directory`,
    );
  }
}

/** The memfs directory behind `dir` (through wrappers such as the overlay root), if any. */
export function memDirOf(dir: Dir): MemDir | undefined {
  let d: Dir | undefined = dir;
  while (d !== undefined && !(d instanceof MemDir)) d = d.backing;
  return d;
}
