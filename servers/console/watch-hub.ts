/**
 * Which directories are watched for whom. One DirWatcher per (principal's FsLib, directory)
 * serves every stream that asked for it; a directory nobody watches any more keeps its watcher for a grace
 * period, because an unwatched sigmap watch is only given up locally (spec 3.7) and stays armed
 * on the server until the directory next changes: re-expanding a directory must not pile them up.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { ApiError } from "./api-errors.js";
import type { DirEvent } from "./api-types.js";
import type { Principal } from "./auth.js";
import { DirWatcher } from "./dir-watcher.js";
import { kindOf } from "./entry-json.js";
import type { WatchLog } from "./watch-log.js";

export interface WatchHubOptions {
  log: WatchLog;
  /** Sends a change to the streams that watch its directory. */
  publish(streams: readonly string[], ev: DirEvent): void;
  graceMs: number;
  max: number;
  timeoutMs: number;
  retryMs: number;
}

interface Watched {
  readonly watcher: DirWatcher;
  readonly streams: Set<string>;
  idle?: NodeJS.Timeout;
}

export class WatchHub {
  readonly #watched = new Map<string, Watched>();
  readonly #o: WatchHubOptions;

  constructor(opts: WatchHubOptions) {
    this.#o = opts;
  }

  /** Directories watched now (including those in their grace period). */
  get size(): number {
    return this.#watched.size;
  }

  /** Adds `stream` to the watchers of `path`; resolves once the watch is armed. */
  async subscribe(stream: string, p: Principal, path: string): Promise<void> {
    const key = keyOf(p, path);
    let w = this.#watched.get(key);
    if (w === undefined || w.watcher.stopped) {
      const st = await p.fsl.stat(path, { timeoutMs: this.#o.timeoutMs });
      if (kindOf(st.qid.type) !== "dir") throw new SigmaError(ErrCode.NotDir, path);
      w = this.#watched.get(key); // another request may have started it meanwhile
    }
    if (w === undefined || w.watcher.stopped) {
      if (this.#watched.size >= this.#o.max) this.#evictIdle();
      if (this.#watched.size >= this.#o.max) {
        throw new ApiError(429, "TooManyWatches", `over ${this.#o.max} directories are watched`);
      }
      const streams = new Set<string>();
      const watcher = new DirWatcher(p.fsl, path, {
        changed: (ev) => this.#o.publish([...streams], ev),
        ended: () => this.#forget(key),
        log: this.#o.log,
        timeoutMs: this.#o.timeoutMs,
        retryMs: this.#o.retryMs,
      });
      w = { watcher, streams };
      this.#watched.set(key, w);
    }
    clearTimeout(w.idle);
    w.idle = undefined;
    w.streams.add(stream);
    try {
      await w.watcher.ready;
    } catch (e) {
      w.streams.delete(stream);
      if (w.streams.size === 0) this.#stop(key);
      throw e;
    }
  }

  unsubscribe(stream: string, p: Principal, path: string): void {
    const key = keyOf(p, path);
    const w = this.#watched.get(key);
    if (w === undefined || !w.streams.delete(stream)) return;
    this.#idleIfUnused(key, w);
  }

  /** A stream ended: it watches nothing any more. */
  dropStream(stream: string): void {
    for (const [key, w] of this.#watched) if (w.streams.delete(stream)) this.#idleIfUnused(key, w);
  }

  close(): void {
    for (const key of [...this.#watched.keys()]) this.#stop(key);
  }

  #idleIfUnused(key: string, w: Watched): void {
    if (w.streams.size > 0 || w.idle !== undefined) return;
    w.idle = setTimeout(() => this.#stop(key), this.#o.graceMs);
    w.idle.unref();
  }

  #evictIdle(): void {
    for (const [key, w] of this.#watched) if (w.streams.size === 0) this.#stop(key);
  }

  #stop(key: string): void {
    const w = this.#watched.get(key);
    if (w === undefined) return;
    clearTimeout(w.idle);
    this.#watched.delete(key);
    w.watcher.stop();
  }

  #forget(key: string): void {
    const w = this.#watched.get(key);
    if (w !== undefined) clearTimeout(w.idle);
    this.#watched.delete(key);
  }
}

/**
 * Watchers are shared per FsLib, not per name: two tokens of one user may differ in role, and a
 * token's user may share the console's own name, yet each must list only what its session may.
 */
const fslIds = new WeakMap<Principal["fsl"], number>();
let nextFslId = 0;

function keyOf(p: Principal, path: string): string {
  let id = fslIds.get(p.fsl);
  if (id === undefined) fslIds.set(p.fsl, (id = nextFslId++));
  return `${id}\0${path}`;
}
