/**
 * Directory pages. A listing keeps its directory open on the server and reads it a piece at a
 * time, so the server's cursor (spec 4.6) makes the pages exact: an entry present throughout
 * appears exactly once, one created or removed meanwhile at most once, and a 100,000-entry
 * directory is never read whole to show its first page. Idle listings are closed.
 */
import { randomUUID } from "node:crypto";
import { ErrCode, Mode, QType, type Stat } from "../../generated/sigmap/types.js";
import { decodeDirEntries, type FsLib } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { ApiError } from "./api-errors.js";
import type { DirPage } from "./api-types.js";
import { childPath, entryOf } from "./entry-json.js";

export interface DirCursorsOptions {
  /** A listing unused this long is closed. */
  idleMs: number;
  /** Open listings at most; the least recently used is closed beyond. */
  max: number;
  /** Bytes asked for per directory read. */
  readBytes: number;
  /** Limit of each namespace call. */
  timeoutMs: number;
}

interface Cursor {
  readonly id: string;
  readonly fsl: FsLib;
  readonly path: string;
  readonly fd: number;
  readonly dirVersion: number;
  readonly buffered: Stat[];
  done: boolean;
  lastUsed: number;
  /** Pages of one listing are read one after another. */
  tail: Promise<unknown>;
}

export class DirCursors {
  readonly #cursors = new Map<string, Cursor>();
  readonly #o: DirCursorsOptions;
  readonly #sweep: NodeJS.Timeout;

  constructor(opts: DirCursorsOptions) {
    this.#o = opts;
    this.#sweep = setInterval(() => this.#closeIdle(), Math.max(1000, opts.idleMs / 2));
    this.#sweep.unref();
  }

  /** Listings open now. */
  get size(): number {
    return this.#cursors.size;
  }

  /**
   * The next `limit` entries of `path`: a new listing without `cursor` (skipping names up to
   * `after`, to resume one that expired), else the listing `cursor` names. An unknown or expired
   * cursor is 410.
   */
  async page(
    fsl: FsLib,
    path: string,
    limit: number,
    cursor?: string,
    after?: string,
  ): Promise<DirPage> {
    const c = cursor === undefined ? await this.#open(fsl, path) : this.#get(fsl, path, cursor);
    const run = c.tail.then(() => this.#next(c, limit, after));
    c.tail = run.catch(() => undefined);
    return run;
  }

  /** Closes every listing. */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    await Promise.all([...this.#cursors.values()].map((c) => this.#drop(c)));
  }

  async #open(fsl: FsLib, path: string): Promise<Cursor> {
    const opts = { timeoutMs: this.#o.timeoutMs };
    const fd = await fsl.open(path, Mode.OREAD, opts);
    const qid = fsl.qid(fd);
    if ((qid.type & QType.QTDIR) === 0) {
      await fsl.close(fd).catch(() => undefined);
      throw new SigmaError(ErrCode.NotDir, path);
    }
    const c: Cursor = {
      id: randomUUID(),
      fsl,
      path,
      fd,
      dirVersion: qid.version,
      buffered: [],
      done: false,
      lastUsed: Date.now(),
      tail: Promise.resolve(),
    };
    this.#cursors.set(c.id, c);
    while (this.#cursors.size > this.#o.max) {
      const oldest = [...this.#cursors.values()].reduce((a, b) =>
        a.lastUsed <= b.lastUsed ? a : b,
      );
      await this.#drop(oldest);
    }
    return c;
  }

  #get(fsl: FsLib, path: string, id: string): Cursor {
    const c = this.#cursors.get(id);
    if (c === undefined || c.fsl !== fsl || c.path !== path) {
      throw new ApiError(410, "CursorExpired", `listing of ${path} expired: list it again`);
    }
    return c;
  }

  async #next(c: Cursor, limit: number, after?: string): Promise<DirPage> {
    c.lastUsed = Date.now();
    try {
      while (c.buffered.length < limit && !c.done) {
        const data = await c.fsl.read(c.fd, this.#o.readBytes, { timeoutMs: this.#o.timeoutMs });
        if (data.length === 0) c.done = true;
        for (const st of decodeDirEntries(data)) {
          if (after === undefined || byteOrder(st.name, after) > 0) c.buffered.push(st);
        }
      }
    } catch (e) {
      await this.#drop(c);
      throw e;
    }
    const entries = c.buffered
      .splice(0, limit)
      .map((st) => entryOf(st, childPath(c.path, st.name)));
    const finished = c.done && c.buffered.length === 0;
    if (finished) await this.#drop(c);
    return { path: c.path, entries, cursor: finished ? null : c.id, dirVersion: c.dirVersion };
  }

  #closeIdle(): void {
    const cutoff = Date.now() - this.#o.idleMs;
    for (const c of this.#cursors.values()) if (c.lastUsed < cutoff) void this.#drop(c);
  }

  async #drop(c: Cursor): Promise<void> {
    if (!this.#cursors.delete(c.id)) return;
    await c.fsl.close(c.fd).catch(() => undefined);
  }
}

/** Names in the server's order: byte-wise UTF-8 (spec 4.2), which JavaScript's `<` is not. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
