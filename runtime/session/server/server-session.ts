/**
 * One session on the server (spec 3.5-3.9): classifies each request by the registry, answers
 * keepalives at once, deduplicates through the reply table, orders through the scheduler, and
 * sends every reply on the session's current connection.
 */
import { ErrCode, type Header } from "../../../generated/sigmap/types.js";
import type { Principal } from "../../auth/index.js";
import { errorText } from "../../errors/index.js";
import { logger } from "../../log.js";
import type { MessageConn, WireMessage } from "../../net/types.js";
import type { MessageInfo, RawReply } from "../../contract/index.js";
import {
  MAX_ERROR_REPLY_BYTES,
  oversizeReply,
  replySizeBound,
  replySizeExact,
  requestSizeBound,
  truncatedError,
} from "./reply-size.js";
import { ReplyTable, type ReplyBudget } from "./reply-table.js";
import {
  errorReply,
  errorReplyFrom,
  keepaliveReply,
  replyHeader,
  sessClosedError,
  sessClosedReply,
} from "./server-replies.js";
import { ServerRequest, type RequestOwner } from "./server-request.js";
import { sessionIdHex } from "../shared/session-id.js";
import { SessionScheduler } from "./session-scheduler.js";
import type { Dispatch, SessionInfo, SessionServerStats } from "./server-types.js";
import { FAILPOINTS, failpointFires } from "../../failpoints.js";
import { requestTags } from "../../request-tag.js";
import type { SessionJournal } from "./session-journal.js";

const log = logger("sesssrv");

/** What every session of one server shares. */
export interface SessionEnv {
  readonly dispatch: Dispatch;
  readonly registry: ReadonlyMap<number, MessageInfo>;
  /** The registry's error reply type (Rerror). */
  readonly errorType: number;
  readonly maxQueuedPerSession: number;
  readonly maxReplyTable: number;
  readonly maxReplyBytesPerSession: number;
  /** Reply-table bytes over all sessions, against maxReplyBytes. */
  readonly replyBudget: ReplyBudget;
  readonly maxParkedPerSession: number;
  readonly maxParked: number;
  readonly maxRequestBytesPerSession: number;
  readonly maxRequestBytes: number;
  /** Bytes of accepted, unfinished requests over all sessions, against maxRequestBytes. */
  readonly requestBytes: { bytes: number };
  /** The server's frame limit; a connection may have negotiated a smaller one. */
  readonly maxFrame: number;
  /** The server's counters; `parked` is also the server-wide parked count maxParked bounds. */
  readonly stats: SessionServerStats;
  readonly onDetach: ((session: SessionInfo) => void | Promise<void>) | undefined;
  /** Where sessions are recorded for another server of the group (session-journal.ts). */
  readonly journal: SessionJournal | undefined;
  /** The session has closed; `conn` is the connection it dropped, if it had one. */
  sessionClosed(session: ServerSession, conn: MessageConn | null): void;
}

/** open → closing (waiters woken, detach callbacks running) → closed. */
export type SessionState = "open" | "closing" | "closed";

export class ServerSession implements RequestOwner {
  state: SessionState = "open";
  /** The current connection; null while the client is away. */
  conn: MessageConn | null = null;
  /** performance.now() when the connection went away; meaningful while conn is null. */
  disconnectedAt = 0;
  readonly info: SessionInfo;
  private readonly abort = new AbortController();
  private readonly scheduler = new SessionScheduler<ServerRequest>();
  private readonly replies: ReplyTable;
  /** Requests accepted and not yet answered nor parked: queued, running or unordered. */
  private inflight = 0;
  /** Requests parked (waiting on another client), bounded apart from the queue. */
  private parked = 0;
  /** Bytes of this session's accepted, unfinished requests. */
  private requestBytes = 0;
  private closing: Promise<void> | null = null;

  constructor(
    readonly id: bigint,
    readonly client: bigint,
    /** The secret a resume must prove (server-hello.ts). */
    readonly key: Uint8Array,
    readonly principal: Principal | null,
    private readonly env: SessionEnv,
  ) {
    this.info = Object.freeze({ id, client, principal });
    this.replies = new ReplyTable(env.maxReplyTable, env.maxReplyBytesPerSession, env.replyBudget);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Binds a connection; returns the one it replaces, for the caller to close. */
  bind(conn: MessageConn): MessageConn | null {
    const old = this.conn;
    this.conn = conn;
    return old === conn ? null : old;
  }

  /** Forgets `conn` if it is the current connection; true if it was. */
  unbind(conn: MessageConn, now: number): boolean {
    if (this.conn !== conn) return false;
    this.conn = null;
    this.disconnectedAt = now;
    return true;
  }

  /** One message on the session's current connection, header already checked. */
  receive(msg: WireMessage): void {
    const h = msg.header;
    const env = this.env;
    const info = env.registry.get(h.type);
    if (info === undefined || info.kind !== "request" || info.hello) {
      const text = `unexpected message type ${h.type} (${info?.name ?? "unknown"})`;
      this.send(h, errorReply(env.errorType, ErrCode.BadFcall, String(h.type), text));
      return;
    }
    // Keepalives prove the connection, not the work: they skip the reply table and scheduler.
    if (info.keepalive) {
      this.send(
        h,
        this.state === "open"
          ? keepaliveReply(env.errorType, info, msg.body)
          : sessClosedReply(env.errorType, this.id),
      );
      return;
    }
    if (this.state !== "open") {
      this.send(h, sessClosedReply(env.errorType, this.id));
      return;
    }
    if (h.seqno === 0n) {
      const text = `${info.name}: seqno 0 is reserved for server-internal requests`;
      this.send(h, errorReply(env.errorType, ErrCode.BadFcall, info.name, text));
      return;
    }
    const replies = this.replies;
    replies.ack(h.received.start, h.received.end);
    const seen = replies.get(h.seqno);
    if (
      seen !== undefined &&
      !(FAILPOINTS["dedup-off"] && seen.reply !== null && failpointFires("dedup-off"))
    ) {
      env.stats.duplicatesSuppressed++;
      if (seen.reply !== null) this.send(h, seen.reply);
      else seen.resend = h;
      return;
    }
    // Its reply was acknowledged and forgotten: running it again would apply it twice.
    if (replies.wasAcked(h.seqno)) {
      env.stats.replaysRefused++;
      const text =
        `session ${sessionIdHex(this.id)}: ${info.name} seqno ${h.seqno} refused: its reply was ` +
        `already acknowledged (every seqno up to ${replies.ackedFloor} is); a replayed request is not run again`;
      this.send(h, errorReply(env.errorType, ErrCode.BadFcall, String(h.seqno), text));
      return;
    }
    // A resend after a failover that the old leader applied: answered from its record.
    const outcome = env.journal?.replayed?.(this.id, h.seqno, h.type, msg.body, msg.data);
    if (outcome !== undefined) {
      const replayed = outcome instanceof Error ? errorReplyFrom(env.errorType, outcome) : outcome;
      env.stats.duplicatesSuppressed++;
      const entry = replies.register(h.seqno, this.parked);
      if (entry !== null) replies.put(entry, replayed, replySizeBound(replayed));
      this.send(h, replayed);
      return;
    }
    if (this.inflight >= env.maxQueuedPerSession) {
      this.send(
        h,
        this.limitReply(
          info,
          `maxQueuedPerSession (${env.maxQueuedPerSession}) requests queued or running`,
        ),
      );
      return;
    }
    if (info.blocking) {
      if (this.parked >= env.maxParkedPerSession) {
        this.send(
          h,
          this.limitReply(
            info,
            `maxParkedPerSession (${env.maxParkedPerSession}) requests parked waiting on other clients`,
          ),
        );
        return;
      }
      if (env.stats.parked >= env.maxParked) {
        this.send(
          h,
          this.limitReply(info, `maxParked (${env.maxParked}) requests parked over all sessions`),
        );
        return;
      }
    }
    // A request alone is always admitted (its frame already fits maxFrame): the bounds stop a
    // session, or all of them, from queueing without end, not a large request.
    const bytes = requestSizeBound(msg.body, msg.data);
    if (this.requestBytes > 0 && this.requestBytes + bytes > env.maxRequestBytesPerSession) {
      const what = `maxRequestBytesPerSession (${env.maxRequestBytesPerSession}) bytes of requests queued or running`;
      this.send(h, this.limitReply(info, what));
      return;
    }
    const total = env.requestBytes;
    if (total.bytes > 0 && total.bytes + bytes > env.maxRequestBytes) {
      const what = `maxRequestBytes (${env.maxRequestBytes}) bytes of requests queued or running over all sessions`;
      this.send(h, this.limitReply(info, what));
      return;
    }
    const entry = replies.register(h.seqno, this.parked);
    if (entry === null) {
      this.send(h, this.limitReply(info, replies.refusal(this.parked) ?? "session closing"));
      return;
    }
    this.inflight++;
    const req = new ServerRequest(this, h, info, msg.body, msg.data, entry);
    req.bytes = bytes;
    this.requestBytes += bytes;
    total.bytes += bytes;
    if (info.unordered) this.run(req);
    else this.scheduler.submit(req);
  }

  run(req: ServerRequest): void {
    const errorType = this.env.errorType;
    if (this.state !== "open") {
      this.finish(req, sessClosedReply(errorType, this.id));
      return;
    }
    // The replies of the requests before it are stored by now; refusing here, before it runs,
    // is safe to answer (and to store) as Retry.
    const full = this.replies.bytesRefusal();
    if (full !== null) {
      this.finish(req, this.limitReply(req.info, full));
      return;
    }
    let pending: Promise<RawReply>;
    try {
      const h = req.header;
      pending =
        this.env.journal === undefined
          ? this.env.dispatch(h.type, req.body, req.data, req)
          : requestTags.run(
              {
                session: this.id,
                seqno: h.seqno,
                isAcked: (n) => this.replies.wasAcked(n),
                claimed: false,
              },
              () => this.env.dispatch(h.type, req.body, req.data, req),
            );
    } catch (e) {
      this.finish(req, errorReplyFrom(errorType, e));
      return;
    }
    pending.then(
      (reply) => this.finish(req, reply),
      (e: unknown) => this.finish(req, errorReplyFrom(errorType, e)),
    );
  }

  park(req: ServerRequest): void {
    if (!req.parked) {
      req.parked = true;
      this.inflight--;
      this.parked++;
      this.env.stats.parked++;
    }
    this.scheduler.release(req);
  }

  /**
   * Detaches the session (client Tdetach, timeout, or a test hook): wakes its waiters, runs the
   * detach callback, then closes it. Idempotent: every caller gets the same promise.
   */
  detach(): Promise<void> {
    this.closing ??= this.close(true, null);
    return this.closing;
  }

  /** Closes without the detach callback: the whole server is going away. */
  shutdown(): void {
    this.closing ??= this.close(false, null);
  }

  // `lastWords` sends what must leave after the detach's effects and before the connection goes.
  private async close(runDetachCallback: boolean, lastWords: (() => void) | null): Promise<void> {
    this.state = "closing";
    // Wakes every parked or waiting handler first: they fail with SessClosed (spec 3.9 step 1).
    this.abort.abort(sessClosedError(this.id));
    const onDetach = this.env.onDetach;
    if (runDetachCallback && onDetach !== undefined) {
      // Let the woken handlers run their failure paths (release locks, leave conditions) before
      // the callback clunks the session's fids; detaching is rare, so a turn of the loop is cheap.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        await onDetach(this.info);
      } catch (e) {
        log("session %s: detach callback failed: %s", sessionIdHex(this.id), errorText(e));
      }
    }
    lastWords?.();
    this.state = "closed";
    this.replies.close(sessClosedReply(this.env.errorType, this.id));
    // Requests that never started will never run; the connection they would answer on goes too.
    for (const req of this.scheduler.drain()) {
      this.inflight--;
      this.releaseBytes(req);
    }
    const conn = this.conn;
    this.conn = null;
    this.env.sessionClosed(this, conn);
  }

  private releaseBytes(req: ServerRequest): void {
    this.requestBytes -= req.bytes;
    this.env.requestBytes.bytes -= req.bytes;
    req.bytes = 0;
  }

  private finish(req: ServerRequest, result: RawReply): void {
    const env = this.env;
    this.releaseBytes(req);
    if (req.parked) {
      this.parked--;
      env.stats.parked--;
    } else {
      this.inflight--;
    }
    let reply = result;
    // A handler failing while its session closes failed because of the closing (its wait was
    // aborted), whatever error it chose to report.
    if (this.state !== "open" && reply.type === env.errorType) {
      reply = sessClosedReply(env.errorType, this.id);
    }
    let size = replySizeBound(reply);
    if (
      size > MAX_ERROR_REPLY_BYTES &&
      (reply.type === env.errorType || size > this.frameLimit())
    ) {
      reply = this.fit(req.info, reply);
      size = replySizeBound(reply);
    }
    if (
      FAILPOINTS["reply-lost"] &&
      env.journal !== undefined &&
      reply.type !== env.errorType &&
      (req.info.name === "Tputfile" || req.info.name === "Tcreate")
    ) {
      // Applied, and the server dies before a reply could leave.
      process.kill(process.pid, "SIGKILL");
    }
    const resend = this.replies.put(req.entry, reply, size);
    if (req.info.detach && this.closing === null) {
      // Rdetach leaves once the detach has done its work (spec 3.9: fids closed, ephemeral
      // objects removed, callbacks run), so a client's exit() returns when they are gone.
      this.closing = this.close(true, () => {
        this.send(req.header, reply, resend === null);
        if (resend !== null) this.send(resend, reply, true);
      });
    } else {
      // The session's last request in hand (none queued, running unordered or parked): no other
      // reply can join this one's write, so it leaves at once.
      const last = this.inflight === 0 && this.parked === 0;
      this.send(req.header, reply, last && resend === null);
      if (resend !== null) this.send(resend, reply, last);
    }
    if (!req.info.unordered) this.scheduler.release(req);
  }

  private frameLimit(): number {
    const conn = this.conn;
    return conn === null ? this.env.maxFrame : Math.min(this.env.maxFrame, conn.maxFrame);
  }

  /**
   * A reply that fits the frame limit in place of one that may not: an error with its echoed
   * texts cut short, and anything still too large replaced by an error naming the limit. A reply
   * over the limit would close the connection on every resend and wedge its client for good.
   */
  private fit(info: MessageInfo, reply: RawReply): RawReply {
    const env = this.env;
    const limit = this.frameLimit();
    const candidate = truncatedError(env.errorType, reply) ?? reply;
    let size: number;
    try {
      size = replySizeExact(candidate);
    } catch {
      size = Infinity;
    }
    if (size <= limit) return candidate;
    env.stats.oversizeReplies++;
    log(
      "session %s: %s reply of %d bytes over maxFrame %d replaced",
      sessionIdHex(this.id),
      info.name,
      size,
      limit,
    );
    return oversizeReply(env.errorType, info.name, size, limit);
  }

  private limitReply(info: MessageInfo, what: string): RawReply {
    this.env.stats.limitRefusals++;
    const text = `session ${sessionIdHex(this.id)}: ${info.name} refused: ${what}; retry later`;
    return errorReply(this.env.errorType, ErrCode.Retry, sessionIdHex(this.id), text);
  }

  private send(req: Header, reply: RawReply, now = false): void {
    const conn = this.conn;
    if (conn === null) return;
    try {
      conn.send({ header: replyHeader(req, reply.type), body: reply.body, data: reply.data }, now);
    } catch (e) {
      // A reply that cannot be encoded (a handler returned a malformed body) must neither take
      // the server down nor leave the call waiting forever: answer with the reason instead.
      const text = `cannot encode ${this.env.registry.get(reply.type)?.name ?? reply.type}: ${errorText(e)}`;
      log("session %s seqno %s: %s", sessionIdHex(this.id), req.seqno, text);
      const fallback = errorReply(this.env.errorType, ErrCode.Error, "", text);
      try {
        conn.send(
          { header: replyHeader(req, fallback.type), body: fallback.body, data: fallback.data },
          now,
        );
      } catch {
        conn.close("error");
      }
    }
  }
}
