/**
 * Every session a server knows: live ones by id, closed ones remembered until their grace period
 * ends, which connection is bound to which session, and which sessions have no connection.
 */
import type { MessageConn } from "../../net/types.js";
import type { ServerSession } from "./server-session.js";

export class SessionTable {
  readonly live = new Map<bigint, ServerSession>();
  /** Closed session id → performance.now() at closing; insertion order is closing order. */
  private readonly closedAt = new Map<bigint, number>();
  private readonly byConn = new Map<MessageConn, ServerSession>();
  /** Live sessions without a connection: the only ones the liveness sweep needs to look at. */
  readonly disconnected = new Set<ServerSession>();

  /** Whether `id` names a live session or one closed recently enough to be remembered. */
  known(id: bigint): boolean {
    return this.live.has(id) || this.closedAt.has(id);
  }

  isRememberedClosed(id: bigint): boolean {
    return this.closedAt.has(id);
  }

  add(session: ServerSession): void {
    this.live.set(session.id, session);
  }

  sessionOf(conn: MessageConn): ServerSession | undefined {
    return this.byConn.get(conn);
  }

  /** Binds `conn` to `session`; returns the connection it replaced, for the caller to close. */
  bind(session: ServerSession, conn: MessageConn): MessageConn | null {
    const old = session.bind(conn);
    if (old !== null) this.byConn.delete(old);
    this.byConn.set(conn, session);
    this.disconnected.delete(session);
    return old;
  }

  /** The connection is gone; its session, if it was still the current one, starts its timeout. */
  unbind(conn: MessageConn, now: number): void {
    const session = this.byConn.get(conn);
    if (session === undefined) return;
    this.byConn.delete(conn);
    if (session.unbind(conn, now) && session.state === "open") this.disconnected.add(session);
  }

  /** The session closed: it is no longer live and is remembered from `now`. */
  closed(session: ServerSession, conn: MessageConn | null, now: number): void {
    if (conn !== null) this.byConn.delete(conn);
    this.disconnected.delete(session);
    if (this.live.get(session.id) === session) this.live.delete(session.id);
    this.closedAt.set(session.id, now);
  }

  /** Forgets closed sessions remembered since before `cutoff`. */
  forgetClosedBefore(cutoff: number): void {
    for (const [id, at] of this.closedAt) {
      if (at >= cutoff) break;
      this.closedAt.delete(id);
    }
  }
}
