/**
 * The etcd store: the object interfaces of runtime/fs over an etcd cluster, for one leader. It
 * loads the whole tree into a cache at one etcd revision, then serves reads from the cache and
 * sends every mutation through the fenced committer. While it serves it watches object keys for
 * deletions it did not make (an ephemeral object whose session lease ran out, possibly while no
 * named led), from the revision it loaded, so none is missed, and removes them from the cache
 * with the normal version move of the parent.
 *
 * Serving ends for good (deposed) when the leader's local lease deadline passes, when a
 * transaction fails or its outcome is unknown, or when the watch breaks (a compacted revision):
 * each leaves the cache possibly stale. The replica then campaigns again and a new store loads.
 */
import type { Etcd3, IWatchResponse, Watcher } from "etcd3";
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import { logger } from "../log.js";
import { requestTags } from "../request-tag.js";
import { Committer, absent, put, unchanged, type Plan } from "./committer.js";
import { EtcdDir, makeObj, type EtcdObj } from "./etcd-dir.js";
import { EtcdNode, NO_LEASE, type EtcdStoreCore, type PlannedId } from "./etcd-node.js";
import { decodeRecord, encodeRecord, keysFor, type Keys, type ObjRecord } from "./keys.js";
import { DedupKeys, type Applied } from "./dedup-keys.js";
import { FenceKeys } from "./fence-keys.js";
import { below, IdIndex } from "./id-index.js";
import { SessionRecords } from "./session-records.js";

const log = logger("fsetcd");

/** Ids reserved in etcd at a time: a create writes `nextid` once per this many ids. */
const ID_BLOCK = 1024n;
const ROOT_ID = 1n;
/** Keys per range request while loading. */
const PAGE = 1000;

export interface EtcdFsOptions {
  client: Etcd3;
  /** Key prefix of this namespace, e.g. "/sigma/rootrealm/". */
  prefix: string;
  /** The create revision of the leader's election key. */
  fenceRev: string;
  /** performance.now() past which this replica may no longer serve (its local lease deadline). */
  deadline(): number;
  /** TTL of a session's lease, whole seconds (at least etcd's minimum). */
  sessionTtlSec: number;
  /** Owner of the root. Default "". */
  owner?: string;
  /** Permission bits of the root when this creates it (a fresh prefix). Default 0o777. */
  rootPerm?: number;
  /** Clock in seconds. */
  now?: () => number;
  /**
   * This leader now keeps a session's lease alive (the session opened or was taken back, or it
   * made its first ephemeral object): call endSession when it ends.
   */
  onSessionLease?(session: bigint): void;
  /** A session taken back whose lease had already run out in etcd: end it. */
  onSessionLost?(session: bigint): void;
  /** The store removed an object on its own (its lease ran out): protsrv wakes watches. */
  onRemoved?(dir: EtcdDir, obj: EtcdObj): void;
  /** Called once when the store stops serving, with why. */
  onDeposed?(why: string): void;
}

export class EtcdFs implements EtcdStoreCore {
  readonly keys: Keys;
  readonly committer: Committer;
  /** The client fences in etcd: the fence store of named's protsrv (fence-keys.ts). */
  readonly fences: FenceKeys;
  root!: EtcdDir;
  readonly #o: EtcdFsOptions;
  readonly #client: Etcd3;
  readonly #ids = new IdIndex();
  readonly #sessions: SessionRecords;
  readonly #dedup: DedupKeys;
  #nextId = ROOT_ID + 1n;
  #reserved = 0n;
  #deposed: SigmaError | undefined;
  #watcher: Watcher | undefined;
  #keepalive: NodeJS.Timeout | undefined;

  private constructor(o: EtcdFsOptions) {
    this.#o = o;
    this.#client = o.client;
    this.keys = keysFor(o.prefix);
    this.committer = new Committer(
      o.client,
      this.keys.leader,
      this.keys.writer,
      o.fenceRev,
      (why, cause) => this.depose(cause === undefined ? why : `${why}: ${String(cause)}`),
    );
    this.#sessions = new SessionRecords({
      client: o.client,
      keys: this.keys,
      ttlSec: o.sessionTtlSec,
      submit: (plan) => this.submit(plan),
      onKept: (s) => o.onSessionLease?.(s),
      onLost: (s) => o.onSessionLost?.(s),
    });
    this.#dedup = new DedupKeys(this.keys, (s) => this.#sessions.leaseNow(s));
    this.fences = new FenceKeys(this.keys, (plan) => this.committer.submit(plan));
  }

  /** Loads the tree (creating the root on a fresh prefix) and starts watching for expiries. */
  static async open(o: EtcdFsOptions): Promise<EtcdFs> {
    const fs = new EtcdFs(o);
    const rev = await fs.#load();
    await fs.#watch(rev);
    // Every sixth of the timeout: a session's lease then has at least 5/6 of it left when its
    // leader dies, which is the window the next leader has to take the session back.
    const ms = Math.max(200, (o.sessionTtlSec * 1000) / 6);
    fs.#keepalive = setInterval(() => fs.#keepLeases(), ms);
    fs.#keepalive.unref();
    return fs;
  }

  get deposed(): boolean {
    return this.#deposed !== undefined;
  }

  /** Objects in the cache (linked ones). */
  get objectCount(): number {
    return this.#ids.size;
  }

  /**
   * The linked object with object id `id`, from the cache (id-index.ts): what named with keys
   * checks a fence against (its epoch file), as MemFs.byId with `indexIds`.
   */
  byId(id: bigint): FsObj | undefined {
    return this.#ids.get(id);
  }

  now(): number {
    return (this.#o.now ?? (() => Math.floor(Date.now() / 1000)))();
  }

  checkServing(): void {
    if (this.#deposed !== undefined) throw this.#deposed;
    if (performance.now() > this.#o.deadline()) {
      throw this.depose("the leader lease ran out (local deadline)");
    }
  }

  /**
   * A mutation: bound to the client fence its request holds (fence-keys.ts), then given the
   * request's dedup key (dedup-keys.ts), both in its own transaction.
   */
  submit<T>(plan: () => Plan<T>): Promise<T> {
    const tag = requestTags.getStore();
    const fenced = this.fences.guard(plan);
    if (tag !== undefined && !tag.claimed && this.#sessions.leaseNow(tag.session) === undefined) {
      // The session's lease is still being granted: its dedup key must go under it.
      return this.#sessions
        .lease(tag.session)
        .then(() => this.committer.submit(this.#dedup.tag(fenced, tag)));
    }
    return this.committer.submit(this.#dedup.tag(fenced, tag));
  }

  /** What a recorded request of a session applied, if a leader recorded it (dedup-keys.ts). */
  applied(session: bigint, seqno: bigint): Applied | undefined {
    return this.#dedup.applied(session, seqno);
  }

  /** Dedup keys a session holds in etcd now. */
  dedupCount(session: bigint): number {
    return this.#dedup.count(session);
  }

  track(obj: EtcdNode): void {
    this.#ids.add(obj as EtcdObj);
  }

  untrack(id: bigint): void {
    this.#ids.drop(id);
  }

  /**
   * Taken at planning, so that creates planned together get different ids (a plan that does not
   * commit leaves a gap: ids are never reused, not dense). Past the committed reservation a
   * create also writes the next one; creates doing so clash on `nextid` and go one per batch.
   */
  planId(): PlannedId {
    const id = this.#nextId++;
    const need = id >= this.#reserved;
    const reserve = id + ID_BLOCK;
    return {
      id,
      compares: [],
      ops: need ? [put(this.keys.nextId, Buffer.from(reserve.toString()), NO_LEASE)] : [],
      keys: need ? [this.keys.nextId.toString()] : [],
      commit: () => {
        if (need && reserve > this.#reserved) this.#reserved = reserve;
      },
    };
  }

  sessionLease(session: bigint): Promise<string> {
    return this.#sessions.lease(session);
  }

  /**
   * A session is being accepted: its lease and its record (session-records.ts). Resolves once the
   * record committed; its hello is answered then.
   */
  openSession(session: bigint, client: bigint, key: Uint8Array): Promise<void> {
    if (this.#deposed !== undefined) return Promise.reject(this.#deposed);
    return this.#sessions.open(session, client, key);
  }

  /** A resume of a session this leader does not hold: true if it is recorded with this key. */
  restoreSession(session: bigint, client: bigint, key: Uint8Array): boolean {
    if (this.#deposed !== undefined) return false;
    return this.#sessions.restore(session, client, key);
  }

  /** Sessions whose leases this leader keeps alive. */
  get keptSessions(): number {
    return this.#sessions.keptCount;
  }

  /**
   * The session ended and protsrv removed its ephemeral objects: its lease goes (removing in etcd
   * its record and whatever it still holds, such as the ephemeral objects of a session taken
   * back from an earlier leader; the watch brings the cache along).
   */
  endSession(session: bigint): void {
    this.#sessions.end(session);
    this.#dedup.endSession(session);
  }

  /** Stops serving for good; returns the error every later call gets. */
  depose(why: string): SigmaError {
    if (this.#deposed !== undefined) return this.#deposed;
    const err = new SigmaError(
      ErrCode.Unreachable,
      "named",
      `unreachable: this named replica no longer leads (${why})`,
    );
    this.#deposed = err;
    log("deposed: %s", why);
    this.committer.stop(err);
    this.#stopTimers();
    this.#o.onDeposed?.(why);
    return err;
  }

  /** Stops timers and the watch; session leases are left to run out. */
  close(): void {
    if (this.#deposed === undefined) this.depose("closed");
  }

  #stopTimers(): void {
    if (this.#keepalive !== undefined) clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    void this.#watcher?.cancel().catch(() => undefined);
    this.#watcher = undefined;
    this.#sessions.stop();
  }

  #keepLeases(): void {
    if (this.#deposed !== undefined || performance.now() > this.#o.deadline()) return;
    this.#sessions.keepAll();
  }

  /** Reads every object at one revision and builds the cache; returns that revision. */
  async #load(): Promise<string> {
    const kv = this.#client.kv;
    let rev = "0";
    let start = this.keys.objStart;
    const loaded = new Map<bigint, { r: ObjRecord; obj: EtcdObj }>();
    let maxId = ROOT_ID;
    // Page by page, yielding between pages: a load of 100,000 objects in one run of the event
    // loop starved the election keepalives past the leader's lease.
    for (;;) {
      const res = await kv.range({
        key: start,
        range_end: this.keys.objEnd,
        limit: PAGE,
        revision: rev,
      });
      if (rev === "0") rev = res.header.revision;
      for (const k of res.kvs) {
        const id = this.keys.idOf(k.key);
        if (id === undefined) continue;
        const { record, content } = decodeRecord(k.value);
        const obj = makeObj(this, id, record, undefined, k.mod_revision, k.lease, content);
        loaded.set(id, { r: record, obj });
        if (id > maxId) maxId = id;
      }
      if (!res.more || res.kvs.length === 0) break;
      start = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    const sessions = await kv.range({
      key: this.keys.sessStart,
      range_end: this.keys.sessEnd,
      revision: rev,
    });
    for (const k of sessions.kvs) this.#sessions.loaded(k.key, k.value, k.lease);
    const dedup = await kv.range({
      key: this.keys.dedupStart,
      range_end: this.keys.dedupEnd,
      revision: rev,
    });
    for (const k of dedup.kvs) this.#dedup.loaded(k.key, k.value);
    const fences = await kv.range({
      key: this.keys.fenceStart,
      range_end: this.keys.fenceEnd,
      revision: rev,
    });
    for (const k of fences.kvs) this.fences.loadedKey(k.key, k.value, k.mod_revision);
    const next = await kv.range({ key: this.keys.nextId, revision: rev });
    const stored = next.kvs[0]?.value.toString();
    this.#reserved = stored === undefined ? 0n : BigInt(stored);
    this.#nextId = maxId + 1n > this.#reserved ? maxId + 1n : this.#reserved;
    const root = loaded.get(ROOT_ID)?.obj;
    if (root instanceof EtcdDir) {
      this.root = root;
    } else {
      rev = await this.#createRoot();
    }
    let linked = 0;
    for (const [id, { r, obj }] of loaded) {
      if (id === ROOT_ID) continue;
      if (++linked % PAGE === 0) await new Promise((resolve) => setImmediate(resolve));
      const parent = r.parent === undefined ? undefined : loaded.get(r.parent)?.obj;
      if (!(parent instanceof EtcdDir)) {
        // An entry of an ephemeral directory whose lease ran out: nothing can reach it.
        log("object %s: parent %s missing, not loaded", id.toString(16), r.parent?.toString(16));
        continue;
      }
      obj.parent = parent;
      parent.insert(obj);
    }
    const unreached = this.#ids.keepReachable(this.root);
    if (unreached > 0) log("%d objects not reachable from the root, not loaded", unreached);
    log("loaded %d objects at revision %s", this.#ids.size, rev);
    return rev;
  }

  async #createRoot(): Promise<string> {
    const rec: ObjRecord = {
      kind: "dir",
      perm: Perm.DMDIR | (this.#o.rootPerm ?? 0o777),
      owner: this.#o.owner ?? "",
      version: 1,
      mtime: this.now(),
      name: "",
      parent: undefined,
    };
    const key = this.keys.obj(ROOT_ID);
    const rev = await this.submit(() => ({
      compares: [absent(key)],
      ops: [put(key, encodeRecord(rec), NO_LEASE)],
      keys: [key.toString()],
      apply: (r) => r,
    }));
    this.root = makeObj(this, ROOT_ID, rec, undefined, rev, NO_LEASE, new Uint8Array(0)) as EtcdDir;
    return rev;
  }

  async #watch(rev: string): Promise<void> {
    const w = await this.#client
      .watch()
      .prefix(this.keys.objStart)
      .only("delete")
      .startRevision((BigInt(rev) + 1n).toString())
      .create();
    // A whole response at once: a lease's keys go at one revision, which one response carries.
    w.on("data", (res: IWatchResponse) => {
      const gone = new Set<bigint>();
      for (const ev of res.events) {
        const id = ev.type === "Delete" ? this.keys.idOf(ev.kv.key) : undefined;
        if (id !== undefined) gone.add(id);
      }
      for (const id of gone) this.#expired(id, gone);
    });
    w.on("error", (e: unknown) =>
      this.depose(`the watch on ${this.keys.prefix} failed: ${String(e)}`),
    );
    this.#watcher = w;
  }

  /**
   * An object key was deleted, with the others in `gone`. After every mutation queued before this
   * event has applied, the object is still in the cache only if the deletion was not ours: a
   * lease ran out. Its parent's version then moves, as a remove's would (spec 4.3, 4.8). An
   * object under a directory deleted with it goes with that directory (whose key is gone, so no
   * transaction may compare it), whichever of the two ids is smaller.
   */
  #expired(id: bigint, gone: ReadonlySet<bigint>): void {
    if (this.#deposed !== undefined) return;
    this.submit((): Plan<void> => {
      const obj = this.#ids.get(id);
      const parent = obj?.parent;
      if (
        obj === undefined ||
        !obj.linked ||
        !(parent instanceof EtcdDir) ||
        underGone(parent, gone)
      ) {
        return { compares: [], ops: [], keys: [], apply: () => undefined };
      }
      const mtime = this.now();
      return {
        compares: [unchanged(parent.key, parent.modRev), absent(obj.key)],
        ops: [
          put(parent.key, parent.value({ version: parent.nextVersion(), mtime }), parent.lease),
        ],
        keys: [parent.keyText, obj.keyText],
        apply: (r) => {
          parent.detach(obj.name);
          // An ephemeral directory's entries leave the tree with it (docs/named-etcd.md).
          const under = obj instanceof EtcdDir ? [...below(obj)] : [];
          const dirs = under.map((o) => o.parent as EtcdDir);
          for (const o of under) o.unlink();
          obj.unlink();
          obj.moved(r, mtime);
          parent.moved(r, mtime);
          log("object %s: its lease ran out (%d below it)", id.toString(16), under.length);
          this.#o.onRemoved?.(parent, obj);
          under.forEach((o, i) => this.#o.onRemoved?.(dirs[i]!, o));
        },
      };
    }).catch(() => undefined);
  }
}

/** Whether `dir` or a directory above it is in `gone`. */
function underGone(dir: EtcdDir, gone: ReadonlySet<bigint>): boolean {
  for (let d: EtcdDir | undefined = dir; d !== undefined; d = d.parent as EtcdDir | undefined) {
    if (gone.has(d.id)) return true;
  }
  return false;
}
