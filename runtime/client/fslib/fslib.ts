/**
 * FsLib: the application's view of the sigmap namespace (spec 6.5). The core (core.ts) holds the
 * layers and the operations that need them; the methods here are the conveniences, each a
 * one-line call of a function over the core (dir-ops, json-files, readers, writers, node-streams,
 * mount-ops, special-files), which may also be called directly.
 */
import type { Readable, Writable } from "node:stream";
import { Mode, type Stat, type Tmount } from "../../../generated/sigmap/types.js";
import type { CallOpts } from "../call-limits.js";
import { FsLibCore, type DirListing, type FsLibOptions, type LastMount } from "./core.js";
import * as dirOps from "./dir-ops.js";
import * as jsonFiles from "./json-files.js";
import * as mountOps from "./mount-ops.js";
import * as streams from "./node-streams.js";
import * as readers from "./readers.js";
import * as special from "./special-files.js";
import * as writers from "./writers.js";

export type { CallOpts } from "../call-limits.js";
export {
  DEFAULTS,
  FsLibCore,
  NoOffset,
  type DirListing,
  type FsLibOptions,
  type LastMount,
} from "./core.js";

/**
 * The client library: build one with `FsLib.connect`. Every remote method takes a last
 * `opts?: { signal?, timeoutMs? }` and fails with Timeout or Aborted when those pass, and with
 * SessClosed once the session it needs has closed. See docs/fslib.md.
 */
export class FsLib extends FsLibCore {
  /**
   * Builds the client layers, attaches to named with tree `""` and mounts it at `name`. Errors:
   * Unreachable (no named address answers), ProtocolMismatch, Timeout, Aborted.
   */
  static override connect(opts: FsLibOptions, callOpts?: CallOpts): Promise<FsLib> {
    return FsLibCore.start(new FsLib(opts), callOpts);
  }

  // ---- JSON -------------------------------------------------------------------------------

  /** Parses `path` as JSON. Errors: getFile's, Inval for malformed JSON. */
  getFileJson<T = unknown>(path: string, opts?: CallOpts): Promise<T> {
    return jsonFiles.getFileJson<T>(this, path, opts);
  }

  /** Writes `value` as JSON at offset 0 with OWRITE (no truncation: setFile semantics). */
  setFileJson(path: string, value: unknown, opts?: CallOpts): Promise<number> {
    return jsonFiles.setFileJson(this, path, value, opts);
  }

  /** Appends `value` as JSON (OAPPEND at NoOffset); `jsonReader` reads such a file back. */
  appendFileJson(path: string, value: unknown, opts?: CallOpts): Promise<number> {
    return jsonFiles.appendFileJson(this, path, value, opts);
  }

  /** putFile of `value` as JSON. */
  putFileJson(
    path: string,
    perm: number,
    value: unknown,
    mode = 0,
    opts?: CallOpts,
  ): Promise<number> {
    return jsonFiles.putFileJson(this, path, perm, value, mode, opts);
  }

  /** putFileAtomic of `value` as JSON. */
  putFileJsonAtomic(path: string, perm: number, value: unknown, opts?: CallOpts): Promise<void> {
    return jsonFiles.putFileJsonAtomic(this, path, perm, value, opts);
  }

  /** Waits until `path` exists, then parses it as JSON. */
  getFileJsonWatch<T = unknown>(path: string, opts?: CallOpts): Promise<T> {
    return jsonFiles.getFileJsonWatch<T>(this, path, opts);
  }

  /** The JSON values stored back to back in `path` (as appendFileJson writes them), streamed. */
  jsonReader(path: string, opts?: CallOpts): AsyncIterable<unknown> {
    return jsonFiles.jsonReader(this, path, opts);
  }

  /** The length-prefixed records of `path` (as writeJsonRecord writes them), streamed. */
  recordReader(path: string, opts?: CallOpts): AsyncIterable<Uint8Array> {
    return jsonFiles.recordReader(this, path, opts);
  }

  /** Writes `value` as one record (4-byte big-endian length, then JSON) to `writer`. */
  writeJsonRecord(writer: writers.ByteSink, value: unknown, opts?: CallOpts): Promise<void> {
    return jsonFiles.writeJsonRecord(writer, value, opts);
  }

  // ---- directories ------------------------------------------------------------------------

  /** Creates the directory `path` (perm | DMDIR). Errors: Exists, Notfound (parent), …. */
  mkDir(path: string, perm = 0o777, opts?: CallOpts): Promise<void> {
    return dirOps.mkDir(this, path, perm, opts);
  }

  /** Whether `path` is a directory. Errors: stat's. */
  isDir(path: string, opts?: CallOpts): Promise<boolean> {
    return dirOps.isDir(this, path, opts);
  }

  /** Every entry of the directory `dir`. Errors: Notfound, Unreachable, SessClosed, …. */
  getDir(dir: string, opts?: CallOpts): Promise<Stat[]> {
    return dirOps.getDir(this, dir, opts);
  }

  /** Every entry of `dir` and the open directory fd (for setDirWatch); close the fd after. */
  readDir(dir: string, opts?: CallOpts): Promise<DirListing> {
    return dirOps.readDir(this, dir, opts);
  }

  /** The entries of `dir` as they are read; breaking out of the loop closes the directory. */
  dirEntries(dir: string, opts?: CallOpts): AsyncIterable<Stat> {
    return dirOps.dirEntries(this, dir, opts);
  }

  /**
   * Lists `dir`; while `wait(entries)` is true, waits for the directory to change and lists again.
   * A Version from the watch (the directory changed before the watch was armed) is thrown.
   */
  readDirWatch(dir: string, wait: (entries: Stat[]) => boolean, opts?: CallOpts): Promise<Stat[]> {
    return dirOps.readDirWatch(this, dir, wait, opts);
  }

  /** Removes `path` and, if it is a directory, everything below it. */
  rmDir(path: string, opts?: CallOpts): Promise<void> {
    return dirOps.rmDir(this, path, opts);
  }

  /** Removes everything inside `dir`, keeping `dir`. */
  rmDirEntries(dir: string, opts?: CallOpts): Promise<void> {
    return dirOps.rmDirEntries(this, dir, opts);
  }

  /** Copies the contents of `src` into the existing directory `dst`, recursively. */
  copyDir(src: string, dst: string, opts?: CallOpts): Promise<void> {
    return dirOps.copyDir(this, src, dst, opts);
  }

  /** Moves every entry of `src` into `dst` (rename); returns how many moved. */
  moveFiles(src: string, dst: string, opts?: CallOpts): Promise<number> {
    return dirOps.moveFiles(this, src, dst, opts);
  }

  /** A text dump of `dir`: one line per entry with its name, type, version and length. */
  formatDir(dir: string, opts?: CallOpts): Promise<string> {
    return dirOps.formatDir(this, dir, opts);
  }

  /** Copies the file `src` to `dst` (created with the source's mode), chunk by chunk. */
  copyFile(src: string, dst: string, opts?: CallOpts): Promise<void> {
    return dirOps.copyFile(this, src, dst, opts);
  }

  /** Whether every one of `names` is among `stats`. */
  present(stats: readonly Stat[], names: readonly string[]): boolean {
    return dirOps.present(stats, names);
  }

  // ---- readers, writers, streams ----------------------------------------------------------

  /** A fenced reader of `path`: `read(n)` is one TreadV, `getData()` one MAXGETSET read. */
  openReader(path: string, opts?: CallOpts): Promise<readers.Reader> {
    return readers.openReader(this, path, opts);
  }

  /**
   * A reader with a 4 MiB buffer and 4 × 4 MiB read-ahead, starting at `offset` (a safe
   * non-negative integer number; Inval otherwise).
   */
  openAsyncReader(path: string, offset = 0, opts?: CallOpts): Promise<readers.AsyncReader> {
    return readers.openAsyncReader(this, path, offset, opts);
  }

  /** Waits until `path` exists, then returns a reader of it. */
  openReaderWatch(path: string, opts?: CallOpts): Promise<readers.Reader> {
    return readers.openReaderWatch(this, path, opts);
  }

  /** Waits until `path` exists, then returns its content (up to MAXGETSET bytes). */
  getFileWatch(path: string, opts?: CallOpts): Promise<Uint8Array> {
    return readers.getFileWatch(this, path, opts);
  }

  /** Creates `path` and returns a writer of it. */
  createWriter(
    path: string,
    perm: number,
    mode = Mode.OWRITE,
    opts?: CallOpts,
  ): Promise<writers.Writer> {
    return writers.createWriter(this, path, perm, mode, opts);
  }

  /** Opens `path` for writing and returns a writer of it. */
  openWriter(path: string, mode = Mode.OWRITE, opts?: CallOpts): Promise<writers.Writer> {
    return writers.openWriter(this, path, mode, opts);
  }

  /** Creates `path` and returns a writer with a 4 MiB buffer; `close()` flushes. */
  createAsyncWriter(
    path: string,
    perm: number,
    mode = Mode.OWRITE,
    opts?: CallOpts,
  ): Promise<writers.AsyncWriter> {
    return writers.createAsyncWriter(this, path, perm, mode, opts);
  }

  /** A Node Readable of the file `path` (for large files); errors surface as stream errors. */
  createReadStream(path: string, opts?: CallOpts): Readable {
    return streams.createReadStream(this, path, opts);
  }

  /** A Node Writable that creates or truncates `path` and writes to it, for large files. */
  createWriteStream(path: string, perm = 0o777, opts?: CallOpts): Writable {
    return streams.createWriteStream(this, path, perm, opts);
  }

  // ---- symlinks, pipes, mounts ------------------------------------------------------------

  /** Creates the symlink `link` holding `target` (a path or an encoded mount record). */
  symlink(target: string | Uint8Array, link: string, perm = 0o777, opts?: CallOpts): Promise<void> {
    return special.symlink(this, target, link, perm, opts);
  }

  /** Creates a named pipe (opened ORDWR and closed, so the creator leaves the counts alone). */
  makePipe(path: string, perm = 0o777, opts?: CallOpts): Promise<void> {
    return special.makePipe(this, path, perm, opts);
  }

  /** Registers a server: an ephemeral mount-record symlink at `path`, written atomically. */
  mountService(path: string, mount: Tmount, opts?: CallOpts): Promise<void> {
    return mountOps.mountService(this, path, mount, opts);
  }

  /** mountService at `dir/name`; `dir` must exist. */
  mountServiceUnion(dir: string, mount: Tmount, name: string, opts?: CallOpts): Promise<void> {
    return mountOps.mountServiceUnion(this, dir, mount, name, opts);
  }

  /** A trailing `/` makes a union entry named by the first address, else mountService. */
  mkMountSymlink(path: string, mount: Tmount, opts?: CallOpts): Promise<void> {
    return mountOps.mkMountSymlink(this, path, mount, opts);
  }

  /** The mount record in the symlink `path` itself. Errors: Inval if it holds no record. */
  readMount(path: string, opts?: CallOpts): Promise<Tmount> {
    return mountOps.readMount(this, path, opts);
  }

  /** `path` with its first union element replaced by the chosen entry's name, ending in `/`. */
  resolveUnion(path: string, opts?: CallOpts): Promise<string> {
    return mountOps.resolveUnion(this, path, false, opts);
  }

  /** `path` with every union element replaced, ending in `/`. */
  resolveUnions(path: string, opts?: CallOpts): Promise<string> {
    return mountOps.resolveUnion(this, path, true, opts);
  }

  /** The mount record serving `path` and the rest of the path below it (`name/…`: named's). */
  copyMount(path: string, opts?: CallOpts): Promise<{ mount: Tmount; rest: string }> {
    return mountOps.copyMount(this, path, opts);
  }

  /** Forces the automount of `path` (stat of `path/`) and reports its last mount. */
  pathLastSymlink(path: string, opts?: CallOpts): Promise<LastMount> {
    return mountOps.pathLastSymlink(this, path, opts);
  }
}
