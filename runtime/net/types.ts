/**
 * The contract between the net layer (netclnt/netsrv: sockets, frames, the hello) and the
 * session layer above it. Spec sections 2.1, 2.2 and 3.
 */
import type { Header, Tversion } from "../../generated/sigmap/types.js";
import type { SigmaError } from "../errors/index.js";

/** One message on the wire: the frame payload `[header, body, data]`, body not yet decoded. */
export interface WireMessage {
  header: Header;
  body: unknown;
  data: Uint8Array;
}

/** Why a connection ended, for logs and for the session layer's decisions. */
export type CloseReason =
  "local" | "remote" | "error" | "protocol" | "frame-too-large" | "silence" | "server-shutdown";

/** A framed connection past its hello, on either side. */
export interface MessageConn {
  /** The peer, `host:port`. */
  readonly remote: string;
  /** The negotiated maximum frame size (the smaller msize of the two hellos). */
  readonly maxFrame: number;
  /**
   * Encodes, frames and writes one message. After close it is a no-op: a message sent on a
   * dead connection is lost, and the session layer's resend makes up for it.
   *
   * Frames sent in one event-loop turn normally leave together at its end. `now` says the
   * sender expects nothing to follow soon (one call in flight, the last queued reply): the
   * frames pending, this one included, are written at once, sparing a lone message the wait.
   */
  send(msg: WireMessage, now?: boolean): void;
  /** Resolves once the socket's write buffer is below its high-water mark (backpressure). */
  writable(): Promise<void>;
  close(reason?: CloseReason): void;
  readonly isClosed: boolean;
  /** Settles (never rejects) once the connection is closed, for whatever reason. */
  readonly closed: Promise<CloseReason>;
  /**
   * With mutual TLS (server side), the subject CN of the client's verified certificate: the
   * connection's user. Undefined on plain connections and without a client certificate.
   */
  readonly peerUser?: string | undefined;
}

/** A server's TLS material (PEM). With `ca`, clients must present a certificate it signed. */
export interface TlsServerOptions {
  cert: string | Uint8Array;
  key: string | Uint8Array;
  /** CA(s) for client certificates: mutual TLS. Default none: any client may connect. */
  ca?: string | Uint8Array;
  /** Require a client certificate signed by `ca`. Default true when `ca` is given. */
  requestClientCert?: boolean;
}

/** A client's TLS settings (PEM). The server's name is checked against the address's host. */
export interface TlsClientOptions {
  /** The CA(s) the server's certificate must chain to. Default: Node's bundled roots. */
  ca?: string | Uint8Array;
  /** The client's certificate and key, for servers that require mutual TLS. */
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
}

/** netclnt: dial one address and exchange hellos. */
export interface DialOptions {
  client: bigint;
  session: bigint;
  /** false: create the session; true: bind the live session `session`. */
  resume: boolean;
  /** The token sent in the hello (docs/security.md); default none (open mode). */
  credentials?: Uint8Array;
  /** The session's secret, sent in every hello of it: the server binds a resume only with it. */
  sessionKey?: Uint8Array;
  /** Largest frame this side accepts; default 16 MiB. */
  maxFrame?: number;
  /** Gives up on an address that does not complete the hello in time; default 1000 ms. */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** Write-buffer high-water mark; reading pauses above it. Default 1 MiB. */
  writeHighWater?: number;
  /** Dial over TLS with these settings; default plain TCP. */
  tls?: TlsClientOptions;
  /** Every message received after the hello, in arrival order. */
  onMessage(msg: WireMessage): void;
  /** Called once when the connection closes after a successful hello. */
  onClose?(reason: CloseReason): void;
}

/**
 * Result of a refused or failed hello, as SigmaError codes: ProtocolMismatch (names the address
 * and both fingerprints), SessClosed (resume of a closed or unknown session), Inval (session id
 * in use), Unreachable (connect error, timeout, connection closed during the hello).
 */
export type DialError = SigmaError;

/** netsrv: what the session server supplies. */
export interface NetServerHooks {
  /**
   * A hello whose protocol name and fingerprint match ours. Return null to accept (the server
   * answers Rversion), or the error to answer with (Rerror, then the connection is closed); or a
   * promise of either, to answer later (a session being recorded first). A connection whose hello
   * waits is the hooks' from the start: its close reaches onClose, and a message it sends before
   * its answer (which no client does) closes it.
   */
  onHello(conn: MessageConn, hello: Tversion): SigmaError | null | Promise<SigmaError | null>;
  /** Every message after an accepted hello. */
  onMessage(conn: MessageConn, msg: WireMessage): void;
  /** An accepted connection closed. */
  onClose(conn: MessageConn, reason: CloseReason): void;
}

export interface NetServerOptions {
  /** Default 127.0.0.1. Servers advertise a qualified address, never a wildcard. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Largest frame accepted; default 16 MiB. Checked before any allocation. */
  maxFrame?: number;
  /** Accepted connections at once; default 10,000. Further connections are closed at once. */
  maxConnections?: number;
  /** Write-buffer high-water mark per connection; reading pauses above it. Default 1 MiB. */
  writeHighWater?: number;
  /** A connection that has not sent its hello this long after connecting is closed. Default 5000 ms. */
  helloTimeoutMs?: number;
  /** Connections open at once from one remote host; further ones are refused. Default 5,000. */
  maxConnectionsPerPeer?: number;
  /** A frame started and not finished this long after its first byte closes the connection. Default 30 s. */
  frameTimeoutMs?: number;
  /** A connection past its hello that receives nothing this long is closed. Default 60 s. */
  idleTimeoutMs?: number;
  /**
   * Bytes held in unfinished frames over all connections; past it the connections whose frames
   * have waited longest for a byte are closed until the total is under it. Default 256 MiB.
   */
  maxPartialFrameBytes?: number;
  /** Serve TLS with this certificate; default plain TCP. */
  tls?: TlsServerOptions;
}

/** The server's unfinished frames now (`evictions`: connections closed for the budget so far). */
export interface PartialFrameStats {
  bytes: number;
  holders: number;
  evictions: number;
}

export interface NetServer {
  /** `host:port` as bound. */
  readonly addr: string;
  /** Connections open now, including those still in their hello. */
  connectionCount(): number;
  /** Bytes held in unfinished frames, over all connections, against maxPartialFrameBytes. */
  partialFrames(): PartialFrameStats;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
}
