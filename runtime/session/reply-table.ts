/**
 * A session's reply table (spec 3.5): seqno → the reply, stored until the client acknowledges
 * it, so a resent request is answered again instead of running twice. An entry exists from the
 * moment a request is accepted, so a resend that arrives while the first copy still runs waits
 * for that copy's reply rather than starting a second run.
 */
import type { Header } from "../../generated/sigmap/types.js";
import type { RawReply } from "../wire/index.js";
import { SeqnoMap } from "./seqno-map.js";

export interface ReplyEntry {
  /** null while the request runs. */
  reply: RawReply | null;
  /**
   * The latest copy that arrived while the request ran, answered too once the reply exists. One
   * is enough (the client ignores a second reply for a seqno) and keeps a resend storm bounded.
   */
  resend: Header | null;
}

/**
 * Acks spanning at most this many seqnos are applied by probing each seqno; wider ones (a hostile
 * or very late client) by scanning the table, so an ack costs at most min(span, size) steps.
 */
const PROBE_SPAN = 64;

// Seqnos from 2^53 up, which no real client reaches, are not exact as numbers: they are kept by
// their bigint in a Map of their own, so two distinct seqnos never share an entry.
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export class ReplyTable {
  private readonly entries = new SeqnoMap<ReplyEntry>();
  private readonly huge = new Map<bigint, ReplyEntry>();
  private closedReply: RawReply | null = null;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size + this.huge.size;
  }

  get isClosed(): boolean {
    return this.closedReply !== null;
  }

  get(seqno: bigint): ReplyEntry | undefined {
    const n = Number(seqno);
    // Every seqno at or above 2^53 converts to at least 2^53, above MAX_EXACT.
    return n <= MAX_EXACT ? this.entries.get(n) : this.huge.get(seqno);
  }

  /** A pending entry for a new seqno; null when the table is full or closed. */
  register(seqno: bigint): ReplyEntry | null {
    if (this.closedReply !== null || this.size >= this.max) return null;
    const entry: ReplyEntry = { reply: null, resend: null };
    const n = Number(seqno);
    if (n <= MAX_EXACT) this.entries.set(n, entry);
    else this.huge.set(seqno, entry);
    return entry;
  }

  /**
   * Completes an entry. Returns the header of a resend waiting for it (to be answered with the
   * same reply), or null. After close the reply is refused: every entry already says SessClosed.
   */
  put(entry: ReplyEntry, reply: RawReply): Header | null {
    if (entry.reply !== null) return null;
    entry.reply = reply;
    const waiting = entry.resend;
    entry.resend = null;
    return waiting;
  }

  /**
   * Forgets replies the client has received: the half-open interval [start, end). Entries still
   * running are kept; only a broken client acks a reply it never got, and dropping the entry
   * would let a resend run the request a second time.
   */
  ack(start: bigint, end: bigint): void {
    if (end <= start || this.size === 0) return;
    const from = Number(start);
    const to = Number(end);
    if (to <= MAX_EXACT && to - from <= PROBE_SPAN) {
      const entries = this.entries;
      for (let s = from; s < to; s++) {
        const e = entries.get(s);
        if (e !== undefined && e.reply !== null) entries.delete(s);
      }
      return;
    }
    // Comparing a number seqno with a bigint bound is exact.
    this.entries.forEach((e, s) => {
      if (s >= start && s < end && e.reply !== null) this.entries.delete(s);
    });
    for (const [s, e] of this.huge) {
      if (s >= start && s < end && e.reply !== null) this.huge.delete(s);
    }
  }

  /** Fails every pending entry with `reply` (SessClosed) and refuses further registrations. */
  close(reply: RawReply): void {
    if (this.closedReply !== null) return;
    this.closedReply = reply;
    this.entries.forEach((e) => fail(e, reply));
    for (const e of this.huge.values()) fail(e, reply);
  }
}

function fail(e: ReplyEntry, reply: RawReply): void {
  if (e.reply === null) {
    e.reply = reply;
    e.resend = null;
  }
}
