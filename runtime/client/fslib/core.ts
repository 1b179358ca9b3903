/**
 * The core of FsLib (spec 6.5): it composes the layers below (fidclnt → pathclnt → fdclnt) and
 * offers connect, descriptors, path and whole-file operations, watches, mounts and sessions.
 * Everything else FsLib offers (JSON, directories, readers and writers, mount records) is a
 * function over this class's public methods (the other files of this folder). Every remote call
 * is async and takes a last `opts?: { signal?, timeoutMs? }`.
 */
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
} from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { SigmapFsLibMethods } from "../../../generated/sigmap/client.js";
import type { RequestDesc } from "../../contract/index.js";
import type {
  SessionClientOptions,
  SessionClosedEvent,
  TlsClientOptions,
} from "../../session/client/client-types.js";
import { type CallOpts, limitsOf, type Limits } from "../call-limits.js";
import { isErrExists, isErrNotfound, isErrUnreachable, isMaybeSpecialElem } from "../errors.js";
import { FdClient } from "../fd/fd-client.js";
import { FidClient } from "../fid/fid-client.js";
import { defaultLocalIp } from "./local-ip.js";
import { openSessionClient } from "../fid/open-session.js";
import { PathClient } from "../path/path-client.js";
import { checkCount, checkOffset, type Offset, putOffset } from "../fd/offsets.js";
import { randomSuffix } from "./random-suffix.js";
import { SessionPool, sessionKey } from "../fid/session-pool.js";
import type { OpenSession } from "../fid/session-port.js";
import { joinPath, parsePath, splitLast, splitPath } from "../split-path.js";
import { observed, type OpenWatchResult, type Watch } from "./watch.js";
import { DEFAULT_SESSION_TIMEOUT_MS } from "../../defaults.js";
import { withDefaults } from "../../options.js";
import { tokenBytes, tokenUser } from "./token-credentials.js";
import { netWithTls } from "../path/addr-tls.js";

export type { CallOpts } from "../call-limits.js";

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
  /** Dial every server over TLS: `{ ca }` the servers' CA (PEM); `cert`/`key` for mutual TLS. */
  tls?: TlsClientOptions;
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
  sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
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
 * FsLib's core; build the full client with `FsLib.connect`. Every remote method takes a last
 * `opts?: { signal?, timeoutMs? }` and fails with Timeout or Aborted when those pass, and with
 * SessClosed once the session it needs has closed. See docs/fslib.md.
 */
export class FsLibCore extends SigmapFsLibMethods {
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
  /** The `net` of records this client writes for bare addresses: marked if it dials TLS. */
  readonly #recordNet: string;

  protected constructor(opts: FsLibOptions) {
    super();
    const o = withDefaults(DEFAULTS, { ...opts, uname: opts.uname ?? tokenUser(opts.token) });
    this.#named = typeof o.named === "string" ? [o.named] : [...o.named];
    this.uname = o.uname;
    this.realm = o.realm;
    this.#net = o.net ?? o.realm;
    this.#recordNet = netWithTls(this.#net, o.tls !== undefined);
    this.#localIp = o.localIp ?? defaultLocalIp();
    this.#chunkSize = o.chunkSize;
    const pool = new SessionPool(
      o.openSession ?? openSessionClient,
      {
        sessionTimeoutMs: o.sessionTimeoutMs,
        ...(o.tls === undefined ? {} : { tls: o.tls }),
        credentials: tokenBytes(o.token),
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
  static connect(opts: FsLibOptions, callOpts?: CallOpts): Promise<FsLibCore> {
    return FsLibCore.start(new FsLibCore(opts), callOpts);
  }

  /** connect's second half, for subclasses: attach to named and mount it at `name`. */
  protected static async start<T extends FsLibCore>(fsl: T, callOpts?: CallOpts): Promise<T> {
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

  /**
   * Exactly one TreadV of up to `n` bytes at the fd's offset (capped to `readCount(fd)`), fenced,
   * without a version check; the offset advances. Empty at the end. Errors as `read`.
   */
  readOnce(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fds.readOnce(fd, n, limitsOf(opts));
  }

  /** The largest read or write one request on the fd makes: the chunk size or the frame limit. */
  readCount(fd: number): number {
    return this.#paths.readCount(this.#fds.entry(fd).fid);
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
   * must be on the same server: Inval otherwise), walked concurrently. An existing target is replaced only within its
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
      // Both parents are walked at once and clunked at once: three round trips instead of five,
      // with the same outcome (the source's walk error first, then the target's).
      const walkFrom = this.#paths.walk(src.dir, true, lim);
      const walkInto = this.#paths.walk(dst.dir, true, lim);
      let oldDir: number;
      try {
        oldDir = await walkFrom;
      } catch (e) {
        // Not waited for: the source's error is the answer, whatever the target's walk does.
        walkInto.then((fid) => this.#clunkQuietly(fid)).catch(() => undefined);
        throw e;
      }
      let newDir: number;
      try {
        newDir = await walkInto;
      } catch (e) {
        await this.#clunkQuietly(oldDir);
        throw e;
      }
      try {
        await this.#fids.renameat(oldDir, src.base, newDir, dst.base, lim);
      } finally {
        await Promise.all([this.#clunkQuietly(oldDir), this.#clunkQuietly(newDir)]);
      }
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

  /** Attaches to `tree` on the server at `addrs` and mounts it at `mountPath`. */
  async mountTree(
    addrs: readonly (string | Taddr)[],
    tree: string,
    mountPath: string,
    opts?: CallOpts,
  ): Promise<void> {
    const mount = toMount(addrs, tree, this.#recordNet);
    await this.#paths.attachMount(splitPath(mountPath), mount, false, limitsOf(opts));
  }

  /** Mounts the attached `fid` at `path`. Errors: Unknownfid, Exists (something is mounted). */
  mount(fid: number, path: string): void {
    const st = this.#fids.state(fid);
    const t = st.entry.transport;
    const net = t === undefined ? this.#recordNet : netWithTls(this.#net, t === "tls");
    const mount = toMount(st.entry.addrs, "", net);
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
    return toMount(this.#named, "", this.#recordNet);
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
      this.#paths.mountFid(path, fid, toMount(addrs, tree, this.#recordNet), addrs, false);
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

  // ---- generated methods' hooks (runtime/contract/fs-methods.ts) -----------------------------

  protected requestAtPath<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    path: string,
    body: (fid: number) => Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    const { elems, resolveLast } = parsePath(path);
    return this.#withFid(elems, resolveLast, limitsOf(opts), (fid, lim) => {
      const st = this.#fids.state(fid);
      return this.#fids.request(desc, st, st.path, body(fid), lim);
    });
  }

  protected async requestOnFid<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    fid: number,
    body: Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    const st = this.#fids.state(fid);
    return this.#fids.request(desc, st, st.path, body, limitsOf(opts));
  }

  protected async requestNamed<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    body: Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    // The message names no object; named's mount fid only carries the session (busy meanwhile).
    const m = this.#paths.mounts.exact(["name"]);
    if (m === undefined) throw new SigmaError(ErrCode.Unreachable, "name", "no mount: name");
    const st = this.#fids.state(this.#paths.fidOf(m));
    return this.#fids.request(desc, st, st.path, body, limitsOf(opts));
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
