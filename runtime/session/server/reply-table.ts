/**
 * A session's reply table (spec 3.5): seqno → the reply, stored until the client acknowledges
 * it, so a resent request is answered again instead of running twice. An entry exists from the
 * moment a request is accepted, so a resend that arrives while the first copy still runs waits
 * for that copy's reply rather than starting a second run. Once acknowledged, a reply is
 * forgotten but its seqno is remembered (AckedSeqnos), so a replay of it is refused, not run.
 *
 * The table is bounded in entries and in bytes, per session and (through a shared ReplyBudget)
 * over the whole server: a client that reads its replies but never acks them gets refusals, not
 * the server's memory.
 */
import type { Header } from "../../../generated/sigmap/types.js";
import type { RawReply } from "../../contract/index.js";
import { AckedSeqnos } from "./acked-seqnos.js";
import { SeqnoMap } from "../shared/seqno-map.js";

export interface ReplyEntry {
  /** null while the request runs. */
  reply: RawReply | null;
  /**
   * The latest copy that arrived while the request ran, answered too once the reply exists. One
   * is enough (the client ignores a second reply for a seqno) and keeps a resend storm bounded.
   */
  resend: Header | null;
  /** The bytes the reply is charged for, once stored. */
  size: number;
}

/** Reply-table bytes over all sessions of one server. */
export class ReplyBudget {
  bytes = 0;
  constructor(readonly max: number) {}
}

/** What a table costs besides its replies' payloads, per entry (measured order of magnitude). */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * Acks spanning at most this many seqnos are applied by probing each seqno; wider ones (a hostile
 * or very late client) by scanning the table, so an ack costs at most min(span, size) steps.
 */
const PROBE_SPAN = 64;

// Seqnos from 2^53 up, which no real client reaches, are not exact as numbers: they are kept by
// their bigint in a Map of their own, so two distinct seqnos never share an entry (and are not
// remembered once acked).
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class ReplyTable {
  private readonly entries = new SeqnoMap<ReplyEntry>();
  private readonly huge = new Map<bigint, ReplyEntry>();
  private readonly acked = new AckedSeqnos();
  private closed = false;
  /** Bytes of the replies stored now. */
  bytes = 0;

  constructor(
    private readonly max: number,
    private readonly maxBytes: number,
    private readonly budget: ReplyBudget,
  ) {}

  get size(): number {
    return this.entries.size + this.huge.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The highest seqno below which every one was acknowledged. */
  get ackedFloor(): number {
    return this.acked.floor;
  }

  get(seqno: bigint): ReplyEntry | undefined {
    const n = Number(seqno);
    // Every seqno at or above 2^53 converts to at least 2^53, above MAX_EXACT.
    return n <= MAX_EXACT ? this.entries.get(n) : this.huge.get(seqno);
  }

  /** Whether the client acknowledged the reply to `seqno` (so it must not run again). */
  wasAcked(seqno: bigint): boolean {
    const n = Number(seqno);
    return n <= MAX_EXACT && this.acked.has(n);
  }

  /**
   * A pending entry for a new seqno; null when a limit refuses it (see `refusal`) or closed.
   * `parked` entries (requests waiting on other clients, bounded on their own) do not count
   * against the entry bound.
   */
  register(seqno: bigint, parked = 0): ReplyEntry | null {
    if (this.closed || this.refusal(parked) !== null) return null;
    const entry: ReplyEntry = { reply: null, resend: null, size: 0 };
    const n = Number(seqno);
    if (n <= MAX_EXACT) this.entries.set(n, entry);
    else this.huge.set(seqno, entry);
    return entry;
  }

  /** Which limit refuses a new entry now, by name and value; null if none. */
  refusal(parked = 0): string | null {
    if (this.size - parked >= this.max) {
      return `reply table full: maxReplyTable (${this.max}) replies unacknowledged`;
    }
    return this.bytesRefusal();
  }

  /**
   * Which byte budget refuses to run another request now; null if none. Checked again when a
   * request starts, not only when it arrives: a pipelined burst is admitted before any of its
   * replies exists, and only the start-time check keeps it from outgrowing the budget.
   */
  bytesRefusal(): string | null {
    if (this.bytes >= this.maxBytes) {
      return `reply table full: maxReplyBytesPerSession (${this.maxBytes}) bytes of replies unacknowledged (${this.bytes})`;
    }
    const budget = this.budget;
    if (budget.bytes >= budget.max) {
      return `server reply tables full: maxReplyBytes (${budget.max}) bytes of replies unacknowledged over all sessions`;
    }
    return null;
  }

  /**
   * Completes an entry, charging `size` bytes. Returns the header of a resend waiting for it (to
   * be answered with the same reply), or null. After close the reply is refused: every entry
   * already says SessClosed.
   */
  put(entry: ReplyEntry, reply: RawReply, size: number): Header | null {
    if (entry.reply !== null) return null;
    entry.reply = reply;
    const charge = size + ENTRY_OVERHEAD_BYTES;
    entry.size = charge;
    this.bytes += charge;
    this.budget.bytes += charge;
    const waiting = entry.resend;
    entry.resend = null;
    return waiting;
  }

  /**
   * Forgets replies the client has received: the half-open interval [start, end), and remembers
   * their seqnos as acknowledged. Entries still running are kept (and not remembered); only a
   * broken client acks a reply it never got, and dropping the entry would let a resend run the
   * request a second time.
   */
  ack(start: bigint, end: bigint): void {
    if (end <= start) return;
    const from = Number(start);
    const to = Number(end);
    if (to <= MAX_EXACT && to - from <= PROBE_SPAN) {
      const entries = this.entries;
      let run = from;
      if (entries.size !== 0) {
        for (let s = from; s < to; s++) {
          const e = entries.get(s);
          if (e === undefined) continue;
          if (e.reply !== null) {
            entries.delete(s);
            this.release(e);
          } else {
            this.acked.add(run, s);
            run = s + 1;
          }
        }
      }
      this.acked.add(run, to);
      return;
    }
    // Comparing a number seqno with a bigint bound is exact.
    const running: number[] = [];
    this.entries.forEach((e, s) => {
      if (s < start || s >= end) return;
      if (e.reply === null) running.push(s);
      else {
        this.entries.delete(s);
        this.release(e);
      }
    });
    for (const [s, e] of this.huge) {
      if (s >= start && s < end && e.reply !== null) {
        this.huge.delete(s);
        this.release(e);
      }
    }
    running.sort((a, b) => a - b);
    let run = from;
    for (const s of running) {
      this.acked.add(run, s);
      run = s + 1;
    }
    this.acked.add(run, Math.min(to, MAX_EXACT + 1));
  }

  /**
   * Fails every pending entry with `reply` (SessClosed), refuses further registrations and gives
   * the table's bytes back to the server's budget.
   */
  close(reply: RawReply): void {
    if (this.closed) return;
    this.closed = true;
    this.entries.forEach((e) => fail(e, reply));
    for (const e of this.huge.values()) fail(e, reply);
    this.entries.clear();
    this.huge.clear();
    this.budget.bytes -= this.bytes;
    this.bytes = 0;
  }

  private release(e: ReplyEntry): void {
    this.bytes -= e.size;
    this.budget.bytes -= e.size;
  }
}

function fail(e: ReplyEntry, reply: RawReply): void {
  if (e.reply === null) {
    e.reply = reply;
    e.resend = null;
  }
}
