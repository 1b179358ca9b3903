/**
 * The core of FsLib (spec 6.5): it composes the layers below (fidclnt → pathclnt → fdclnt) and
 * offers connect, descriptors, path and whole-file operations, watches, mounts and sessions. The
 * class holds the layers and names the public methods; the operations are functions over its
 * layers, one concept a file (whole-files.ts, path-ops.ts, open-ops.ts, mounts.ts, sessions.ts,
 * generated-hooks.ts, over core-layers.ts). Everything else FsLib offers (JSON, directories,
 * readers and writers, mount records) is a function over this class's public methods (the other
 * files of this folder). Every remote call is async and takes a last `opts?: { signal?, timeoutMs? }`.
 */
import {
  ErrCode,
  Mode,
  NoOffset,
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
import { type CallOpts, limitsOf } from "../call-limits.js";
import { isErrExists } from "../errors.js";
import { FdClient } from "../fd/fd-client.js";
import { FidClient } from "../fid/fid-client.js";
import { defaultLocalIp } from "./local-ip.js";
import { openSessionClient } from "../fid/open-session.js";
import { PathClient } from "../path/path-client.js";
import { checkCount, checkOffset, type Offset, putOffset } from "../fd/offsets.js";
import { randomSuffix } from "./random-suffix.js";
import { SessionPool } from "../fid/session-pool.js";
import type { OpenSession } from "../fid/session-port.js";
import { joinPath, splitPath } from "../split-path.js";
import { observed, type OpenWatchResult, type Watch } from "./watch.js";
import { DEFAULT_SESSION_TIMEOUT_MS } from "../../defaults.js";
import { withDefaults } from "../../options.js";
import { tokenBytes, tokenUser } from "./token-credentials.js";
import { certUser } from "./cert-user.js";
import { netWithTls } from "../path/addr-tls.js";
import type { CoreLayers } from "./core-layers.js";
import { getWholeFile, putWholeFile } from "./whole-files.js";
import { removePath, renamePath, statPath } from "./path-ops.js";
import { createFile, openFile, openOrWatch, watchRemoval } from "./open-ops.js";
import {
  attachAt,
  lastMountOf,
  type LastMount,
  mountFid,
  mountTree,
  toMount,
  unmount,
} from "./mounts.js";
import { reopenSession } from "./sessions.js";
import { requestAtPath, requestNamed, requestOnFid } from "./generated-hooks.js";

export type { CallOpts } from "../call-limits.js";
export type { LastMount } from "./mounts.js";

/** Options of `FsLib.connect`; defaults in DEFAULTS. */
export interface FsLibOptions {
  /** named's address, `host:port`, or its replicas' addresses tried in order. */
  named: string | readonly string[];
  /**
   * Recorded by servers as the owner of what this client creates. Default: the token's user,
   * else the CN of the client certificate (`tls.cert`, mutual TLS), else `"sigma"`. A server that
   * checks tokens or client certificates refuses any other name than their user.
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
  readonly #l: CoreLayers;
  readonly #named: readonly string[];
  #chunkSize: number;
  /** Servers record this as the owner of created objects. */
  readonly uname: string;
  /** The client's realm. */
  readonly realm: string;
  readonly #localIp: string;

  protected constructor(opts: FsLibOptions) {
    super();
    const uname = opts.uname ?? tokenUser(opts.token) ?? certUser(opts.tls?.cert);
    const o = withDefaults(DEFAULTS, { ...opts, uname });
    this.#named = typeof o.named === "string" ? [o.named] : [...o.named];
    this.uname = o.uname;
    this.realm = o.realm;
    const net = o.net ?? o.realm;
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
      (entry) => fids.sessionClosed(entry),
    );
    const fids = new FidClient(pool);
    const paths = new PathClient(fids, {
      uname: this.uname,
      net,
      localIp: this.#localIp,
      chunkSize: () => this.#chunkSize,
    });
    const recordNet = netWithTls(net, o.tls !== undefined);
    this.#l = { fids, paths, fds: new FdClient(paths), net, recordNet };
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
      await fsl.#l.paths.attachMount(["name"], fsl.namedMount(), false, limitsOf(callOpts));
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
  create(path: string, perm: number, mode: number, opts?: CallOpts): Promise<number> {
    return createFile(this.#l, path, perm, mode, limitsOf(opts));
  }

  /**
   * Opens `path` (a trailing `/` follows a final symlink or mount) and returns an fd at offset 0.
   * OTRUNC truncates. Errors: Notfound, Unreachable, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  open(path: string, mode: number, opts?: CallOpts): Promise<number> {
    return openFile(this.#l, path, mode, limitsOf(opts));
  }

  /**
   * Opens `path`, or, if it is missing, arms a watch on its parent directory and returns
   * `{ kind: "missing", error, changed }` (spec 6.6). Errors as `open`, except Notfound of the
   * file itself; Notfound of the parent is thrown.
   */
  openWatch(path: string, mode: number, opts?: CallOpts): Promise<OpenWatchResult> {
    return openOrWatch(this.#l, path, mode, limitsOf(opts));
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
    await this.#l.fds.close(fd, limitsOf(opts));
  }

  /**
   * Reads up to `n` bytes (a safe non-negative integer number) at the fd's offset without a
   * version check (chunked); the offset advances. Empty at the end. Errors: Inval (`n`), BadFd,
   * Stale, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  read(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.read(fd, n, limitsOf(opts));
  }

  /** Like `read`, but fails with Version if the object moved since the fd's walk or open. */
  readV(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.read(fd, n, limitsOf(opts), { versioned: true });
  }

  /** Like `readV`, but never fenced. */
  readVU(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.read(fd, n, limitsOf(opts), { versioned: true, unfenced: true });
  }

  /**
   * Writes `data` at the fd's offset without a version check (chunked); returns the count and
   * advances the offset. Errors: BadFd, Isdir, Stale, Closed (pipe), SessClosed, Timeout, Aborted.
   */
  write(fd: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#l.fds.write(fd, data, limitsOf(opts));
  }

  /**
   * Like `write`, but fails with Version if the object moved since the fd's walk or open. The
   * client does not refresh the version after its own write, so a second writeV through the same
   * fd fails with Version.
   */
  writeV(fd: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#l.fds.write(fd, data, limitsOf(opts), { versioned: true });
  }

  /**
   * Reads up to `n` bytes at `offset` without a version check (chunked), leaving the fd's offset
   * alone: concurrent positional reads of one fd do not disturb each other. Errors as `read`.
   */
  async pread(fd: number, offset: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.readAt(fd, checkOffset(offset), checkCount(n), limitsOf(opts));
  }

  /** Writes `data` at `offset` without a version check (chunked), leaving the fd's offset alone. */
  async pwrite(fd: number, offset: number, data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#l.fds.writeAt(fd, checkOffset(offset), data, limitsOf(opts));
  }

  /**
   * Exactly one TreadV of up to `n` bytes at the fd's offset (capped to `readCount(fd)`), fenced,
   * without a version check; the offset advances. Empty at the end. Errors as `read`.
   */
  readOnce(fd: number, n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.readOnce(fd, n, limitsOf(opts));
  }

  /** The largest read or write one request on the fd makes: the chunk size or the frame limit. */
  readCount(fd: number): number {
    return this.#l.paths.readCount(this.#l.fds.entry(fd).fid);
  }

  /** Twriteread: sends `data` to the device the fd names and returns its reply. */
  writeRead(fd: number, data: Uint8Array, opts?: CallOpts): Promise<Uint8Array> {
    return this.#l.fds.writeRead(fd, data, limitsOf(opts));
  }

  /**
   * Sets the fd's offset, a safe non-negative integer number. Errors: Inval (a bigint, a fraction,
   * a negative number), BadFd, SessClosed.
   */
  seek(fd: number, offset: number): void {
    this.#l.fds.seek(fd, checkOffset(offset));
  }

  /** The qid last seen for the fd's object (at open or create). Errors: BadFd, SessClosed. */
  qid(fd: number): Tqid {
    return this.#l.fds.qid(fd);
  }

  // ---- paths ------------------------------------------------------------------------------

  /**
   * The Stat of `path`. Exactly a mount point (no trailing `/`): a local Stat named by the
   * server's address list, without a request. Errors: Notfound, Unreachable, SessClosed, ….
   */
  stat(path: string, opts?: CallOpts): Promise<Stat> {
    return statPath(this.#l, path, limitsOf(opts));
  }

  /**
   * Removes `path` (a trailing `/` removes what a final symlink points to): one Tremovefile from
   * the longest mount, falling back to walk + Tremove when a symlink or union is in the way or the
   * server is unreachable. Mounts this client learned at or below `path` are dropped (the records
   * they came from are gone). Errors: Notfound, NotEmpty, Inval, Stale, SessClosed, ….
   */
  remove(path: string, opts?: CallOpts): Promise<void> {
    return removePath(this.#l, path, limitsOf(opts));
  }

  /**
   * Renames `from` to `to`: within one directory a Twstat, else Trenameat on both parents (which
   * must be on the same server: Inval otherwise), walked concurrently. An existing target is replaced only within its
   * family (deviation 14): a directory an empty directory, a non-directory a non-directory.
   * Mounts this client learned at or below `from` or `to` are dropped. Errors: Notfound,
   * NotEmpty / NotDir / Isdir (naming the target), Inval, Stale, SessClosed, ….
   */
  rename(from: string, to: string, opts?: CallOpts): Promise<void> {
    return renamePath(this.#l, from, to, limitsOf(opts));
  }

  // ---- whole files ------------------------------------------------------------------------

  /**
   * The content of `path`, up to MAXGETSET bytes: one Tgetfile from the longest mount, or walk +
   * Tgetfile when a symlink or union is in the way. Errors: Notfound, NotFile, Stale, ….
   */
  getFile(path: string, opts?: CallOpts): Promise<Uint8Array> {
    return getWholeFile(this.#l, path, limitsOf(opts));
  }

  /**
   * Creates or replaces `path` with `data` (Tputfile with mode|OWRITE|OTRUNC at 0); returns the
   * count. OEXCL fails with Exists if present; OWATCH waits while it exists; DMTMP in perm makes
   * it ephemeral. Data above MAXGETSET is Inval. Errors: Notfound (parent), NotDir, Stale, ….
   */
  putFile(
    path: string,
    perm: number,
    mode: number,
    data: Uint8Array,
    opts?: CallOpts,
  ): Promise<number> {
    const m = mode | Mode.OWRITE | Mode.OTRUNC;
    return putWholeFile(this.#l, path, perm >>> 0, m, 0n, data, limitsOf(opts));
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
    const at = putOffset(offset);
    return putWholeFile(this.#l, path, 0o777, mode | Mode.OWRITE, at, data, limitsOf(opts));
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
    const { fid } = this.#l.fds.entry(fd);
    return { fired: observed(this.#l.fids.watch(fid, limitsOf(opts))) };
  }

  /**
   * Arms a watch that fires when `path` is removed or renamed away (its fid is clunked then).
   * Errors: Notfound if it is already gone, and walk errors.
   */
  setRemoveWatch(path: string, opts?: CallOpts): Promise<Watch> {
    return watchRemoval(this.#l, path, limitsOf(opts));
  }

  // ---- mounts -----------------------------------------------------------------------------

  /** Attaches to `tree` on the server at `addrs` and mounts it at `mountPath`. */
  mountTree(
    addrs: readonly (string | Taddr)[],
    tree: string,
    mountPath: string,
    opts?: CallOpts,
  ): Promise<void> {
    return mountTree(this.#l, addrs, tree, mountPath, limitsOf(opts));
  }

  /** Mounts the attached `fid` at `path`. Errors: Unknownfid, Exists (something is mounted). */
  mount(fid: number, path: string): void {
    mountFid(this.#l, fid, path);
  }

  /** The mount points, longest first. */
  mounts(): string[] {
    return this.#l.paths.mounts.entries().map((e) => joinPath(e.path));
  }

  /** The longest mount of `path` and the rest. Errors: Unreachable("no mount"). */
  lastMount(path: string): LastMount {
    return lastMountOf(this.#l, path);
  }

  /** The attach record of named. */
  namedMount(): Tmount {
    return toMount(this.#named, "", this.#l.recordNet);
  }

  /** Unmounts `path` and detaches (Tdetach) its session. */
  detach(path: string): Promise<void> {
    return unmount(this.#l, path, "detach");
  }

  /**
   * Unmounts `path` and closes its session locally without telling the server (a partition: the
   * server times the session out). Fds of that session fail with SessClosed afterwards.
   */
  disconnect(path: string): Promise<void> {
    return unmount(this.#l, path, "disconnect");
  }

  /**
   * Presents `token` (a renewed one, e.g. procd's for a proc) in every later hello, on the open
   * sessions' reconnects and on new sessions. Inval if it names another user than this client's
   * uname: a server would refuse the resume and close the session.
   */
  setToken(token: string): void {
    const user = tokenUser(token);
    if (user !== this.uname) {
      throw new SigmaError(
        ErrCode.Inval,
        "token",
        `setToken: the token is for ${user === undefined ? "no readable user" : `user ${user}`}, not ${this.uname}`,
      );
    }
    this.#l.fids.pool.setCredentials(tokenBytes(token));
  }

  /** Sends Tdetach on every session; every later call fails with SessClosed. */
  async exit(): Promise<void> {
    await this.#l.fids.pool.exit();
    this.#l.fids.pool.events.end();
  }

  // ---- fid level --------------------------------------------------------------------------

  /** Resolves `path` to a new fid (spec 6.4); clunk it when done. */
  walkPath(path: string, resolve: boolean, opts?: CallOpts): Promise<number> {
    return this.#l.paths.walk(splitPath(path), resolve, limitsOf(opts));
  }

  /** Attaches `tree` on the server at `addrs` as `uname` and mounts it at `mountPath`. */
  attach(
    uname: string,
    addrs: readonly string[],
    mountPath: string,
    tree: string,
    opts?: CallOpts,
  ): Promise<number> {
    return attachAt(this.#l, uname, addrs, mountPath, tree, limitsOf(opts));
  }

  /** Tclunk; the fid number is reused after the server answered. Errors: Unknownfid. */
  clunk(fid: number, opts?: CallOpts): Promise<void> {
    return this.#l.fids.clunk(fid, limitsOf(opts));
  }

  /** Fenced requests on paths under `path` carry `fence` from now on (adds or overwrites). */
  fenceDir(path: string, fence: Tfence): void {
    this.#l.fids.fences.set(splitPath(path), fence);
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
    return this.#l.fids.pool.events.subscribe();
  }

  /**
   * Replaces the closed session serving `path` by a new one and re-attaches the mounts that used
   * it; its fds, fences and ephemeral files are gone for good. A session still open is kept.
   */
  reopenSession(path: string, opts?: CallOpts): Promise<void> {
    return reopenSession(this.#l, path, limitsOf(opts));
  }

  // ---- generated methods' hooks (runtime/contract/fs-methods.ts, generated-hooks.ts) ------

  protected requestAtPath<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    path: string,
    body: (fid: number) => Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    return requestAtPath(this.#l, desc, path, body, limitsOf(opts));
  }

  protected requestOnFid<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    fid: number,
    body: Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    return requestOnFid(this.#l, desc, fid, body, limitsOf(opts));
  }

  protected requestNamed<Req, Rep>(
    desc: RequestDesc<Req, Rep>,
    body: Req,
    opts?: CallOpts,
  ): Promise<Rep> {
    return requestNamed(this.#l, desc, body, limitsOf(opts));
  }
}

/** Offset meaning "append" for `setFile` (re-exported for callers of this module). */
export { NoOffset };
