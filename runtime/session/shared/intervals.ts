/**
 * Ack intervals (spec 3.4): which replies the client has received, and which of those it has yet
 * to tell the server about. Seqnos are u64 on the wire, but a client numbers its requests from 1
 * and never gets near 2^53, so the sets hold plain numbers (exact there, and far cheaper to
 * compare than bigints on a path every reply takes); bigints appear only at the wire's edge.
 */
import type { Tinterval } from "../../../generated/sigmap/types.js";
import { cachedBigInt } from "../../contract/bigint-cache.js";

/** The interval a request carries when it acknowledges nothing. */
export const EMPTY_INTERVAL: Readonly<Tinterval> = Object.freeze({ start: 0n, end: 0n });

/** A half-open range of seqnos [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * A sorted set of disjoint half-open intervals, kept merged: `[0,10)` + `[10,20)` is `[0,20)`,
 * and deleting from the middle of an interval splits it.
 */
export class IntervalSet {
  // Entries are owned by the set and mutated in place; `takeLowest` gives its entry away, so no
  // interval handed out (and perhaps still queued for sending) ever changes afterwards.
  readonly #ivs: Span[] = [];

  get size(): number {
    return this.#ivs.length;
  }

  isEmpty(): boolean {
    return this.#ivs.length === 0;
  }

  /** Adds `[start,end)`, merging with every interval it overlaps or touches. */
  insert(start: number, end: number): void {
    if (start >= end) return;
    const ivs = this.#ivs;
    const last = ivs[ivs.length - 1];
    // Replies mostly arrive in seqno order: extending or appending at the end is the hot case.
    if (last === undefined || start > last.end) {
      ivs.push({ start, end });
      return;
    }
    if (start >= last.start) {
      if (end > last.end) last.end = end;
      return;
    }
    const first = lowerBound(ivs, start);
    let stop = first;
    while (stop < ivs.length && ivs[stop]!.start <= end) stop++;
    if (stop === first) {
      ivs.splice(first, 0, { start, end });
      return;
    }
    const merged = ivs[first]!;
    const tail = ivs[stop - 1]!;
    if (start < merged.start) merged.start = start;
    merged.end = end > tail.end ? end : tail.end;
    if (stop - first > 1) ivs.splice(first + 1, stop - first - 1);
  }

  /** Removes `[start,end)`; an interval that straddles either bound keeps its outside part. */
  delete(start: number, end: number): void {
    if (start >= end) return;
    const ivs = this.#ivs;
    const head = ivs[0];
    // The server echoes acks roughly in the order they were sent: the lowest interval first.
    if (head !== undefined && head.start >= start && head.end <= end) {
      const second = ivs[1];
      if (second === undefined || second.start >= end) {
        ivs.shift();
        return;
      }
    }
    let i = upperBoundByEnd(ivs, start);
    while (i < ivs.length) {
      const iv = ivs[i]!;
      if (iv.start >= end) return;
      if (iv.start < start && iv.end > end) {
        ivs.splice(i + 1, 0, { start: end, end: iv.end });
        iv.end = start;
        return;
      }
      if (iv.start < start) {
        iv.end = start;
        i++;
      } else if (iv.end > end) {
        iv.start = end;
        return;
      } else {
        ivs.splice(i, 1);
      }
    }
  }

  /** The lowest interval, without removing it. */
  lowest(): Readonly<Span> | undefined {
    return this.#ivs[0];
  }

  /** Removes and returns the lowest interval; the caller owns it from then on. */
  takeLowest(): Span | undefined {
    return this.#ivs.shift();
  }

  contains(seqno: number): boolean {
    const i = upperBoundByEnd(this.#ivs, seqno);
    const iv = this.#ivs[i];
    return iv !== undefined && iv.start <= seqno;
  }

  clone(): IntervalSet {
    const copy = new IntervalSet();
    for (const iv of this.#ivs) copy.#ivs.push({ start: iv.start, end: iv.end });
    return copy;
  }

  toArray(): Span[] {
    return this.#ivs.map((iv) => ({ start: iv.start, end: iv.end }));
  }
}

/**
 * The two sets of spec 3.4. `acked`: replies received and not yet known to be acknowledged to the
 * server. `next`: the part of `acked` not yet sent in a request's `received`.
 */
export class AckIntervals {
  acked = new IntervalSet();
  next = new IntervalSet();

  /**
   * A reply with seqno `seqno` arrived, echoing the `received` of its request. The echo means the
   * server has queued that ack, so the client stops resending it. Call once per seqno: inserting
   * a seqno again would let `take` hand it out twice.
   */
  onReply(seqno: number, echoed: Readonly<Tinterval>): void {
    const end = seqno + 1;
    this.acked.insert(seqno, end);
    this.next.insert(seqno, end);
    // Number() is exact below 2^53, and a bound at or above it (only a broken server sends one)
    // stays at or above it, beyond every seqno this client issues.
    const start = Number(echoed.start);
    const stop = Number(echoed.end);
    if (start < stop) {
      this.acked.delete(start, stop);
      this.next.delete(start, stop);
    }
  }

  /** The interval for the next outgoing request; never the same seqno twice until `reset`. */
  take(): Tinterval {
    const span = this.next.takeLowest();
    return span === undefined
      ? EMPTY_INTERVAL
      : { start: cachedBigInt(span.start), end: cachedBigInt(span.end) };
  }

  /** After a reconnect acks in flight may have been lost: offer every unconfirmed one again. */
  reset(): void {
    this.next = this.acked.clone();
  }
}

// First index whose interval ends at or after `x` (so it overlaps or touches x).
function lowerBound(ivs: readonly Span[], x: number): number {
  let lo = 0;
  let hi = ivs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[mid]!.end < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// First index whose interval ends after `x` (so it may contain x or lie above it).
function upperBoundByEnd(ivs: readonly Span[], x: number): number {
  let lo = 0;
  let hi = ivs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ivs[mid]!.end <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
