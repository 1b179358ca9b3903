/**
 * FsLib: the application's view of the sigmap namespace (spec 6.5). It composes the layers below
 * (fidclnt → pathclnt → fdclnt) and adds whole-file operations, directories, readers and writers,
 * and mount helpers. Every remote call is async and takes a last `opts?: { signal?, timeoutMs? }`.
 */
import type { Readable, Writable } from "node:stream";
import {
  ErrCode,
  MAXGETSET,
  Mode,
  NoOffset,
  Perm,
  QType,
  RootRealm,
  type Stat,
  type Taddr,
  type Tfence,
  type Tmount,
  type Tqid,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { SessionClientOptions, SessionClosedEvent } from "../session/types.js";
import { type CallOpts, limitsOf, type Limits } from "./call-limits.js";
import * as dirOps from "./dir-ops.js";
import { isErrExists, isErrNotfound, isErrUnreachable, isMaybeSpecialElem } from "./errors.js";
import { FdClient } from "./fd-client.js";
import { FidClient } from "./fid-client.js";
import * as jsonFiles from "./json-files.js";
import { defaultLocalIp } from "./local-ip.js";
import * as mountOps from "./mount-ops.js";
import { openSessionClient } from "./open-session.js";
import { PathClient } from "./path-client.js";
import { checkCount, checkOffset, type Offset, putOffset } from "./offsets.js";
import { randomSuffix } from "./random-suffix.js";
import * as readers from "./readers.js";
import { SessionPool, sessionKey } from "./session-pool.js";
import type { OpenSession } from "./session-port.js";
import { joinPath, parsePath, splitLast, splitPath } from "./split-path.js";
import * as streams from "./node-streams.js";
import { observed, type OpenWatchResult, type Watch } from "./watch.js";
import * as writers from "./writers.js";
import { withDefaults } from "../options.js";
import { tokenBytes, tokenUser } from "./token-credentials.js";

export type { CallOpts } from "./call-limits.js";

/** Options of `FsLib.connect`; defaults in DEFAULTS. */
export interface FsLibOptions {
  /** named's address, `host:port`, or its replicas' addresses tried in order. */
  named: string | readonly string[];
  /**
   * Recorded by servers as the owner of what this client creates. Default: the token's user,
   * else `"sigma"`. A server that checks tokens refuses any other name than the token's user.
   */
  uname?: string;
  /**
   * A token (`sigma token issue`) sent in every session's hello; servers started with
   * `--auth-keys` refuse sessions without one (docs/security.md). Default none.
   */
  token?: string;
  /** Dial every server with TLS, trusting only this CA (PEM; `--tls-ca`). Default plain TCP. */
  tlsCa?: string | Buffer;
  /** The client's realm. Default `rootrealm`. */
  realm?: string;
  /** The IP `~local` union elements match. Default: the first non-internal IPv4 address. */
  localIp?: string;
  /** The network whose addresses are dialed first. Default: the realm. */
  net?: string;
  /** Largest read or write of one request. Default 10,000,000 bytes. */
  chunkSize?: number;
  /** The servers' session timeout (the reconnect window is twice this). Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** Further session-layer settings (keepalive, silence deadline, …). */
  session?: Omit<SessionClientOptions, "addrs">;
  /** How sessions are opened. Default: the session layer's SessionClient. */
  openSession?: OpenSession;
}

/** Defaults of FsLibOptions, merged in `connect` and nowhere else. */
export const DEFAULTS = {
  uname: "sigma",
  realm: RootRealm,
  chunkSize: 10_000_000,
  sessionTimeoutMs: 1000,
} as const;

/** Where a path's longest mount is, as `lastMount` reports it. */
export interface LastMount {
  /** The mount point, e.g. `name/srv`. */
  mountPath: string;
  /** The path after the mount point. */
  rest: string;
  /** The mount record of the mount (addresses and tree). */
  mount: Tmount;
}

/** `readDir`'s result: the entries and the still-open directory descriptor (for setDirWatch). */
export interface DirListing {
  entries: Stat[];
  fd: number;
}

/**
 * The client library: build one with `FsLib.connect`. Every remote method takes a last
 * `opts?: { signal?, timeoutMs? }` and fails with Timeout or Aborted when those pass, and with
 * SessClosed once the session it needs has closed. See docs/fslib.md.
 */
export class FsLib {
  readonly #fids: FidClient;
  readonly #paths: PathClient;
  readonly #fds: FdClient;
  readonly #named: readonly string[];
  #chunkSize: number;
  /** Servers record this as the owner of created objects. */
  readonly uname: string;
  /** The client's realm. */
  readonly realm: string;
  readonly #localIp: string;
  readonly #net: string;

  private constructor(opts: FsLibOptions) {
    const o = withDefaults(DEFAULTS, { ...opts, uname: opts.uname ?? tokenUser(opts.token) });
    this.#named = typeof o.named === "string" ? [o.named] : [...o.named];
    this.uname = o.uname;
    this.realm = o.realm;
    this.#net = o.net ?? o.realm;
    this.#localIp = o.localIp ?? defaultLocalIp();
    this.#chunkSize = o.chunkSize;
    const pool = new SessionPool(
      o.openSession ?? openSessionClient,
      {
        sessionTimeoutMs: o.sessionTimeoutMs,
        credentials: tokenBytes(o.token),
        tls: o.tlsCa === undefined ? undefined : { ca: o.tlsCa },
        ...o.session,
      },
      (entry) => this.#fids.sessionClosed(entry),
    );
    this.#fids = new FidClient(pool);
    this.#paths = new PathClient(this.#fids, {
      uname: this.uname,
      net: this.#net,
      localIp: this.#localIp,
      chunkSize: () => this.#chunkSize,
    });
    this.#fds = new FdClient(this.#paths);
  }

  /**
   * Builds the client layers, attaches to named with tree `""` and mounts it at `name`. Errors:
   * Unreachable (no named address answers), ProtocolMismatch, Timeout, Aborted.
   */
  static async connect(opts: FsLibOptions, callOpts?: CallOpts): Promise<FsLib> {
    const fsl = new FsLib(opts);
    try {
      await fsl.#paths.attachMount(["name"], fsl.namedMount(), false, limitsOf(callOpts));
    } catch (e) {
      // A session may have opened before the attach failed; it must not outlive the failure.
      await fsl.exit().catch(() => undefined);
      throw e;
    }
    return fsl;
  }

  // ---- files and descriptors --------------------------------------------------------------

  /**
   * Creates `path` (perm, opened with mode) and returns an fd at offset 0. The parent is resolved
   * fully. OWATCH blocks while the name exists; DMTMP makes it ephemeral. Errors: Exists, Notfound
   * (parent), NotDir, Inval, Unreachable, SessClosed, Timeout, Aborted.
   */
  async create(path: string, perm: number, mode: number, opts?: CallOpts): Promise<number> {
    const lim = limitsOf(opts);
    const { dir, base } = lastElem(path);
    const fid = await this.#paths.walk(dir, true, lim);
    try {
      await this.#fids.create(fid, base, u32(perm), mode, lim);
    } catch (e) {
      await this.#clunkQuietly(fid);
      throw e;
    }
    return this.#fds.adopt(fid, mode);
  }

  /**
   * Opens `path` (a trailing `/` follows a final symlink or mount) and returns an fd at offset 0.
   * OTRUNC truncates. Errors: Notfound, Unreachable, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  async open(path: string, mode: number, opts?: CallOpts): Promise<number> {
    return this.#open(path, mode, limitsOf(opts));
  }

  /**
   * Opens `path`, or, if it is missing, arms a watch on its parent directory and returns
   * `{ kind: "missing", error, changed }` (spec 6.6). Errors as `open`, except Notfound of the
   * file itself; Notfound of the parent is thrown.
   */
  async openWatch(path: string, mode: number, opts?: CallOpts): Promise<OpenWatchResult> {
    const lim = limitsOf(opts);
    try {
      return { kind: "open", fd: await this.#open(path, mode, lim) };
    } catch (e) {
      if (!isErrNotfound(e)) throw e;
      const { dir } = lastElem(path);
      const dirFid = await this.#paths.walk(dir, true, lim).catch(() => {
        throw e;
      });
      try {
        // A cloned mount fid carries the qid of its attach; the watch needs the current one.
        this.#fids.state(dirFid).qid = (await this.#fids.stat(dirFid, lim)).qid;
        const fd = await this.#open(path, mode, lim).catch((e2: unknown) => {
          if (!isErrNotfound(e2)) throw e2;
          return undefined;
        });
        if (fd !== undefined) {
          await this.#clunkQuietly(dirFid);
          return { kind: "open", fd };
        }
      } catch (e3) {
        await this.#clunkQuietly(dirFid);
        throw e3;
      }
      const changed = this.#fids.watch(dirFid, lim).then(
        () => undefined,
        (we: unknown) => {
          if (!isSigmaErr(we, ErrCode.Version)) throw we;
        },
      );
      void changed.finally(() => this.#clunkQuietly(dirFid)).catch(() => undefined);
      return { kind: "missing", error: e, changed: observed(changed) };
    }
  }

  /** Creates `path`; if it exists, opens it with `mode` instead. Errors as create and open. */
  async createOpen(path: string, perm: number, mode: number, opts?: CallOpts): Promise<number> {
    try {
      return await this.create(path, perm, mode, opts);
    } catch (e) {
      if (!isErrExists(e)) throw e;
      return this.open(path, mode & ~Mode.OWATCH, opts);
    }
  }

  /** `close()` with no fd is `exit()`: Tdetach on every session. */
  close(): Promise<void>;
  /** Clunks the fd's fid and frees the fd. Errors: BadFd, SessClosed (the fd is freed anyway). */
  close(fd: number, opts?: CallOpts): Promise<void>;
  async close(fd?: number, opts?: CallOpts): Promise<void> {
    if (fd === undefined) return this.exit();
    await this.#fds.close(fd, limitsOf(opts));
  }

  /**
   * Reads up to `n` bytes (a safe non-negative integer number) at the fd's offset without a
   * version check (chunked); the offset advances. Empty at the end. Errors: Inval (`n`), BadFd,
   * Stale, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  read(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.read(fd, n, limitsOf(opts));
  }

  /** Like `read`, but fails with Version if the object moved since the fd's walk or open. */
  readV(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.read(fd, n, limitsOf(opts), { versioned: true });
  }

  /** Like `readV`, but never fenced. */
  readVU(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.read(fd, n, limitsOf(opts), { versioned: true, unfenced: true });
  }

  /**
   * Writes `data` at the fd's offset without a version check (chunked); returns the count and
   * advances the offset. Errors: BadFd, Isdir, Stale, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  write(fd: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#fds.write(fd, data, limitsOf(opts));
  }

  /**
   * Like `write`, but fails with Version if the object moved since the fd's walk or open. The
   * client does not refresh the version after its own write, so a second writeV through the same
   * fd fails with Version.
   */
  writeV(fd: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#fds.write(fd, data, limitsOf(opts), { versioned: true });
  }

  /**
   * Reads up to `n` bytes at `offset` without a version check (chunked), leaving the fd's offset
   * alone: concurrent positional reads of one fd do not disturb each other. Errors as `read`.
   */
  async pread(fd: number, offset: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.readAt(fd, checkOffset(offset), checkCount(n), limitsOf(opts));
  }

  /** Writes `data` at `offset` without a version check (chunked), leaving the fd's offset alone. */
  async pwrite(fd: number, offset: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#fds.writeAt(fd, checkOffset(offset), data, limitsOf(opts));
  }

  /** Twriteread: sends `data` to the device the fd names and returns its reply. */
  writeRead(fd: number, data: Uint8Array, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.writeRead(fd, data, limitsOf(opts));
  }

  /**
   * Sets the fd's offset, a safe non-negative integer number. Errors: Inval (a bigint, a fraction,
   * a negative number), BadFd, SessClosed.
   */
  seek(fd: number, offset: number): void {
    this.#fds.seek(fd, checkOffset(offset));
  }

  /** The qid last seen for the fd's object (at open or create). Errors: BadFd, SessClosed. */
  qid(fd: number): Tqid {
    return this.#fds.qid(fd);
  }

  // ---- paths ------------------------------------------------------------------------------

  /**
   * The Stat of `path`. Exactly a mount point (no trailing `/`): a local Stat named by the
   * server's address list, without a request. Errors: Notfound, Unreachable, SessClosed, ….
   */
  async stat(path: string, opts?: CallOpts): Promise<Stat> {
    const { elems, resolveLast } = parsePath(path);
    const m = resolveLast ? undefined : this.#paths.mounts.exact(elems);
    if (m !== undefined) {
      return mountStat(sessionKey(m.value.addrs), m.value.qid);
    }
    return this.#withFid(elems, resolveLast, limitsOf(opts), (fid, lim) =>
      this.#fids.stat(fid, lim),
    );
  }

  /**
   * Removes `path` (a trailing `/` removes what a final symlink points to): one Tremovefile from
   * the longest mount, falling back to walk + Tremove when a symlink or union is in the way or the
   * server is unreachable. Mounts this client learned at or below `path` are dropped (the records
   * they came from are gone). Errors: Notfound, NotEmpty, Inval, Stale, SessClosed, ….
   */
  async remove(path: string, opts?: CallOpts): Promise<void> {
    const lim = limitsOf(opts);
    const { elems, resolveLast } = parsePath(path);
    try {
      const { mount, rest } = this.#paths.resolve(elems, resolveLast);
      const fid = this.#paths.directFid(mount);
      if (fid !== undefined) {
        await this.#fids.removefile(fid, rest, resolveLast, lim);
        this.#paths.dropLearnedMounts(elems);
        return;
      }
    } catch (e) {
      if (!isMaybeSpecialElem(e) && !isErrUnreachable(e)) throw e;
    }
    await this.#withFid(elems, resolveLast, lim, (fid, l) => this.#fids.remove(fid, l));
    this.#paths.dropLearnedMounts(elems);
  }

  /**
   * Renames `from` to `to`: within one directory a Twstat, else Trenameat on both parents (which
   * must be on the same server: Inval otherwise). An existing target is replaced only within its
   * family (deviation 14): a directory an empty directory, a non-directory a non-directory.
   * Mounts this client learned at or below `from` or `to` are dropped. Errors: Notfound,
   * NotEmpty / NotDir / Isdir (naming the target), Inval, Stale, SessClosed, ….
   */
  async rename(from: string, to: string, opts?: CallOpts): Promise<void> {
    const lim = limitsOf(opts);
    const src = lastElem(from);
    const dst = lastElem(to);
    if (joinPath(src.dir) === joinPath(dst.dir)) {
      await this.#withFid(splitPath(from), false, lim, (fid, l) =>
        this.#fids.wstat(fid, renameStat(dst.base), l),
      );
    } else {
      await this.#withFid(src.dir, true, lim, (oldFid, l) =>
        this.#withFid(dst.dir, true, l, (newFid, l2) =>
          this.#fids.renameat(oldFid, src.base, newFid, dst.base, l2),
        ),
      );
    }
    // Both names changed meaning: `from` is gone and `to` holds what `from` held.
    this.#paths.dropLearnedMounts(splitPath(from));
    this.#paths.dropLearnedMounts(splitPath(to));
  }

  // ---- whole files ------------------------------------------------------------------------

  /**
   * The content of `path`, up to MAXGETSET bytes: one Tgetfile from the longest mount, or walk +
   * Tgetfile when a symlink or union is in the way. Errors: Notfound, NotFile, Stale, ….
   */
  async getFile(path: string, opts?: CallOpts): Promise<Uint8Array> {
    const lim = limitsOf(opts);
    const { elems, resolveLast } = parsePath(path);
    try {
      const { mount, rest } = this.#paths.resolve(elems, resolveLast);
      const fid = this.#paths.directFid(mount);
      if (fid !== undefined) return await this.#getfile(fid, rest, resolveLast, lim);
    } catch (e) {
      if (!isMaybeSpecialElem(e)) throw e;
    }
    return this.#withFid(elems, resolveLast, lim, (fid, l) =>
      this.#getfile(fid, [], resolveLast, l),
    );
  }

  #getfile(fid: number, wnames: string[], resolve: boolean, lim: Limits): Promise<Uint8Array> {
    return this.#fids.getfile(fid, wnames, resolve, Mode.OREAD, 0n, MAXGETSET, lim);
  }

  /**
   * Creates or replaces `path` with `data` (Tputfile with mode|OWRITE|OTRUNC at 0); returns the
   * count. OEXCL fails with Exists if present; OWATCH waits while it exists; DMTMP in perm makes
   * it ephemeral. Data above MAXGETSET is Inval. Errors: Notfound (parent), NotDir, Stale, ….
   */
  async putFile(
    path: string,
    perm: number,
    mode: number,
    data: Uint8Array,
    opts?: CallOpts,
  ): Promise<number> {
    return this.#put(path, u32(perm), mode | Mode.OWRITE | Mode.OTRUNC, 0n, data, limitsOf(opts));
  }

  /**
   * Writes `data` into `path` at `offset` without truncating (Tputfile, perm 0777), creating a
   * missing file. `offset` is a safe non-negative integer number, or NoOffset with OAPPEND to
   * append. Returns the count. Errors: Inval (any other offset), and putFile's.
   */
  async setFile(
    path: string,
    data: Uint8Array,
    mode: number,
    offset: Offset,
    opts?: CallOpts,
  ): Promise<number> {
    return this.#put(path, 0o777, mode | Mode.OWRITE, putOffset(offset), data, limitsOf(opts));
  }

  /**
   * Writes `data` to a fresh temporary name beside `path` (16 random characters appended, OEXCL),
   * then renames it onto `path`: readers see the old or the new content, never a mix.
   */
  async putFileAtomic(
    path: string,
    perm: number,
    data: Uint8Array,
    opts?: CallOpts,
  ): Promise<void> {
    const target = joinPath(splitPath(path));
    const tmp = target + randomSuffix(16);
    await this.putFile(tmp, perm, Mode.OWRITE | Mode.OEXCL, data, opts);
    await this.rename(tmp, target, opts);
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
  async mkDir(path: string, perm = 0o777, opts?: CallOpts): Promise<void> {
    const fd = await this.create(path, perm | Perm.DMDIR, Mode.OREAD, opts);
    await this.close(fd, opts);
  }

  /** Whether `path` is a directory. Errors: stat's. */
  async isDir(path: string, opts?: CallOpts): Promise<boolean> {
    const st = await this.stat(path, opts);
    return (st.mode & Perm.DMDIR) !== 0 || (st.qid.type & QType.QTDIR) !== 0;
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

  // ---- watches ----------------------------------------------------------------------------

  /**
   * Arms a watch on the open directory `fd`: it fires on any create, remove or rename in it, and
   * fails with Version if the directory changed since the fd was opened. Errors: BadFd.
   */
  async setDirWatch(fd: number, opts?: CallOpts): Promise<Watch> {
    const { fid } = this.#fds.entry(fd);
    return { fired: observed(this.#fids.watch(fid, limitsOf(opts))) };
  }

  /**
   * Arms a watch that fires when `path` is removed or renamed away (its fid is clunked then).
   * Errors: Notfound if it is already gone, and walk errors.
   */
  async setRemoveWatch(path: string, opts?: CallOpts): Promise<Watch> {
    const lim = limitsOf(opts);
    const { elems, resolveLast } = parsePath(path);
    const fid = await this.#paths.walk(elems, resolveLast, lim);
    const fired = this.#fids.watch(fid, lim);
    void fired.finally(() => this.#clunkQuietly(fid)).catch(() => undefined);
    return { fired: observed(fired) };
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
  async symlink(
    target: string | Uint8Array,
    link: string,
    perm = 0o777,
    opts?: CallOpts,
  ): Promise<void> {
    const bytes = typeof target === "string" ? new TextEncoder().encode(target) : target;
    const fd = await this.create(link, perm | Perm.DMSYMLINK, Mode.OWRITE, opts);
    try {
      await this.write(fd, bytes, opts);
    } finally {
      await this.close(fd, opts);
    }
  }

  /** Creates a named pipe (opened ORDWR and closed, so the creator leaves the counts alone). */
  async makePipe(path: string, perm = 0o777, opts?: CallOpts): Promise<void> {
    const fd = await this.create(path, perm | Perm.DMNAMEDPIPE, Mode.ORDWR, opts);
    await this.close(fd, opts);
  }

  /** Registers a server: an ephemeral mount-record symlink at `path`, written atomically. */
  mountService(path: string, mount: Tmount, opts?: CallOpts): Promise<void> {
    return mountOps.mountService(this, path, mount, opts);
  }

  /** mountService at `dir/name`; `dir` must exist. */
  mountServiceUnion(dir: string, mount: Tmount, name: string, opts?: CallOpts): Promise<void> {
    return mountOps.mountService(this, `${joinPath(splitPath(dir))}/${name}`, mount, opts);
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

  /** Attaches to `tree` on the server at `addrs` and mounts it at `mountPath`. */
  async mountTree(
    addrs: readonly (string | Taddr)[],
    tree: string,
    mountPath: string,
    opts?: CallOpts,
  ): Promise<void> {
    const mount = toMount(addrs, tree, this.#net);
    await this.#paths.attachMount(splitPath(mountPath), mount, false, limitsOf(opts));
  }

  /** Mounts the attached `fid` at `path`. Errors: Unknownfid, Exists (something is mounted). */
  mount(fid: number, path: string): void {
    const st = this.#fids.state(fid);
    const mount = toMount(st.entry.addrs, "", this.#net);
    this.#paths.mountFid(splitPath(path), fid, mount, st.entry.addrs, false);
  }

  /** The mount points, longest first. */
  mounts(): string[] {
    return this.#paths.mounts.entries().map((e) => joinPath(e.path));
  }

  /** The longest mount of `path` and the rest. Errors: Unreachable("no mount"). */
  lastMount(path: string): LastMount {
    const { elems, resolveLast } = parsePath(path);
    const { mount, rest } = this.#paths.resolve(elems, resolveLast || elems.length === 0);
    return { mountPath: joinPath(mount.path), rest: joinPath(rest), mount: mount.value.mount };
  }

  /** The attach record of named. */
  namedMount(): Tmount {
    return toMount(this.#named, "", this.#net);
  }

  /** Unmounts `path` and detaches (Tdetach) its session. */
  async detach(path: string): Promise<void> {
    const m = this.#paths.unmount(splitPath(path));
    await this.#fids.pool.detach(m.entry);
  }

  /**
   * Unmounts `path` and closes its session locally without telling the server (a partition: the
   * server times the session out). Fds of that session fail with SessClosed afterwards.
   */
  async disconnect(path: string): Promise<void> {
    const m = this.#paths.unmount(splitPath(path));
    await this.#fids.pool.disconnect(m.entry);
  }

  /** Sends Tdetach on every session; every later call fails with SessClosed. */
  async exit(): Promise<void> {
    await this.#fids.pool.exit();
    this.#fids.pool.events.end();
  }

  // ---- fid level --------------------------------------------------------------------------

  /** Resolves `path` to a new fid (spec 6.4); clunk it when done. */
  walkPath(path: string, resolve: boolean, opts?: CallOpts): Promise<number> {
    return this.#paths.walk(splitPath(path), resolve, limitsOf(opts));
  }

  /** Attaches `tree` on the server at `addrs` as `uname` and mounts it at `mountPath`. */
  async attach(
    uname: string,
    addrs: readonly string[],
    mountPath: string,
    tree: string,
    opts?: CallOpts,
  ): Promise<number> {
    const path = splitPath(mountPath);
    const fid = await this.#fids.attach(addrs, uname, tree, path, limitsOf(opts));
    if (path.length > 0) {
      this.#paths.mountFid(path, fid, toMount(addrs, tree, this.#net), addrs, false);
    }
    return fid;
  }

  /** Tclunk; the fid number is reused after the server answered. Errors: Unknownfid. */
  clunk(fid: number, opts?: CallOpts): Promise<void> {
    return this.#fids.clunk(fid, limitsOf(opts));
  }

  /** Fenced requests on paths under `path` carry `fence` from now on (adds or overwrites). */
  fenceDir(path: string, fence: Tfence): void {
    this.#fids.fences.set(splitPath(path), fence);
  }

  // ---- local ------------------------------------------------------------------------------

  /** The IP `~local` union elements match. */
  getLocalIp(): string {
    return this.#localIp;
  }

  /** named's addresses. */
  namedAddr(): string[] {
    return [...this.#named];
  }

  /** Sets the largest read or write of one request (bytes, at least 1). */
  setChunkSize(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new SigmaError(ErrCode.Inval, String(n));
    this.#chunkSize = n;
  }

  /** The largest read or write of one request. */
  getChunkSize(): number {
    return this.#chunkSize;
  }

  // ---- sessions ---------------------------------------------------------------------------

  /** One `closed` event per closed session, including those closed before iteration began. */
  sessionEvents(): AsyncIterable<SessionClosedEvent> {
    return this.#fids.pool.events.subscribe();
  }

  /**
   * Replaces the closed session serving `path` by a new one and re-attaches the mounts that used
   * it; its fds, fences and ephemeral files are gone for good. A session still open is kept.
   */
  async reopenSession(path: string, opts?: CallOpts): Promise<void> {
    const lim = limitsOf(opts);
    const { mount } = this.#paths.resolve(splitPath(path), true);
    const old = mount.value.entry;
    await this.#fids.pool.reopen(old.addrs);
    for (const m of [...this.#paths.mounts.entries()]) {
      if (m.value.entry !== old || old.closedEvent === undefined) continue;
      this.#paths.mounts.removeIf(m.path, m.value);
      await this.#paths.attachMount(m.path, m.value.mount, m.value.auto, lim, m.value.source);
    }
  }

  // ---- internals shared with the helper modules -------------------------------------------

  /** @internal The fd layer, for readers and writers in this folder. */
  get fdClient(): FdClient {
    return this.#fds;
  }

  /** @internal The path layer, for helpers in this folder. */
  get pathClient(): PathClient {
    return this.#paths;
  }

  async #open(path: string, mode: number, lim: Limits): Promise<number> {
    const { elems, resolveLast } = parsePath(path);
    const fid = await this.#paths.walk(elems, resolveLast, lim);
    try {
      await this.#fids.open(fid, mode, lim);
    } catch (e) {
      await this.#clunkQuietly(fid);
      throw e;
    }
    return this.#fds.adopt(fid, mode);
  }

  async #put(
    path: string,
    perm: number,
    mode: number,
    offset: bigint,
    data: Uint8Array,
    lim: Limits,
  ): Promise<number> {
    const { elems, resolveLast } = parsePath(path);
    const { dir, base } = lastElem(path, elems);
    try {
      const { mount, rest } = this.#paths.resolve(dir, true);
      const fid = this.#paths.directFid(mount);
      if (fid !== undefined) {
        return await this.#fids.putfile(
          fid,
          [...rest, base],
          resolveLast,
          mode,
          perm,
          offset,
          data,
          lim,
        );
      }
    } catch (e) {
      if (!isMaybeSpecialElem(e) && !isErrUnreachable(e)) throw e;
    }
    try {
      return await this.#withFid(dir, true, lim, (fid, l) =>
        this.#fids.putfile(fid, [base], resolveLast, mode, perm, offset, data, l),
      );
    } catch (e) {
      // The last element itself is a symlink to follow: write through it.
      if (!resolveLast || !isSigmaErr(e, ErrCode.NotDir)) throw e;
      return this.#withFid(elems, true, lim, (fid, l) =>
        this.#fids.putfile(fid, [], false, mode, perm, offset, data, l),
      );
    }
  }

  // Walks to a fid, runs `f` on it and clunks it, whatever happens.
  async #withFid<T>(
    elems: readonly string[],
    resolveLast: boolean,
    lim: Limits,
    f: (fid: number, lim: Limits) => Promise<T>,
  ): Promise<T> {
    const fid = await this.#paths.walk(elems, resolveLast, lim);
    try {
      return await f(fid, lim);
    } finally {
      await this.#clunkQuietly(fid);
    }
  }

  async #clunkQuietly(fid: number): Promise<void> {
    try {
      await this.#fids.clunk(fid);
    } catch {
      // The fid is released either way; a closed session has no fid to clunk.
    }
  }
}

/** Mount records for `addrs` (strings get net `net`). */
function toMount(addrs: readonly (string | Taddr)[], tree: string, net: string): Tmount {
  return {
    addr: addrs.map((a) => (typeof a === "string" ? { addr: a, net } : a)),
    root: tree,
    pubKey: new Uint8Array(0),
  };
}

function lastElem(path: string, elems = splitPath(path)): { dir: string[]; base: string } {
  if (elems.length === 0) throw new SigmaError(ErrCode.Inval, path, `invalid argument: empty path`);
  return splitLast(elems);
}

function u32(n: number): number {
  return n >>> 0;
}

function isSigmaErr(e: unknown, code: number): e is SigmaError {
  return e instanceof SigmaError && e.code === code;
}

function renameStat(name: string): Stat {
  return {
    type: 0,
    dev: 0,
    qid: { type: 0, version: 0, path: 0n },
    mode: 0,
    atime: 0,
    mtime: 0,
    length: 0n,
    name,
    uid: "",
    gid: "",
    muid: "",
  };
}

function mountStat(name: string, qid: Tqid): Stat {
  const dir = (qid.type & QType.QTDIR) !== 0;
  return { ...renameStat(name), qid, mode: dir ? (Perm.DMDIR | 0o777) >>> 0 : 0o777 };
}

/** Offset meaning "append" for `setFile` (re-exported for callers of this module). */
export { NoOffset };
