/**
 * memfs: the in-memory store, and the server-local helpers that bypass the protocol (spec 10.1).
 * Helpers change objects directly: they take no path locks and wake no watches, so servers use
 * them to build their tree before clients arrive, or for objects nobody watches.
 *
 * Every object and every byte of content is charged to one quota (`maxBytes`): a create, write or
 * rename that would pass it fails with Nomem and changes nothing. A removed object's bytes come
 * back when the server holds no fid on it any more (`release`), since until then it stays
 * readable (spec 4.2).
 */
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { MAX_FILE_SIZE } from "./byte-buffer.js";
import { SigmaError } from "../errors/index.js";
import { MemDevice } from "./mem-device.js";
import { MemDir } from "./mem-dir.js";
import type { MemStore } from "./mem-node.js";
import type { Device, DeviceHandlers, Dir, FsObj } from "./types.js";
import { withDefaults } from "../options.js";

export interface MemFsOptions {
  /** Owner of the root and of objects made by helpers. Default "". */
  owner?: string;
  /** Clock in seconds. Default wall-clock seconds. */
  now?: () => number;
  /**
   * The store's byte quota: objects (OBJECT_BYTES each, plus their names) and the content pages
   * they hold. Past it, whatever would need more is Nomem. Default 1 GiB, the largest single
   * file (MAX_FILE_SIZE), so an empty store can hold any one file.
   */
  maxBytes?: number;
  /** The root's permission bits (DMDIR is added). Default 0o777. */
  rootPerm?: number;
}

const DEFAULTS: Required<MemFsOptions> = {
  owner: "",
  rootPerm: 0o777,
  now: () => Math.floor(Date.now() / 1000),
  maxBytes: MAX_FILE_SIZE,
};

export class MemFs implements MemStore {
  readonly root: MemDir;
  readonly #opts: Required<MemFsOptions>;
  #nextId = 1n;
  #used = 0;

  constructor(opts: MemFsOptions = {}) {
    this.#opts = withDefaults(DEFAULTS, opts);
    this.root = new MemDir(this, Perm.DMDIR | this.#opts.rootPerm, this.#opts.owner, "", undefined);
  }

  /** Bytes charged against the quota now. */
  get usedBytes(): number {
    return this.#used;
  }

  get maxBytes(): number {
    return this.#opts.maxBytes;
  }

  charge(bytes: number, name: string): void {
    const max = this.#opts.maxBytes;
    if (this.#used + bytes > max) {
      throw new SigmaError(
        ErrCode.Nomem,
        name,
        `out of memory: memfs quota maxBytes (${max} B) reached: ${name} needs ${bytes} B more, ${this.#used} B in use`,
      );
    }
    this.#used += bytes;
  }

  uncharge(bytes: number): void {
    this.#used -= bytes;
  }

  /** Object ids: from 1, never reused. */
  allocId(): bigint {
    return this.#nextId++;
  }

  now(): number {
    return this.#opts.now();
  }

  /** The object at `path` ("a/b"; "" is the root), if any. */
  async lookup(path: string): Promise<FsObj | undefined> {
    let obj: FsObj = this.root;
    for (const name of splitPath(path)) {
      if (obj.kind !== "dir") return undefined;
      const next: FsObj | undefined = await obj.lookup(name);
      if (next === undefined) return undefined;
      obj = next;
    }
    return obj;
  }

  /** Creates `path` with perm; its parent must exist. */
  async create(path: string, perm: number, content?: Uint8Array): Promise<FsObj> {
    const { dir, name } = await this.#parentOf(path);
    return dir.create(name, perm, { owner: this.#opts.owner, content });
  }

  /** Creates every missing directory along `path`. */
  async mkdirAll(path: string): Promise<Dir> {
    let dir: Dir = this.root;
    for (const name of splitPath(path)) {
      const next: FsObj =
        (await dir.lookup(name)) ??
        (await dir.create(name, Perm.DMDIR | 0o777, { owner: this.#opts.owner }));
      if (next.kind !== "dir") throw new SigmaError(ErrCode.NotDir, name);
      dir = next;
    }
    return dir;
  }

  /** Removes `path`; its bytes go back to the quota at once (helpers know of no fids). */
  async remove(path: string): Promise<void> {
    const { dir, name } = await this.#parentOf(path);
    const obj = await dir.remove(name);
    obj.release?.();
  }

  /** Inserts a device at `path` (DMDEVICE plus `perm`'s low bits). */
  async makeDevice(path: string, handlers: DeviceHandlers, perm = 0o666): Promise<Device> {
    const { dir, name } = await this.#parentOf(path);
    if ((await dir.lookup(name)) !== undefined) throw new SigmaError(ErrCode.Exists, name);
    const dev = new MemDevice(
      this,
      Perm.DMDEVICE | (perm & 0o777),
      this.#opts.owner,
      name,
      dir,
      handlers,
    );
    dir.insert(dev);
    dir.bump();
    return dev;
  }

  async #parentOf(path: string): Promise<{ dir: MemDir; name: string }> {
    const names = splitPath(path);
    const name = names.pop();
    if (name === undefined) throw new SigmaError(ErrCode.Inval, path, "invalid argument: the root");
    const dir = await this.lookup(names.join("/"));
    if (dir === undefined) throw new SigmaError(ErrCode.Notfound, names.join("/"));
    if (!(dir instanceof MemDir)) throw new SigmaError(ErrCode.NotDir, names.join("/"));
    return { dir, name };
  }
}

/** Path elements, without empty ones: "/a//b/" → ["a", "b"]. */
export function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}
