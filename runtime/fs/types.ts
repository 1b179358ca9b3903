/**
 * The object interfaces: the seam between protsrv and storage (spec 4.2). memfs implements them in
 * memory; a store on a replicated engine must be able to implement them too, so every operation
 * that reads or changes state is async, version checks are passed down (a store can make them part
 * of one transaction), and each mutation moves versions itself, exactly per spec 4.3.
 */

import type { Principal } from "../auth/index.js";

/** What a blocking operation needs from its request: RequestContext satisfies it. */
export interface WaitContext {
  /** The session the request belongs to; SessClosed names it. */
  readonly session: bigint;
  /** Who the session proved it is (docs/security.md); null or absent on an open server. */
  readonly principal?: Principal | null;
  /** Aborted when the session closes: a waiting operation then fails with SessClosed. */
  readonly signal: AbortSignal;
  /** Called right before the operation starts waiting on another client. */
  park(): void;
}

export type ObjKind = "dir" | "file" | "symlink" | "pipe" | "device";

/** An object's mutable metadata at one moment. */
export interface ObjMeta {
  /** Starts at 1, only grows, never NoV. */
  readonly version: number;
  /** Seconds. */
  readonly mtime: number;
  readonly owner: string;
  /** The current name; the last one for a removed object; "" for a root. */
  readonly name: string;
  /**
   * Bytes held (files, symlinks, buffered pipe bytes, devices: 0); for a directory the byte size
   * of its full listing (spec 2.7, 4.5: the sum of its entries' encoded Stats and their 4-byte
   * prefixes), which the store keeps up to date rather than computes per stat.
   */
  readonly length: bigint;
  /** The directory holding it; undefined for a root and for a removed object. */
  readonly parent: Dir | undefined;
  /** False once removed (or replaced by a rename). */
  readonly linked: boolean;
}

interface ObjBase {
  readonly kind: ObjKind;
  /** Object id: per server, from 1, never reused. */
  readonly id: bigint;
  /** Type and permission bits, fixed at creation. */
  readonly perm: number;
  meta(): Promise<ObjMeta>;
  /**
   * The server holds no reference to this object any longer (no fid names it). A store may then
   * free what a removed object holds (memfs gives its bytes back to the quota); a linked object
   * ignores it. Optional: stores with nothing to free leave it out.
   */
  release?(): void;
}

export interface DirEntry {
  readonly name: string;
  readonly obj: FsObj;
}

export interface CreateOptions {
  owner: string;
  /** Initial content of a file or symlink; creating with content moves no version of the new object. */
  content?: Uint8Array;
  /** Where the initial content starts; the bytes before it read as zeros. Default 0. */
  contentOffset?: bigint;
  /**
   * The creating session. A store that outlives named binds an ephemeral (DMTMP) object to it,
   * so that the object goes when the session's lease ends even if no server is left to remove
   * it (the etcd store); memfs ignores it.
   */
  session?: bigint;
}

export interface RenameResult {
  readonly moved: FsObj;
  /** The object the rename replaced at the target name, now unlinked. */
  readonly replaced: FsObj | undefined;
}

export interface Dir extends ObjBase {
  readonly kind: "dir";
  /**
   * A wrapper (the overlay root) names the directory it wraps, so that a store recognises its own
   * directory behind it, e.g. as a rename target.
   */
  readonly backing?: Dir;
  lookup(name: string): Promise<FsObj | undefined>;
  /** Up to `limit` entries with names byte-wise after `after` (from the start if undefined), in byte-wise name order. */
  list(after: string | undefined, limit: number): Promise<DirEntry[]>;
  /**
   * Creates `name`; its kind follows perm (DMDIR, DMSYMLINK, DMNAMEDPIPE, else a file; other type
   * bits: Inval). Exists(name) if taken. Moves this directory's version and mtime.
   */
  create(name: string, perm: number, opts: CreateOptions): Promise<FsObj>;
  /**
   * Unlinks `name`: Notfound(name) if missing or, with `expect`, not that object; NotEmpty(name) for
   * a non-empty directory. Moves the object's and this directory's versions.
   */
  remove(name: string, expect?: FsObj): Promise<FsObj>;
  /**
   * Moves `oldName` to `newName` in `newDir` (this directory or another of the same store, else
   * Inval). A target is replaced only by an object of its own family (deviation 14, as POSIX
   * rename): a directory replaces only an empty directory (a non-empty one is NotEmpty(newName),
   * a non-directory NotDir(newName)); a non-directory replaces only a non-directory (a directory
   * is Isdir(newName)). Notfound(oldName) if
   * missing or, with `expect`, not that object. Moves the moved object's, each directory's and a
   * replaced object's versions.
   */
  rename(oldName: string, newDir: Dir, newName: string, expect?: FsObj): Promise<RenameResult>;
}

/** A byte object: a file, or a symlink holding its target (a path or a mount record). */
export interface ByteObj extends ObjBase {
  readonly kind: "file" | "symlink";
  /** Bytes [offset, offset+count), empty at or past the end. Version(current) if `version` is not NoV and differs. */
  read(offset: bigint, count: number, version?: number): Promise<Uint8Array>;
  /** Writes at offset (NoOffset appends), zero-filling a gap; returns the count; one version move. */
  write(offset: bigint, data: Uint8Array, version?: number): Promise<number>;
  /** Sets the size (zero-extending); one version move. */
  truncate(size: bigint): Promise<void>;
  /** Replaces the whole content; one version move. */
  replace(data: Uint8Array): Promise<number>;
}

export interface File extends ByteObj {
  readonly kind: "file";
}

export interface Symlink extends ByteObj {
  readonly kind: "symlink";
}

/** A named pipe (spec 4.12). */
export interface Pipe extends ObjBase {
  readonly kind: "pipe";
  /**
   * Registers a reader (OREAD) or writer (OWRITE) and, if `block`, waits until the other side
   * exists or has gone. Other modes: Inval. A side closed for good: Closed("pipe"); removed while
   * waiting: Notfound("pipe").
   */
  open(mode: number, ctx: WaitContext, block?: boolean): Promise<void>;
  /** Drops that side's count (OREAD/OWRITE only); a side reaching zero is closed for good. */
  close(mode: number): Promise<void>;
  read(count: number, ctx: WaitContext, version?: number): Promise<Uint8Array>;
  write(data: Uint8Array, ctx: WaitContext, version?: number): Promise<number>;
}

/** A device: behaviour supplied by server code (spec 10.1). */
export interface Device extends ObjBase {
  readonly kind: "device";
  /** Whether it answers Twriteread. */
  readonly rpc: boolean;
  /** May yield another object, which the opening fid then refers to. */
  open(mode: number, ctx: WaitContext): Promise<FsObj | undefined>;
  close(mode: number, ctx: WaitContext): Promise<void>;
  read(offset: bigint, count: number, ctx: WaitContext, version?: number): Promise<Uint8Array>;
  write(offset: bigint, data: Uint8Array, ctx: WaitContext, version?: number): Promise<number>;
  writeRead(req: Uint8Array, ctx: WaitContext): Promise<Uint8Array>;
}

export type FsObj = Dir | File | Symlink | Pipe | Device;

/** What server code supplies for a device; a missing read or write answers NotSupported. */
export interface DeviceHandlers {
  read?(offset: bigint, count: number, ctx: WaitContext): Uint8Array | Promise<Uint8Array>;
  write?(offset: bigint, data: Uint8Array, ctx: WaitContext): number | Promise<number>;
  open?(mode: number, ctx: WaitContext): FsObj | undefined | Promise<FsObj | undefined>;
  close?(mode: number, ctx: WaitContext): void | Promise<void>;
  /** Present for RPC devices (Twriteread): request bytes in, reply bytes out. */
  writeRead?(req: Uint8Array, ctx: WaitContext): Uint8Array | Promise<Uint8Array>;
}
