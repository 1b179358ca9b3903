/**
 * The session server without its listener: the net layer's hooks plus the management calls of
 * SessionServer. Split from startSessionServer so the pipeline can be driven without sockets.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError, errorText, isSigmaError } from "../../errors/index.js";
import { FAILPOINTS } from "../../failpoints.js";
import { logger } from "../../log.js";
import type { CloseReason, MessageConn, NetServerHooks, WireMessage } from "../../net/types.js";
import { LivenessSweeper } from "./liveness.js";
import { refusedLine } from "../shared/hello-auth.js";
import { acceptHello, type HelloContext } from "./server-hello.js";
import { resolveServerOptions, type ResolvedServerOptions } from "./server-options.js";
import { ReplyBudget } from "./reply-table.js";
import { errorReplyType } from "./server-replies.js";
import { ServerSession, type SessionEnv } from "./server-session.js";
import { sessionIdHex } from "../shared/session-id.js";
import { SessionTable } from "./session-table.js";
import type { SessionInfo, SessionServerOptions, SessionServerStats } from "./server-types.js";

const log = logger("sesssrv");

export interface SessionService {
  readonly options: ResolvedServerOptions;
  readonly hooks: NetServerHooks;
  sessions(): SessionInfo[];
  stats(): SessionServerStats;
  disconnect(session: bigint): void;
  detach(session: bigint): Promise<void>;
  /** Stops the sweep and closes every session without detach callbacks. */
  shutdown(): void;
}

export function createSessionService(
  opts: SessionServerOptions,
  now: () => number = () => performance.now(),
): SessionService {
  const options = resolveServerOptions(opts);
  const table = new SessionTable();
  const replyBudget = new ReplyBudget(options.maxReplyBytes);
  const stats: SessionServerStats = {
    duplicatesSuppressed: 0,
    replaysRefused: 0,
    limitRefusals: 0,
    oversizeReplies: 0,
    sessionRefusals: 0,
    replyBytes: 0,
    requestBytes: 0,
    parked: 0,
    // The net layer's; startSessionServer fills them from its listener.
    partialFrameBytes: 0,
    partialFrameEvictions: 0,
  };
  const requestBytes = { bytes: 0 };
  // Live sessions by the remote host that created them, for maxSessionsPerPeer.
  const peerOf = new Map<bigint, string>();
  const perPeer = new Map<string, number>();
  const env: SessionEnv = {
    dispatch: options.dispatch,
    registry: options.registry,
    errorType: errorReplyType(options.registry),
    maxQueuedPerSession: options.maxQueuedPerSession,
    maxReplyTable: options.maxReplyTable,
    maxReplyBytesPerSession: options.maxReplyBytesPerSession,
    replyBudget,
    maxParkedPerSession: options.maxParkedPerSession,
    maxParked: options.maxParked,
    maxRequestBytesPerSession: options.maxRequestBytesPerSession,
    maxRequestBytes: options.maxRequestBytes,
    requestBytes,
    maxFrame: options.maxFrame,
    stats,
    onDetach: options.onDetach,
    journal: options.journal,
    sessionClosed(session, conn) {
      table.closed(session, conn, now());
      const peer = peerOf.get(session.id);
      if (peer !== undefined) {
        peerOf.delete(session.id);
        const n = (perPeer.get(peer) ?? 1) - 1;
        if (n === 0) perPeer.delete(peer);
        else perPeer.set(peer, n);
      }
      conn?.close("local");
      log("session %s closed", sessionIdHex(session.id));
    },
  };
  const hello: HelloContext = {
    table,
    maxSessions: options.maxSessions,
    auth: options.auth ?? null,
    journal: options.journal ?? null,
    create: (id, client, key, principal) => new ServerSession(id, client, key, principal, env),
  };
  const sweeper = new LivenessSweeper(table, options, now);
  sweeper.start();

  /** Counts and logs a hello's refusal; returns the answer unchanged. */
  const answered = (conn: MessageConn, refused: SigmaError | null): SigmaError | null => {
    if (refused === null) return null;
    if (refused.code === ErrCode.Retry) stats.sessionRefusals++;
    if (refused.code === ErrCode.Unauthorized) {
      refusedLine(hello.auth, `sesssrv: hello from ${conn.remote} refused: ${refused.message}`);
    } else {
      log("hello from %s refused: %s", conn.remote, refused.message);
    }
    return refused;
  };
  const failed = (conn: MessageConn, e: unknown): SigmaError => {
    if (!isSigmaError(e)) log("hello from %s failed: %o", conn.remote, e);
    return isSigmaError(e) ? e : new SigmaError(ErrCode.Error, "", `hello failed: ${errorText(e)}`);
  };

  const hooks: NetServerHooks = {
    onHello(conn, msg) {
      let answer: SigmaError | null | Promise<SigmaError | null>;
      try {
        const peer = peerHost(conn.remote);
        if (!msg.resume && (perPeer.get(peer) ?? 0) >= options.maxSessionsPerPeer) {
          stats.sessionRefusals++;
          const hex = sessionIdHex(msg.session);
          const text = `session limit reached: maxSessionsPerPeer (${options.maxSessionsPerPeer}) live sessions from ${peer}; session ${hex} not created`;
          log("hello from %s refused: %s", conn.remote, text);
          return new SigmaError(ErrCode.Retry, hex, text);
        }
        answer = acceptHello(hello, conn, msg);
        // Counted at once, even while a journal records the session: a refusal then closes the
        // session, and sessionClosed uncounts it.
        if (answer !== null && !(answer instanceof Promise)) return answered(conn, answer);
        if (!msg.resume && !peerOf.has(msg.session)) {
          peerOf.set(msg.session, peer);
          perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1);
        }
      } catch (e) {
        // acceptHello throws only Unauthorized; anything else refuses this hello, not the server.
        return answered(conn, failed(conn, e));
      }
      if (answer === null) return null;
      // A journalled new session: answered once its record is durable (server-hello.ts).
      return answer.then(
        (r) => {
          if (r === null && FAILPOINTS["hello-kill"]) dieAfterAnswer();
          return answered(conn, r);
        },
        (e: unknown) => answered(conn, failed(conn, e)),
      );
    },
    onMessage(conn: MessageConn, msg: WireMessage) {
      const session = table.sessionOf(conn);
      const h = msg.header;
      // Every frame after the hello must name the bound session (spec 2.2 item 6); anything
      // else is a protocol error on this connection, not an error of some other session.
      if (session === undefined || h.session !== session.id || h.client !== session.client) {
        log("protocol error from %s: message for session %s", conn.remote, h.session);
        conn.close("protocol");
        return;
      }
      try {
        session.receive(msg);
      } catch (e) {
        log("session %s: message from %s dropped: %o", sessionIdHex(session.id), conn.remote, e);
      }
    },
    onClose(conn: MessageConn, _reason: CloseReason) {
      table.unbind(conn, now());
    },
  };

  return {
    options,
    hooks,
    sessions: () => Array.from(table.live.values(), (s) => s.info),
    stats: () => ({ ...stats, replyBytes: replyBudget.bytes, requestBytes: requestBytes.bytes }),
    disconnect(id) {
      const conn = table.live.get(id)?.conn;
      if (conn == null) return;
      // Unbind first: the session must count as disconnected even if the net layer reports
      // the close late or not at all.
      table.unbind(conn, now());
      conn.close("local");
    },
    detach: (id) => table.live.get(id)?.detach() ?? Promise.resolve(),
    shutdown() {
      sweeper.stop();
      for (const session of Array.from(table.live.values())) session.shutdown();
    },
  };
}

/**
 * The `hello-kill` failpoint: SIGKILL once the hello's answer left. The net layer sends it as this
 * promise settles and the connection flushes on the next tick, so at the next immediate the
 * answer is in the kernel's hands: the client has its session, this server is gone.
 */
function dieAfterAnswer(): void {
  setImmediate(() => process.kill(process.pid, "SIGKILL"));
}

/** The host of a `host:port` (or `[v6]:port`) address: what per-peer limits count by. */
export function peerHost(remote: string): string {
  const colon = remote.lastIndexOf(":");
  return colon < 0 ? remote : remote.slice(0, colon);
}
