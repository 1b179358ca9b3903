/**
 * A session's reply table (spec 3.5): seqno → the reply, stored until the client acknowledges
 * it, so a resent request is answered again instead of running twice. An entry exists from the
 * moment a request is accepted, so a resend that arrives while the first copy still runs waits
 * for that copy's reply rather than starting a second run.
 */
import type { Header } from "../../generated/sigmap/types.js";
import type { RawReply } from "../wire/index.js";

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
const PROBE_SPAN = 64n;

export class ReplyTable {
  private readonly entries = new Map<bigint, ReplyEntry>();
  private closedReply: RawReply | null = null;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get isClosed(): boolean {
    return this.closedReply !== null;
  }

  get(seqno: bigint): ReplyEntry | undefined {
    return this.entries.get(seqno);
  }

  /** A pending entry for a new seqno; null when the table is full or closed. */
  register(seqno: bigint): ReplyEntry | null {
    if (this.closedReply !== null || this.entries.size >= this.max) return null;
    const entry: ReplyEntry = { reply: null, resend: null };
    this.entries.set(seqno, entry);
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
    if (end <= start || this.entries.size === 0) return;
    if (end - start <= PROBE_SPAN) {
      for (let s = start; s < end; s++) {
        const e = this.entries.get(s);
        if (e !== undefined && e.reply !== null) this.entries.delete(s);
      }
      return;
    }
    for (const [s, e] of this.entries) {
      if (s >= start && s < end && e.reply !== null) this.entries.delete(s);
    }
  }

  /** Fails every pending entry with `reply` (SessClosed) and refuses further registrations. */
  close(reply: RawReply): void {
    if (this.closedReply !== null) return;
    this.closedReply = reply;
    for (const e of this.entries.values()) {
      if (e.reply === null) {
        e.reply = reply;
        e.resend = null;
      }
    }
  }
}
