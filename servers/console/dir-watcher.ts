/**
 * Live updates of one directory, driven by sigmap watches (spec 4.7), not polling: list the
 * directory, arm a watch on the listing's open descriptor, and when it fires list again and
 * report the difference. The watch's version check closes the gap between listing and arming:
 * a change in between fails the watch with Version, and the directory is simply listed again.
 * Writes to files never fire a directory watch; a relisting still reports the versions they moved.
 */
import { type FsLib, isErrNotfound, isErrVersion } from "../../runtime/client/index.js";
import { errorText, isErr } from "../../runtime/errors/index.js";
import { ErrCode, type Stat } from "../../generated/sigmap/types.js";
import type { DirEvent, EntryJson } from "./api-types.js";
import { childPath, entryOf } from "./entry-json.js";
import type { WatchLog } from "./watch-log.js";

export interface DirWatcherHooks {
  /** Something changed in the directory. */
  changed(ev: DirEvent): void;
  /** The watcher stopped by itself (the directory is gone). */
  ended(): void;
  log: WatchLog;
  timeoutMs: number;
  /** Pause before listing again after a failure. */
  retryMs: number;
}

/** At most this many names of one change go into the log one by one. */
const LOG_NAMES = 20;

export class DirWatcher {
  readonly path: string;
  /**
   * Settles once the first listing is in and its watch is on its way (or the first listing
   * failed): from then on no change is missed, since the watch carries the listing's version.
   */
  readonly ready: Promise<void>;
  readonly #fsl: FsLib;
  readonly #hooks: DirWatcherHooks;
  readonly #abort = new AbortController();
  /** Settles `ready`; later calls do nothing, as a promise settles once. */
  #markReady: (err?: unknown) => void = () => {};

  constructor(fsl: FsLib, path: string, hooks: DirWatcherHooks) {
    this.#fsl = fsl;
    this.path = path;
    this.#hooks = hooks;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#markReady = (err) => (err === undefined ? resolve() : reject(err));
    });
    this.ready.catch(() => undefined);
    void this.#run();
  }

  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  stop(): void {
    if (this.stopped) return;
    this.#abort.abort(new Error("unwatched"));
    this.#hooks.log.add({ dir: this.path, kind: "stopped" });
  }

  async #run(): Promise<void> {
    let prev: Map<string, EntryJson> | undefined;
    const signal = this.#abort.signal;
    const opts = { timeoutMs: this.#hooks.timeoutMs };
    while (!signal.aborted) {
      let listing: { entries: Stat[]; fd: number };
      try {
        listing = await this.#fsl.readDir(this.path, opts);
      } catch (e) {
        this.#markReady(e);
        if (isErrNotfound(e)) {
          this.#hooks.log.add({ dir: this.path, kind: "stopped", detail: "the directory is gone" });
          this.#abort.abort(e);
          this.#hooks.ended();
          return;
        }
        await this.#failed(e);
        continue;
      }
      const { entries, fd } = listing;
      try {
        const now = new Map(
          entries.map((st) => [st.name, entryOf(st, childPath(this.path, st.name))]),
        );
        if (prev !== undefined) this.#report(prev, now, this.#fsl.qid(fd).version);
        const first = prev === undefined;
        prev = now;
        const w = await this.#fsl.setDirWatch(fd, { signal });
        if (first) {
          this.#hooks.log.add({ dir: this.path, kind: "armed", detail: `${now.size} entries` });
          this.#markReady();
        }
        await w.fired;
        this.#hooks.log.add({ dir: this.path, kind: "fired" });
      } catch (e) {
        // Version: the directory changed between listing and arming; list it again.
        if (isErrVersion(e)) {
          this.#hooks.log.add({ dir: this.path, kind: "fired", detail: "changed before armed" });
        } else {
          this.#markReady(e);
          await this.#failed(e);
        }
      } finally {
        await this.#fsl.close(fd).catch(() => undefined);
      }
    }
  }

  #report(prev: Map<string, EntryJson>, now: Map<string, EntryJson>, dirVersion: number): void {
    const ev: DirEvent = { path: this.path, added: [], removed: [], changed: [], dirVersion };
    for (const [name, e] of now) {
      const before = prev.get(name);
      if (before === undefined) ev.added.push(e);
      else if (!sameEntry(before, e)) ev.changed.push(e);
    }
    for (const name of prev.keys()) if (!now.has(name)) ev.removed.push(name);
    const lines: { kind: "created" | "removed" | "changed"; name: string }[] = [
      ...ev.added.map((e) => ({ kind: "created" as const, name: e.name })),
      ...ev.removed.map((name) => ({ kind: "removed" as const, name })),
      ...ev.changed.map((e) => ({ kind: "changed" as const, name: e.name })),
    ];
    if (lines.length === 0) return;
    for (const l of lines.slice(0, LOG_NAMES)) this.#hooks.log.add({ dir: this.path, ...l });
    if (lines.length > LOG_NAMES) {
      this.#hooks.log.add({
        dir: this.path,
        kind: "changed",
        detail: `and ${lines.length - LOG_NAMES} more`,
      });
    }
    this.#hooks.changed(ev);
  }

  async #failed(e: unknown): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const detail = isErr(e, ErrCode.SessClosed) ? "session closed" : errorText(e);
    this.#hooks.log.add({ dir: this.path, kind: "error", detail });
    await pause(this.#hooks.retryMs, this.#abort.signal);
  }
}

/**
 * Every change to an object moves its version (spec 4.3); a device such as `.statsd` changes its
 * size with every read and is not reported for that. A different object id is a replacement.
 */
function sameEntry(a: EntryJson, b: EntryJson): boolean {
  return a.objectId === b.objectId && a.version === b.version && a.qtype === b.qtype;
}

/** Waits `ms` or until `signal` fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
