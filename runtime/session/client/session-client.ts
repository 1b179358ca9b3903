/**
 * sessclnt (spec 3.3, 3.4, 3.7-3.9, deviations 5 and 6): one client session to a server (or a
 * replicated group) over one connection at a time. It numbers requests, sends them in order,
 * matches replies by seqno, acknowledges them, keeps the connection alive, and on failure
 * reconnects and resends everything unanswered under the same session id and seqnos so that each
 * request runs exactly once. A closed session stays closed and says so exactly once.
 */
import { decodeRerror, encodeTdetach, encodeTheartbeat } from "../../../generated/sigmap/codec.js";
import { zeroTfence } from "../../../generated/sigmap/header.js";
import { messages } from "../../../generated/sigmap/registry.js";
import {
  ErrCode,
  MsgType,
  type Rerror,
  type Tfence,
  type Tinterval,
} from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { logger } from "../../log.js";
import { dial as netDial } from "../../net/netclnt.js";
import type { CloseReason, MessageConn, WireMessage } from "../../net/types.js";
import { cachedBigInt } from "../../contract/bigint-cache.js";
import { NO_DATA, type CallOptions, type RawReply, type Transport } from "../../contract/index.js";
import { BACKOFF_CAP_SHARE, INITIAL_BACKOFF_MS } from "./backoff.js";
import { processClientId, randomSessionId } from "./client-id.js";
import { resolveClientOptions, type ResolvedClientOptions } from "./client-options.js";
import { AckIntervals, EMPTY_INTERVAL } from "../shared/intervals.js";
import { PendingCall } from "./pending-call.js";
import { dialFirst, redial, type Dialed } from "./redial.js";
import { SeqnoMap } from "../shared/seqno-map.js";
import { sessionIdHex } from "../shared/session-id.js";
import { randomSessionKey } from "../shared/session-key.js";
import type {
  DialFn,
  SessionClientOptions,
  SessionCloseReason,
  SessionClosedEvent,
} from "./client-types.js";

const log = logger("sessclnt");

/** `connecting` only while open() runs; a session that never connected is never handed out. */
export type SessionState = "connecting" | "connected" | "reconnecting" | "closed";

/** Messages sent between two looks at the connection's backpressure (a 64 KiB payload counts 1 more). */
const WRITE_BUDGET = 64;

// Replies that end the session once received: the answers to requests the schema marks @detach.
const DETACH_REPLIES: ReadonlySet<number> = new Set(
  messages.filter((m) => m.detach && m.reply !== null).map((m) => m.reply!),
);

/** A call waiting for an in-flight slot (maxOutstanding); it has no seqno yet. */
interface SlotWaiter {
  call: PendingCall;
  type: number;
  body: unknown[];
  data: Uint8Array;
  fence: Tfence;
}

// One dial attempt and, if it succeeds, the connection it made. Callbacks from any link but the
// session's current one are stale and ignored.
class Link {
  conn: MessageConn | null = null;
}

export class SessionClient implements Transport {
  readonly id: bigint;
  readonly client: bigint;
  readonly addrs: readonly string[];
  /** Settles exactly once, when the session closes for good. */
  readonly closed: Promise<SessionClosedEvent>;
  /**
   * Times the session was resumed on a new connection (spec 3.8). The client library reads it to
   * tell whether a request may have reached a server that has since failed over (fid-request.ts).
   */
  resumes = 0;

  readonly #o: ResolvedClientOptions;
  readonly #dial: DialFn;
  readonly #idHex: string;
  /** The session's secret, proved in every hello; never logged. */
  readonly #key = randomSessionKey();
  readonly #keepaliveBody: unknown[];
  #announce!: (event: SessionClosedEvent) => void;
  #state: SessionState = "connecting";
  #link: Link | null = null;
  #conn: MessageConn | null = null;
  #addrIndex = 0;
  #lastSeqno = 0;
  /** Every issued, unanswered request (queued or sent), by seqno. */
  readonly #pending = new SeqnoMap<PendingCall>();
  /** Requests still to be written on the current connection, from #queueHead on. */
  #queue: PendingCall[] = [];
  #queueHead = 0;
  readonly #acks = new AckIntervals();
  #waiters: SlotWaiter[] = [];
  #waiterHead = 0;
  #writeBudget = WRITE_BUDGET;
  /** The connection whose writable() the writer awaits; null when the writer is free. */
  #blockedOn: MessageConn | null = null;
  #lastHeard = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Seqno of the keepalive in flight, 0 if none: one at a time is enough to make the server talk. */
  #keepaliveSeqno = 0;
  #redialAbort: AbortController | null = null;
  /** Calls refused for a server limit, waiting to be sent again, with their timers. */
  readonly #retrying = new Map<PendingCall, NodeJS.Timeout>();
  #closing: Promise<void> | null = null;
  // The Tdetach of close(), while it is out.
  #detachCall: PendingCall | null = null;
  /** What the next hello presents: the options' token until a renewed one replaces it. */
  #credentials: Uint8Array | undefined;

  private constructor(o: ResolvedClientOptions) {
    this.#o = o;
    this.#credentials = o.credentials;
    this.#dial = o.dial ?? netDial;
    this.id = randomSessionId();
    this.client = o.client ?? processClientId();
    this.addrs = Object.freeze([...o.addrs]);
    this.#idHex = sessionIdHex(this.id);
    this.#keepaliveBody = encodeTheartbeat({ serverSide: false, sids: new Map([[this.id, true]]) });
    this.closed = new Promise((resolve) => (this.#announce = resolve));
  }

  /**
   * Creates a session on the first address (in order) whose hello succeeds. Rejects when none
   * does, and then no session exists: ProtocolMismatch if any server mismatched, else
   * Unreachable; Inval for bad options.
   */
  static async open(opts: SessionClientOptions): Promise<SessionClient> {
    const session = new SessionClient(resolveClientOptions(opts));
    const dialed = await dialFirst(session.addrs, session.#o.connectTimeoutMs, session.#attempt);
    session.#attach(dialed);
    log("session %s: open on %s", session.#idHex, session.addrs[dialed.index]);
    return session;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The address of the current (or last) connection. */
  get currentAddr(): string {
    return this.addrs[this.#addrIndex]!;
  }

  /** Issued requests not yet answered, abandoned ones included. */
  get outstanding(): number {
    return this.#pending.size;
  }

  call(
    type: number,
    body: unknown[],
    data: Uint8Array | null,
    opts?: CallOptions,
  ): Promise<RawReply> {
    if (this.#state === "closed") return Promise.reject(this.#sessClosed());
    return new Promise<RawReply>((resolve, reject) => {
      const call = new PendingCall(resolve, reject);
      let fence: Tfence = zeroTfence;
      if (opts !== undefined) {
        if (!call.arm(opts)) return;
        if (opts.fence !== undefined) fence = opts.fence;
      }
      this.#enqueue(call, type, body, data ?? NO_DATA, fence);
    });
  }

  #enqueue(
    call: PendingCall,
    type: number,
    body: unknown[],
    data: Uint8Array,
    fence: Tfence,
  ): void {
    if (this.#pending.size < this.#o.maxOutstanding && this.#waiterHead === this.#waiters.length) {
      this.#issue(call, type, body, data, fence, this.#acks.take());
    } else {
      this.#waiters.push({ call, type, body, data, fence });
    }
  }

  /**
   * Detaches: sends Tdetach and waits for its reply (at most detachTimeoutMs), then closes with
   * reason `detached` (or `closed-by-server` if the server had already closed the session).
   */
  close(): Promise<void> {
    if (this.#state === "closed") return Promise.resolve();
    this.#closing ??= this.#detach();
    return this.#closing;
  }

  /** Closes locally without telling the server, as a partition would (reason `local`). */
  disconnect(): void {
    this.#close("local");
  }

  // ---- sending ---------------------------------------------------------------------------

  // Numbering, acking and queueing happen in one synchronous step, so queue order is seqno order.
  #issue(
    call: PendingCall,
    type: number,
    body: unknown[],
    data: Uint8Array,
    fence: Tfence,
    received: Tinterval,
  ): void {
    const seqno = ++this.#lastSeqno;
    call.seqno = seqno;
    call.msg = {
      header: {
        type,
        tag: 0,
        client: this.client,
        session: this.id,
        seqno: cachedBigInt(seqno),
        received,
        fence,
      },
      body,
      data,
    };
    this.#pending.set(seqno, call);
    this.#queue.push(call);
    this.#kick();
  }

  // The writer. It runs synchronously from whoever added work, so there is never more than one;
  // the connection coalesces the frames of one event-loop turn into one write. Backpressure is
  // checked once per budget rather than per message, to keep a promise off the per-call path.
  #kick(): void {
    const conn = this.#conn;
    if (conn === null || this.#blockedOn === conn) return;
    const queue = this.#queue;
    let head = this.#queueHead;
    while (head < queue.length) {
      if (this.#writeBudget <= 0) {
        this.#queueHead = head;
        this.#awaitWritable(conn);
        return;
      }
      const call = queue[head++]!;
      if (call.answered) continue;
      const msg = call.msg!;
      // The only call in flight (a caller making one call at a time) need not wait for others.
      conn.send(msg, this.#pending.size === 1);
      // A failed send may reset the session synchronously, replacing queue and connection.
      if (this.#conn !== conn) return;
      this.#writeBudget -= 1 + (msg.data.length >>> 16);
    }
    queue.length = 0;
    this.#queueHead = 0;
  }

  #awaitWritable(conn: MessageConn): void {
    this.#blockedOn = conn;
    const resume = (): void => {
      if (this.#blockedOn !== conn) return;
      this.#blockedOn = null;
      this.#writeBudget = WRITE_BUDGET;
      this.#kick();
    };
    // A failed wait means a dead connection, whose sends are no-ops until the reset: go on.
    void conn.writable().then(resume, resume);
  }

  #admitWaiters(): void {
    const waiters = this.#waiters;
    const max = this.#o.maxOutstanding;
    while (this.#waiterHead < waiters.length && this.#pending.size < max) {
      const w = waiters[this.#waiterHead++]!;
      // A caller that gave up while waiting for a slot never sent anything: drop it.
      if (w.call.settled) continue;
      this.#issue(w.call, w.type, w.body, w.data, w.fence, this.#acks.take());
      if (this.#state === "closed") return;
    }
    if (this.#waiterHead === waiters.length) {
      this.#waiters = [];
      this.#waiterHead = 0;
    }
  }

  #sendKeepalive(): void {
    const call = new PendingCall();
    this.#issue(call, MsgType.Theartbeat, this.#keepaliveBody, NO_DATA, zeroTfence, EMPTY_INTERVAL);
    this.#keepaliveSeqno = call.seqno;
  }

  // Spec 5.1: a server limit's Retry is the library's to retry, with backoff, until the caller's
  // deadline (which then reports the refusal) or the session's end. It goes again as a new
  // request: the refused seqno was answered and is acknowledged like any other.
  #retryLater(call: PendingCall, refusal: SigmaError): void {
    call.refusal = refusal;
    const cap = this.#o.sessionTimeoutMs / 4;
    const delay = call.retryDelayMs === 0 ? INITIAL_BACKOFF_MS : Math.min(call.retryDelayMs, cap);
    call.retryDelayMs = Math.min(delay * 2, cap);
    const timer = setTimeout(() => {
      this.#retrying.delete(call);
      if (call.settled || this.#state === "closed") return;
      call.refusal = null;
      call.answered = false;
      const msg = call.msg!;
      this.#enqueue(call, msg.header.type, msg.body as unknown[], msg.data, msg.header.fence);
    }, delay);
    timer.unref();
    this.#retrying.set(call, timer);
  }

  // ---- receiving -------------------------------------------------------------------------

  #onMessage(link: Link, msg: WireMessage): void {
    if (link !== this.#link) return;
    this.#lastHeard = performance.now();
    const h = msg.header;
    const seqno = Number(h.seqno);
    const call = this.#pending.get(seqno);
    // Not outstanding: a second reply (a resend raced the first answer); it changes nothing.
    if (call === undefined) return;
    this.#pending.delete(seqno);
    call.answered = true;
    this.#acks.onReply(seqno, h.received);
    if (seqno === this.#keepaliveSeqno) this.#keepaliveSeqno = 0;
    const type = h.type;
    if (type === MsgType.Rerror) {
      const err = rerrorOf(msg.body);
      // The session layer's own limit refusals name the session; the request did not run.
      if (err?.errCode === ErrCode.Retry && err.obj === this.#idHex && !call.settled) {
        this.#retryLater(call, new SigmaError(err.errCode, err.obj, err.err || undefined));
        if (this.#waiterHead < this.#waiters.length) this.#admitWaiters();
        return;
      }
      // Abandoned calls are settled already; their reply is absorbed here, acked above.
      call.complete({ type, body: msg.body, data: msg.data });
      // While our Tdetach is out, the server wakes the session's other calls with SessClosed
      // before it answers the Tdetach (spec 3.9); only the Tdetach's own answer ends it then.
      if (
        err?.errCode === ErrCode.SessClosed &&
        (this.#detachCall === null || call === this.#detachCall)
      ) {
        this.#close("closed-by-server");
        return;
      }
    } else {
      call.complete({ type, body: msg.body, data: msg.data });
      if (DETACH_REPLIES.has(type)) {
        this.#close("detached");
        return;
      }
    }
    if (this.#waiterHead < this.#waiters.length) this.#admitWaiters();
  }

  #onConnClose(link: Link, reason: CloseReason): void {
    if (link !== this.#link || this.#state !== "connected") return;
    this.#reset(reason);
  }

  // ---- liveness --------------------------------------------------------------------------

  // One timer per session, re-armed from its own callback rather than on every message: a
  // message only stamps #lastHeard.
  readonly #onTimer = (): void => {
    this.#timer = null;
    if (this.#state !== "connected") return;
    const { keepaliveMs, silenceDeadlineMs } = this.#o;
    const idle = performance.now() - this.#lastHeard;
    if (idle >= silenceDeadlineMs) {
      // Timers run before the poll phase, so after a stall of our own event loop (a long GC, a
      // busy machine) the reply that ended the silence may already sit unread in the socket.
      // Decide after one poll phase, so our own stall is not blamed on the server.
      setImmediate(this.#confirmSilence);
      return;
    }
    // Sent whenever the line is quiet, even with requests outstanding: a blocked request (a
    // watch) keeps the server legitimately silent, and the keepalive is what tells that apart
    // from a dead server before the silence deadline.
    if (idle >= keepaliveMs && this.#keepaliveSeqno === 0) this.#sendKeepalive();
    const wait =
      idle < keepaliveMs ? keepaliveMs - idle : Math.min(keepaliveMs, silenceDeadlineMs - idle);
    this.#armTimer(wait);
  };

  readonly #confirmSilence = (): void => {
    if (this.#state !== "connected" || this.#timer !== null) return;
    if (performance.now() - this.#lastHeard >= this.#o.silenceDeadlineMs) this.#reset("silence");
    else this.#onTimer();
  };

  #armTimer(ms: number): void {
    this.#timer = setTimeout(this.#onTimer, Math.max(1, Math.ceil(ms)));
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * The token every later hello presents (a renewed one, before the old one expires): a resume
   * after a cut must not fail for a token that was valid when the session opened.
   */
  setCredentials(credentials: Uint8Array | undefined): void {
    this.#credentials = credentials;
  }

  // ---- connections -----------------------------------------------------------------------

  readonly #attempt = (
    index: number,
    resume: boolean,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<MessageConn> => {
    const link = new Link();
    // Current from the start, so nothing the server sends right after its hello is lost.
    if (this.#state !== "closed") this.#link = link;
    return this.#dial(this.addrs[index]!, {
      client: this.client,
      session: this.id,
      resume,
      credentials: this.#credentials,
      tls: this.#o.tls,
      sessionKey: this.#key,
      maxFrame: this.#o.maxFrame,
      connectTimeoutMs: timeoutMs,
      ...(signal === undefined ? {} : { signal }),
      ...(this.#o.tls === undefined ? {} : { tls: this.#o.tls }),
      onMessage: (msg) => this.#onMessage(link, msg),
      onClose: (reason) => this.#onConnClose(link, reason),
    }).then((conn) => {
      link.conn = conn;
      return conn;
    });
  };

  #attach({ conn, index }: Dialed): void {
    this.#conn = conn;
    this.#addrIndex = index;
    this.#state = "connected";
    this.#lastHeard = performance.now();
    this.#writeBudget = WRITE_BUDGET;
    this.#blockedOn = null;
    this.#armTimer(this.#o.keepaliveMs);
    // It may have closed between its hello and now, with the close reported while not connected.
    if (conn.isClosed) {
      this.#reset("remote");
      return;
    }
    this.#kick();
  }

  // Spec 3.8: drop the connection, queue everything unanswered for resending in seqno order,
  // offer the unconfirmed acks again, and start redialling.
  #reset(why: CloseReason): void {
    if (this.#state !== "connected") return;
    const conn = this.#conn!;
    log(
      "session %s: reset (%s) on %s, %d unanswered",
      this.#idHex,
      why,
      conn.remote,
      this.#pending.size,
    );
    this.#state = "reconnecting";
    this.#link = null;
    this.#conn = null;
    this.#blockedOn = null;
    this.#stopTimer();
    conn.close(why);
    this.#queue = this.#pending.values();
    this.#queueHead = 0;
    this.#acks.reset();
    void this.#reconnect(performance.now());
  }

  async #reconnect(failedAt: number): Promise<void> {
    const abort = new AbortController();
    this.#redialAbort = abort;
    const timeout = this.#o.sessionTimeoutMs;
    let dialed: Dialed | null;
    try {
      dialed = await redial(
        {
          addrs: this.addrs,
          current: this.#addrIndex,
          deadline: failedAt + 2 * timeout,
          connectTimeoutMs: this.#o.connectTimeoutMs,
          backoffCapMs: timeout * BACKOFF_CAP_SHARE,
          signal: abort.signal,
        },
        this.#attempt,
      );
    } catch {
      // Only a SessClosed refusal of the resume gets here: the server has detached us.
      this.#close("closed-by-server");
      return;
    }
    if (this.#state === "closed") {
      dialed?.conn.close("local");
      return;
    }
    this.#redialAbort = null;
    if (dialed === null) {
      this.#close("unreachable");
      return;
    }
    log("session %s: resumed on %s", this.#idHex, this.addrs[dialed.index]);
    this.resumes++;
    this.#attach(dialed);
  }

  // ---- closure ---------------------------------------------------------------------------

  async #detach(): Promise<void> {
    const reply = new Promise<RawReply>((resolve, reject) => {
      const call = new PendingCall(resolve, reject);
      this.#detachCall = call;
      call.arm({ timeoutMs: this.#o.detachTimeoutMs });
      // Past the maxOutstanding gate: closing must not queue behind the calls it will end.
      const body = encodeTdetach({ propId: 0, leadId: 0 });
      this.#issue(call, MsgType.Tdetach, body, NO_DATA, zeroTfence, this.#acks.take());
    });
    try {
      await reply;
    } catch (e) {
      log("session %s: detach unanswered: %s", this.#idHex, e);
    }
    this.#close("detached");
  }

  #close(reason: SessionCloseReason): void {
    if (this.#state === "closed") return;
    log("session %s: closed (%s), %d unanswered", this.#idHex, reason, this.#pending.size);
    const conn = this.#conn;
    this.#state = "closed";
    this.#link = null;
    this.#conn = null;
    this.#stopTimer();
    this.#redialAbort?.abort();
    this.#redialAbort = null;
    conn?.close("local");
    for (const call of this.#pending.values()) call.fail(this.#sessClosed());
    this.#pending.clear();
    for (const [call, timer] of this.#retrying) {
      clearTimeout(timer);
      call.fail(this.#sessClosed());
    }
    this.#retrying.clear();
    this.#queue = [];
    this.#queueHead = 0;
    const waiters = this.#waiters;
    for (let i = this.#waiterHead; i < waiters.length; i++)
      waiters[i]!.call.fail(this.#sessClosed());
    this.#waiters = [];
    this.#waiterHead = 0;
    this.#announce({ kind: "closed", addrs: this.addrs, sessionId: this.id, reason });
  }

  #sessClosed(): SigmaError {
    return new SigmaError(ErrCode.SessClosed, this.#idHex);
  }
}

// Null for an undecodable Rerror: the generated client reports that to the caller.
function rerrorOf(body: unknown): Rerror | null {
  try {
    return decodeRerror(body);
  } catch {
    return null;
  }
}
