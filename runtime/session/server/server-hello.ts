/**
 * The session half of the hello (spec 2.2): create a session, or bind a live one again. The net
 * layer has already checked protocol name and fingerprint.
 */
import { ErrCode, type Tversion } from "../../../generated/sigmap/types.js";
import type { Principal } from "../../auth/index.js";
import { SigmaError, errorText } from "../../errors/index.js";
import type { MessageConn } from "../../net/types.js";
import { helloPrincipal, samePrincipal, type SessionAuth } from "../shared/hello-auth.js";
import type { ServerSession } from "./server-session.js";
import { sessionIdHex } from "../shared/session-id.js";
import {
  MAX_SESSION_KEY_BYTES,
  SESSION_KEY_BYTES,
  sameSessionKey,
  validSessionKey,
} from "../shared/session-key.js";
import type { SessionJournal } from "./session-journal.js";
import type { SessionTable } from "./session-table.js";

const ALL_ONES = 0xffff_ffff_ffff_ffffn;

export interface HelloContext {
  readonly table: SessionTable;
  readonly maxSessions: number;
  /** Null: open mode. */
  readonly auth: SessionAuth | null;
  create(id: bigint, client: bigint, key: Uint8Array, principal: Principal | null): ServerSession;
  /** Where sessions are recorded for another server to resume; null: nowhere. */
  readonly journal: SessionJournal | null;
}

/**
 * Null to accept the hello, or the error to refuse it with; a promise of either when a journal
 * must first record a new session (then the session already holds its id and connection).
 */
export function acceptHello(
  ctx: HelloContext,
  conn: MessageConn,
  hello: Tversion,
): SigmaError | null | Promise<SigmaError | null> {
  const id = hello.session;
  const hex = sessionIdHex(id);
  const table = ctx.table;
  // Before anything else: an unproven peer learns nothing about the session table.
  const principal = helloPrincipal(ctx.auth, hello.credentials, Date.now(), conn.peerUser);
  if (!hello.resume) {
    // 0 is the server's own session and all-ones means "no session": neither can be a client's.
    if (id === 0n || id === ALL_ONES) {
      return new SigmaError(ErrCode.Inval, hex, `invalid session id ${hex}: reserved`);
    }
    if (table.known(id)) {
      const what = table.isRememberedClosed(id) ? "recently closed" : "live";
      return new SigmaError(ErrCode.Inval, hex, `session id ${hex} in use (${what})`);
    }
    if (!validSessionKey(hello.key)) {
      const text = `session ${hex} not created: its hello needs a session key of ${SESSION_KEY_BYTES} to ${MAX_SESSION_KEY_BYTES} bytes`;
      return new SigmaError(ErrCode.Inval, hex, text);
    }
    if (table.live.size >= ctx.maxSessions) {
      return new SigmaError(
        ErrCode.Retry,
        hex,
        `session limit reached: maxSessions (${ctx.maxSessions}) live sessions; session ${hex} not created`,
      );
    }
    // A copy: the decoded key may be a view of a receive buffer.
    const session = ctx.create(id, hello.client, hello.key.slice(), principal);
    table.add(session);
    table.bind(session, conn);
    // Without a journal nothing more: no promise, no wait.
    if (ctx.journal === null) return null;
    let record: Promise<void>;
    try {
      record = ctx.journal.opened(id, hello.client, session.key);
    } catch (e) {
      // A journal failing at once refuses the same way: the session is in the table already.
      record = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return recorded(ctx, session, conn, record);
  }
  // A session another server of the group accepted (it failed over): the journal proves it.
  if (
    !table.known(id) &&
    ctx.journal !== null &&
    hello.key !== undefined &&
    validSessionKey(hello.key) &&
    ctx.journal.restore(id, hello.client, hello.key)
  ) {
    const session = ctx.create(id, hello.client, hello.key.slice(), principal);
    table.add(session);
    table.bind(session, conn);
    return null;
  }
  const session = table.live.get(id);
  if (session === undefined || session.state !== "open") {
    return new SigmaError(ErrCode.SessClosed, hex);
  }
  // Both checks, whatever the first says, and one answer for either: the refusal tells a
  // stranger nothing it did not send (not the owner's client id, not which part was wrong).
  const sameKey = sameSessionKey(session.key, hello.key);
  if (!sameKey || session.client !== hello.client) {
    return new SigmaError(ErrCode.Inval, hex, `session ${hex}: resume refused: not its owner`);
  }
  if (!samePrincipal(session.principal, principal)) {
    return new SigmaError(
      ErrCode.Unauthorized,
      "other-user",
      `session ${hex} belongs to another principal`,
    );
  }
  table.bind(session, conn)?.close("local");
  return null;
}

/**
 * The answer to a new journalled session's hello, once its record settled: accepted only if the
 * record is durable, so that a client never holds a session the next server of the group would
 * refuse to take back (session-journal.ts). Not recorded: the session closes as if detached (its
 * journal's cleanup runs), without its connection, on which the refusal is still to be sent.
 */
async function recorded(
  ctx: HelloContext,
  session: ServerSession,
  conn: MessageConn,
  record: Promise<void>,
): Promise<SigmaError | null> {
  const hex = sessionIdHex(session.id);
  let why: string;
  try {
    await record;
    if (session.state === "open") return null;
    why = "it closed meanwhile";
  } catch (e) {
    why = errorText(e);
  }
  ctx.table.unbind(conn, performance.now());
  void session.detach();
  return new SigmaError(
    ErrCode.Unreachable,
    hex,
    `unreachable: session ${hex} not created: its record did not become durable (${why}); try again`,
  );
}
