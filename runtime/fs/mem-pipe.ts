/**
 * memfs named pipes (spec 4.12). One condition serves every waiter: each state change broadcasts
 * and waiters re-check, which is simple and, at 8 KiB of buffer, cheap.
 */
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../errors/index.js";
import { MemNode, type MemStore } from "./mem-node.js";
import { PIPE_CAPACITY, PipeRing } from "./pipe-ring.js";
import type { Dir, Pipe, WaitContext } from "./types.js";
import { checkVersion } from "./version-check.js";
import { Cond } from "./wait.js";

type Side = "reader" | "writer";

export class MemPipe extends MemNode implements Pipe {
  readonly kind = "pipe";

  /** The ring is allocated up front, so it is charged with the pipe. */
  constructor(store: MemStore, perm: number, owner: string, name: string, parent: Dir | undefined) {
    super(store, perm, owner, name, parent, PIPE_CAPACITY);
  }

  readonly #ring = new PipeRing();
  readonly #cond = new Cond();
  readonly #count: Record<Side, number> = { reader: 0, writer: 0 };
  /** A side whose count fell to zero is closed for good. */
  readonly #closed: Record<Side, boolean> = { reader: false, writer: false };

  async open(mode: number, ctx: WaitContext, block = true): Promise<void> {
    const side = sideOf(mode);
    if (side === undefined) throw new SigmaError(ErrCode.Inval, `pipe open mode ${mode}`);
    if (this.#closed[side]) throw closed();
    this.#count[side]++;
    this.#cond.broadcast();
    if (!block) return;
    const other: Side = side === "reader" ? "writer" : "reader";
    try {
      while (this.#count[other] === 0 && !this.#closed[other]) {
        if (!this.linked) throw new SigmaError(ErrCode.Notfound, "pipe");
        await this.#cond.wait(ctx);
      }
    } catch (e) {
      // The open never completed: its registration is undone. If its session ended (SessClosed)
      // the side counts as closed by it, as SigmaOS does: the opener is gone for good, and a
      // pipe whose only writer died must answer later writers Closed, not leave them waiting for
      // a reader that pairs with nobody.
      this.#count[side]--;
      if (this.#count[side] === 0 && isErr(e, ErrCode.SessClosed)) this.#closed[side] = true;
      this.#cond.broadcast();
      throw e;
    }
  }

  async close(mode: number): Promise<void> {
    const side = sideOf(mode);
    if (side === undefined || this.#count[side] === 0) return;
    this.#count[side]--;
    if (this.#count[side] === 0) this.#closed[side] = true;
    this.#cond.broadcast();
  }

  async read(count: number, ctx: WaitContext, version?: number): Promise<Uint8Array> {
    checkVersion(this.version, version);
    while (this.#ring.length === 0) {
      if (this.#count.writer === 0) throw closed();
      await this.#cond.wait(ctx);
    }
    const out = this.#ring.shift(count);
    // The buffered bytes are the pipe's Stat length: its directory's listing size follows.
    this.refreshEntry();
    this.#cond.broadcast();
    return out;
  }

  async write(data: Uint8Array, ctx: WaitContext, version?: number): Promise<number> {
    checkVersion(this.version, version);
    if (this.#count.reader === 0) throw closed();
    let done = 0;
    try {
      while (done < data.length) {
        if (this.#count.reader === 0) throw closed();
        if (this.#ring.space === 0) {
          await this.#cond.wait(ctx);
          continue;
        }
        done += this.#ring.push(data.subarray(done));
        this.refreshEntry();
        this.#cond.broadcast();
      }
    } finally {
      if (done > 0) this.bump();
    }
    return done;
  }

  override unlink(): void {
    super.unlink();
    this.#cond.broadcast();
  }

  protected override size(): bigint {
    return BigInt(this.#ring.length);
  }
}

function sideOf(mode: number): Side | undefined {
  const access = mode & 3;
  if (access === Mode.OREAD) return "reader";
  if (access === Mode.OWRITE) return "writer";
  return undefined;
}

function closed(): SigmaError {
  return new SigmaError(ErrCode.Closed, "pipe");
}
