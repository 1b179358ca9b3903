/**
 * The server half of the session layer's public contract (spec section 3): what a server built
 * on sesssrv supplies and receives. The client's half is client/client-types.ts.
 */
import type { Tfence } from "../../../generated/sigmap/types.js";
import type { MessageInfo, RawReply } from "../../contract/index.js";
import type { Principal } from "../../auth/index.js";
import type { TlsServerOptions } from "../../net/types.js";
import type { SessionAuth } from "../shared/hello-auth.js";
import type { SessionJournal } from "./session-journal.js";

export type { TlsServerOptions };

/** What a request handler learns about its request, and how it cooperates with the scheduler. */
export interface RequestContext {
  readonly session: bigint;
  readonly client: bigint;
  readonly seqno: bigint;
  /** The request's fence; the null fence has fenceid.path = 0n. */
  readonly fence: Tfence;
  /** Who the session's hello proved it is; null on an open server (docs/security.md). */
  readonly principal: Principal | null;
  /** Aborted when the session closes: a waiting handler must then fail with SessClosed. */
  readonly signal: AbortSignal;
  /**
   * Tells the scheduler this request now waits on another client (an OWATCH create, a watch, a
   * pipe), so the session's later requests may start. Only requests the registry marks blocking
   * may park; calling it twice is harmless.
   */
  park(): void;
}

/** Runs one decoded-by-type request; the generated dispatcher (dispatchSigmap) fits. */
export type Dispatch = (
  type: number,
  body: unknown,
  data: Uint8Array,
  ctx: RequestContext,
) => Promise<RawReply>;

export interface SessionInfo {
  readonly id: bigint;
  readonly client: bigint;
  readonly principal: Principal | null;
}

export interface SessionServerOptions {
  dispatch: Dispatch;
  /** Message semantics by type; default the generated sigmap registry. */
  registry?: ReadonlyMap<number, MessageInfo>;
  host?: string;
  port?: number;
  /** A session whose connection has been gone longer than this is detached. Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** How often liveness is checked. Default 50 ms. */
  sweepIntervalMs?: number;
  /** Closed sessions are remembered (and refused) this long, then forgotten. Default 60 s. */
  closedGraceMs?: number;
  /** Default 16 MiB. */
  maxFrame?: number;
  /** Live sessions at once; a hello beyond it is refused. Default 10,000. */
  maxSessions?: number;
  /** Requests queued or running per session; beyond it a request is answered with an error. Default 1024. */
  maxQueuedPerSession?: number;
  /** Unacknowledged replies kept per session. Default 4096. */
  maxReplyTable?: number;
  /** Bytes of unacknowledged replies per session; past it new requests get Retry. Default 64 MiB. */
  maxReplyBytesPerSession?: number;
  /** Bytes of unacknowledged replies over all sessions; past it new requests get Retry. Default 512 MiB. */
  maxReplyBytes?: number;
  /** Requests parked (watches, create-or-block, pipe waits) per session. Default 16,384. */
  maxParkedPerSession?: number;
  /** Requests parked over all sessions. Default 65,536. */
  maxParked?: number;
  /**
   * Bytes of requests accepted and not finished (queued, running, parked) per session; past it
   * new requests get Retry (one request alone is always accepted). Default 64 MiB.
   */
  maxRequestBytesPerSession?: number;
  /** The same over all sessions. Default 512 MiB. */
  maxRequestBytes?: number;
  /** Live sessions created from one remote host. Default 5,000. */
  maxSessionsPerPeer?: number;
  /** Connections open from one remote host (netsrv). Default 5,000. */
  maxConnectionsPerPeer?: number;
  /** A frame started and not finished within this long closes its connection (netsrv). Default 30 s. */
  frameTimeoutMs?: number;
  /**
   * Bytes held in unfinished frames over all connections (netsrv); past it the connections
   * whose frames have waited longest for a byte are closed. Default 256 MiB.
   */
  maxPartialFrameBytes?: number;
  /**
   * A connection past its hello that receives nothing this long is closed (netsrv); its session
   * then times out unless the client comes back. Clients send keepalives far more often. Default 60 s.
   */
  idleTimeoutMs?: number;
  /**
   * Runs when a session is detached (client Tdetach or timeout), after its blocked requests were
   * woken: protsrv clunks fids and removes ephemeral objects here. Errors are logged, not fatal.
   */
  onDetach?(session: SessionInfo): void | Promise<void>;
  /** Tokens required in every hello; default none (open mode: every principal null). */
  auth?: SessionAuth;
  /** Records sessions so that another server can resume them (session-journal.ts); default none. */
  journal?: SessionJournal;
}

/** How startSessionServer's socket is made; beside SessionServerOptions, not resolved with them. */
export interface SessionTransportOptions {
  /** Serve over TLS (mutual TLS with `tls.ca`); default plain TCP. */
  tls?: TlsServerOptions;
  /**
   * Serve a non-loopback `host` without `auth`, or with `auth` but without `tls` (a warning is
   * logged). Default false: refused with Inval (runtime/net/exposure.ts, docs/security.md).
   */
  insecure?: boolean;
  /** The server's name in that refusal or warning. Default "server". */
  name?: string;
}

/** A session server's counters (a snapshot; `replyBytes` and `parked` are current levels). */
export interface SessionServerStats {
  /** Resent requests answered from the reply table (or joined to the running copy), not run. */
  duplicatesSuppressed: number;
  /** Requests refused because their seqno was already acknowledged. */
  replaysRefused: number;
  /** Requests refused with Retry by a limit (queue, parked, reply table). */
  limitRefusals: number;
  /** Replies over the frame limit replaced by an error naming it. */
  oversizeReplies: number;
  /** Hellos refused by maxSessions or maxSessionsPerPeer. */
  sessionRefusals: number;
  /** Bytes held by reply tables over all sessions. */
  replyBytes: number;
  /** Bytes of requests accepted and not finished over all sessions. */
  requestBytes: number;
  /** Requests parked now over all sessions. */
  parked: number;
  /** Bytes held in unfinished frames now over all connections (netsrv). */
  partialFrameBytes: number;
  /** Connections closed because unfinished frames were over maxPartialFrameBytes (netsrv). */
  partialFrameEvictions: number;
}

export interface SessionServer {
  readonly addr: string;
  /** Live (not closed) sessions. */
  sessions(): SessionInfo[];
  stats(): SessionServerStats;
  /** Drops a session's connection without closing the session (a simulated partition). */
  disconnect(session: bigint): void;
  /** Detaches a session now, as a timeout would. */
  detach(session: bigint): Promise<void>;
  close(): Promise<void>;
}
