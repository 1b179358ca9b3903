/**
 * Fid numbers of one client library instance (spec 6.3, deviation 7). A fid is recycled once it
 * is released (its Tclunk answered, its session closed, or the Twalk meant to create it failed),
 * but never while a request naming it is still outstanding: the server could otherwise apply a
 * late request to the fid's next owner.
 */
import { ErrCode, NoFid } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";

interface Slot<T> {
  value: T;
  outstanding: number;
  released: boolean;
}

/** Fid allocation with recycling; `lookup` of an unknown or released fid is Unknownfid. */
export class FidTable<T> {
  readonly #slots = new Map<number, Slot<T>>();
  readonly #free: number[] = [];
  #next = 0;

  /** Allocates a fid for `value`: a recycled one if any is free, else a new one. */
  alloc(value: T): number {
    let fid = this.#free.pop();
    if (fid === undefined) {
      // NoFid is the protocol's "no fid"; running into it means 4 billion live fids.
      if (this.#next >= NoFid) throw new SigmaError(ErrCode.Nomem, "fids");
      fid = this.#next++;
    }
    this.#slots.set(fid, { value, outstanding: 0, released: false });
    return fid;
  }

  /** The value of a live (allocated, not released) fid. */
  get(fid: number): T | undefined {
    const s = this.#slots.get(fid);
    return s === undefined || s.released ? undefined : s.value;
  }

  /** Like get, but an unknown or released fid throws Unknownfid. */
  lookup(fid: number): T {
    const v = this.get(fid);
    if (v === undefined) throw new SigmaError(ErrCode.Unknownfid, String(fid));
    return v;
  }

  /** A request naming `fid` was sent; the fid stays allocated until `end`. */
  begin(fid: number): void {
    const s = this.#slots.get(fid);
    if (s !== undefined) s.outstanding++;
  }

  /** A request naming `fid` was answered (or its session failed it). */
  end(fid: number): void {
    const s = this.#slots.get(fid);
    if (s === undefined) return;
    s.outstanding--;
    this.#recycleIfIdle(fid, s);
  }

  /** The fid is gone for its owner; its number is reused once no request names it. */
  release(fid: number): void {
    const s = this.#slots.get(fid);
    if (s === undefined || s.released) return;
    s.released = true;
    this.#recycleIfIdle(fid, s);
  }

  /** Releases every live fid whose value matches. */
  releaseWhere(match: (value: T) => boolean): void {
    for (const [fid, s] of this.#slots) if (!s.released && match(s.value)) this.release(fid);
  }

  /** Live fids (allocated and not released), for diagnostics and tests. */
  live(): number[] {
    return [...this.#slots].filter(([, s]) => !s.released).map(([fid]) => fid);
  }

  /** Fids allocated in any state, released-but-busy included. */
  get size(): number {
    return this.#slots.size;
  }

  #recycleIfIdle(fid: number, s: Slot<T>): void {
    if (!s.released || s.outstanding > 0) return;
    this.#slots.delete(fid);
    this.#free.push(fid);
  }
}
