/**
 * Treaddir offsets over sigmap's directory cursor. sigmap lists a directory in byte-wise name
 * order and resumes after the last name returned (spec 4.6, deviation 8), so the gateway makes
 * each 9P offset stand for a name: the entry handed out k-th by this open fid carries offset k,
 * meaning "resume after its name". Continuing from the last offset reuses the open listing;
 * offset 0 starts over; any earlier offset starts over and skips every name up to and including
 * the one it stands for. So under concurrent creates and removes an entry present throughout
 * appears exactly once, and one created or removed meanwhile at most once, as in sigmap itself.
 */
import { direntSize, encodeDirents, type Dirent } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";
import type { DirEntry, DirStream, OpCtx, OpenFile } from "./tree.js";

export class DirCursor {
  #stream: DirStream | undefined;
  /** Names handed out, by offset - 1. */
  readonly #names: string[] = [];
  /** An entry read from the stream that did not fit in the last reply. */
  #pending: DirEntry | undefined;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(readonly file: OpenFile) {}

  /** The entries after `offset` that fit in `count` bytes, encoded for Rreaddir. */
  read(offset: bigint, count: number, ctx: OpCtx): Promise<Buffer> {
    // One read at a time per fid: each moves the shared stream.
    const run = this.#turn.then(() => this.#read(offset, count, ctx));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const s = this.#stream;
    this.#stream = undefined;
    await s?.close();
  }

  async #read(offset: bigint, count: number, ctx: OpCtx): Promise<Buffer> {
    if (offset > BigInt(this.#names.length)) return Buffer.alloc(0);
    const off = Number(offset);
    const mark = this.#names.length;
    try {
      if (this.#stream === undefined || off !== this.#names.length) await this.#seek(off, ctx);
      return await this.#fill(count, ctx);
    } catch (e) {
      // Where the stream stands is unknown now: forget it; the next read seeks by name again.
      this.#names.length = Math.min(mark, this.#names.length);
      await this.close().catch(() => undefined);
      throw e;
    }
  }

  async #seek(off: number, ctx: OpCtx): Promise<void> {
    await this.close();
    this.#pending = undefined;
    const after = off === 0 ? undefined : this.#names[off - 1];
    this.#names.length = off;
    const stream = await this.file.list(ctx);
    this.#stream = stream;
    if (after === undefined) return;
    const key = Buffer.from(after, "utf8");
    for (;;) {
      const e = await stream.next(ctx);
      if (e === undefined) return;
      if (Buffer.compare(Buffer.from(e.name, "utf8"), key) > 0) {
        this.#pending = e;
        return;
      }
    }
  }

  async #fill(count: number, ctx: OpCtx): Promise<Buffer> {
    const stream = this.#stream!;
    const out: Dirent[] = [];
    let used = 0;
    for (;;) {
      const e = this.#pending ?? (await stream.next(ctx));
      this.#pending = undefined;
      if (e === undefined) break;
      const size = direntSize(e.name);
      if (used + size > count) {
        this.#pending = e;
        break;
      }
      used += size;
      this.#names.push(e.name);
      out.push({ qid: e.qid, offset: BigInt(this.#names.length), type: e.dtype, name: e.name });
    }
    if (out.length === 0 && this.#pending !== undefined) {
      throw new ErrnoError(Errno.EINVAL, `count ${count} is too small for the next entry`);
    }
    return encodeDirents(out);
  }
}
