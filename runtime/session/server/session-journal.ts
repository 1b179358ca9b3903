/**
 * The durable-session hook of a session server (docs/named-etcd.md, "Sessions across failover"):
 * a store that outlives the server process (named on etcd) records each accepted session, so that
 * another server of the same replica group can take a resume of it. Absent (memfs named, every
 * other server): a session lives and dies with its server, as before, and the hello costs nothing
 * more.
 *
 * A session accepted is resumable: the hello of a new session is answered only once `opened`
 * resolved (its record is durable), so a server that dies right after answering leaves a record
 * the next server finds. Were the answer first, a client could hold a session no other server
 * would ever take back.
 */
import type { RawReply } from "../../contract/index.js";

export interface SessionJournal {
  /**
   * A new session is being accepted: record it. Its hello is answered when this resolves; if it
   * rejects, the hello is refused (Unreachable, which a client's dial takes as "try the next
   * address"), and the session closed as if detached.
   */
  opened(id: bigint, client: bigint, key: Uint8Array): Promise<void>;
  /**
   * A resume of a session this server does not hold: true if the session is recorded for this
   * client with this key (and still alive), after which the server serves it as its own.
   */
  restore(id: bigint, client: bigint, key: Uint8Array): boolean;
  /**
   * The reply to a request not in the reply table (a resend after a failover) that an earlier
   * server of the group already applied, from what it recorded (an Error: applied, but no reply
   * can be rebuilt; it is answered as the error); undefined: run the request. Only
   * asked for journalled sessions; a request's handler then runs with its requestTags entry.
   */
  replayed?(
    id: bigint,
    seqno: bigint,
    type: number,
    body: unknown,
    data: Uint8Array,
  ): RawReply | Error | undefined;
}
