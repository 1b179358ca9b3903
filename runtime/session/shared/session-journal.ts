/**
 * The durable-session hook of a session server (docs/named-etcd.md, "Sessions across failover"):
 * a store that outlives the server process (named on etcd) records each accepted session, so that
 * another server of the same replica group can take a resume of it. Absent (memfs named, every
 * other server): a session lives and dies with its server, as before.
 */

export interface SessionJournal {
  /** A new session was accepted: record it (in the background; the hello does not wait). */
  opened(id: bigint, client: bigint, key: Uint8Array): void;
  /**
   * A resume of a session this server does not hold: true if the session is recorded for this
   * client with this key (and still alive), after which the server serves it as its own.
   */
  restore(id: bigint, client: bigint, key: Uint8Array): boolean;
}
