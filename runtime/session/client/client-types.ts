/**
 * The client half of the session layer's public contract (spec section 3): what a client gives
 * sessclnt and gets from it. The server's half is server/server-types.ts.
 */
import type { DialOptions, MessageConn, TlsClientOptions } from "../../net/types.js";

export type { TlsClientOptions };

export interface SessionClientOptions {
  /** The server's addresses (`host:port`), tried in order; replicas of one service. */
  addrs: readonly string[];
  /** The client id; default one random id per process. */
  client?: bigint;
  /** Send a keepalive after this long without receiving anything. Default 100 ms. */
  keepaliveMs?: number;
  /** Treat the connection as failed after this long without receiving anything. Default 500 ms. */
  silenceDeadlineMs?: number;
  /** The server's session timeout; the reconnect window is twice this. Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** Per-address connect + hello deadline. Default 1000 ms. */
  connectTimeoutMs?: number;
  /** Default 16 MiB. */
  maxFrame?: number;
  /** Calls in flight at once; further calls wait for a slot. Default 4096. */
  maxOutstanding?: number;
  /** How long close() waits for the Tdetach reply before closing anyway. Default 1000 ms. */
  detachTimeoutMs?: number;
  /** Dial every address over TLS with these settings; default plain TCP. */
  tls?: TlsClientOptions;
  /** The socket seam: connects and exchanges hellos. Default netclnt's `dial`. */
  dial?: DialFn;
  /** The token sent in every (re)dial's hello (docs/security.md); default none (open mode). */
  credentials?: Uint8Array;
}

/** netclnt's `dial`, as the session client reaches it (tests inject faults here). */
export type DialFn = (addr: string, opts: DialOptions) => Promise<MessageConn>;

export type SessionCloseReason = "detached" | "closed-by-server" | "unreachable" | "local";

export interface SessionClosedEvent {
  kind: "closed";
  addrs: readonly string[];
  sessionId: bigint;
  reason: SessionCloseReason;
}
