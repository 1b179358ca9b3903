/**
 * One session per server address list (spec 3.1), keyed by the addresses joined with commas and
 * opened lazily by the first call to them. A closed session is never replaced silently (spec 3.9,
 * deviation 5): its fids, ephemeral files, fences and waits are gone, and only the application
 * knows whether that matters, so calls fail with SessClosed until it calls `reopen`.
 */
import { sigmapRegistry } from "../../../generated/sigmap/registry.js";
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { logger } from "../../log.js";
import { ProtocolClient } from "../../wire/index.js";
import type {
  SessionClientOptions,
  SessionClosedEvent,
} from "../../session/client/client-types.js";
import type { Transport } from "../path/addr-tls.js";
import { EventFeed } from "./event-feed.js";
import type { ClientSession, OpenSession } from "./session-port.js";

const log = logger("fslib");

/** The session to one address list, with the protocol client fidclnt sends its requests by. */
export class SessionEntry {
  readonly key: string;
  readonly addrs: readonly string[];
  readonly session: ClientSession;
  readonly client: ProtocolClient;
  /** As its mount record asked (undefined: the client's own setting); a reopen dials the same. */
  readonly transport: Transport;
  #closed: SessionClosedEvent | undefined;

  constructor(addrs: readonly string[], session: ClientSession, transport: Transport) {
    this.key = sessionKey(addrs);
    this.addrs = addrs;
    this.session = session;
    this.transport = transport;
    this.client = new ProtocolClient(session, sigmapRegistry);
  }

  /** How the session closed, once it has. */
  get closedEvent(): SessionClosedEvent | undefined {
    return this.#closed;
  }

  /** Marks the session closed; returns false if it already was. */
  markClosed(ev: SessionClosedEvent): boolean {
    if (this.#closed !== undefined) return false;
    this.#closed = ev;
    return true;
  }

  /** Throws SessClosed (obj = the session id) once the session has closed. */
  checkOpen(): void {
    if (this.#closed !== undefined) throw sessClosed(this.session.id, this.key);
  }
}

/** The pool's key for an address list. */
export function sessionKey(addrs: readonly string[]): string {
  return addrs.join(",");
}

/**
 * The sessions of one client library instance, by address list. `get` fails with Unreachable or
 * SessClosed; closures are published once each on `events`.
 */
export class SessionPool {
  readonly #open: OpenSession;
  #base: Omit<SessionClientOptions, "addrs">;
  readonly #entries = new Map<string, SessionEntry>();
  readonly #opening = new Map<string, Promise<SessionEntry>>();
  readonly #onClosed: (entry: SessionEntry) => void;
  #exited = false;
  /** One `closed` event per session that closed. */
  readonly events = new EventFeed<SessionClosedEvent>();

  constructor(
    open: OpenSession,
    base: Omit<SessionClientOptions, "addrs">,
    onClosed: (entry: SessionEntry) => void,
  ) {
    this.#open = open;
    this.#base = base;
    this.#onClosed = onClosed;
  }

  /**
   * The session to `addrs`, opened on first use. Fails with Unreachable if no address answers
   * (nothing is remembered then), with SessClosed if that session closed or the client exited.
   * `transport`: what the mount record says (docs/security.md, "TLS in mount records").
   */
  async get(addrs: readonly string[], transport?: Transport): Promise<SessionEntry> {
    if (this.#exited) throw sessClosed(undefined, sessionKey(addrs));
    const key = sessionKey(addrs);
    const e = this.#entries.get(key);
    if (e !== undefined) {
      e.checkOpen();
      return e;
    }
    let p = this.#opening.get(key);
    if (p === undefined) {
      p = this.#dial(addrs, transport);
      this.#opening.set(key, p);
      p.then(
        () => this.#opening.delete(key),
        () => this.#opening.delete(key),
      );
    }
    const entry = await p;
    entry.checkOpen();
    return entry;
  }

  /** The entry for a key, open or closed, if one exists. */
  find(key: string): SessionEntry | undefined {
    return this.#entries.get(key);
  }

  /**
   * Drops the closed session to `addrs` and opens a new one. A session that is still open is kept
   * and returned: replacing it would silently discard its ephemeral files and waits.
   */
  async reopen(addrs: readonly string[]): Promise<SessionEntry> {
    if (this.#exited) throw sessClosed(undefined, sessionKey(addrs));
    const key = sessionKey(addrs);
    const e = this.#entries.get(key);
    if (e !== undefined && e.closedEvent !== undefined) this.#entries.delete(key);
    return this.get(addrs, e?.transport);
  }

  /** Sends Tdetach on one session and waits for its closure. */
  async detach(entry: SessionEntry): Promise<void> {
    if (entry.closedEvent !== undefined) return;
    try {
      await entry.session.close();
    } finally {
      this.#closed(entry, this.#event(entry, "detached"));
    }
  }

  /** Closes one session locally, without telling the server. */
  async disconnect(entry: SessionEntry): Promise<void> {
    if (entry.closedEvent !== undefined) return;
    try {
      await entry.session.disconnect();
    } finally {
      this.#closed(entry, this.#event(entry, "local"));
    }
  }

  /** Detaches every session; afterwards every call fails with SessClosed. */
  async exit(): Promise<void> {
    this.#exited = true;
    await Promise.allSettled([...this.#opening.values()]);
    const results = await Promise.allSettled(
      [...this.#entries.values()].map((e) => this.detach(e)),
    );
    for (const r of results) if (r.status === "rejected") log("detach failed: %O", r.reason);
  }

  /** The credentials (a renewed token) of every later hello, on live sessions and new ones. */
  setCredentials(credentials: Uint8Array | undefined): void {
    this.#base = { ...this.#base, credentials };
    for (const e of this.#entries.values()) e.session.setCredentials?.(credentials);
  }

  /** Whether `exit` was called. */
  get exited(): boolean {
    return this.#exited;
  }

  async #dial(addrs: readonly string[], transport: Transport): Promise<SessionEntry> {
    const session = await this.#open({
      ...this.#withTransport(addrs, transport),
      addrs: [...addrs],
    });
    // Renewed while this session was dialing: its later hellos present the new token.
    session.setCredentials?.(this.#base.credentials);
    const entry = new SessionEntry(addrs, session, transport);
    this.#entries.set(entry.key, entry);
    log("session %s to %s opened", session.id.toString(16), entry.key);
    session.closed.then(
      (ev) => this.#closed(entry, ev),
      (e: unknown) => {
        log("session %s closed with %O", session.id.toString(16), e);
        this.#closed(entry, this.#event(entry, "unreachable"));
      },
    );
    if (this.#exited) await this.detach(entry);
    return entry;
  }

  /**
   * A plain record is dialed plain whatever the client's TLS; a TLS one with the client's TLS
   * settings, and refused at once (instead of failing its hello) when the client has none.
   */
  #withTransport(
    addrs: readonly string[],
    transport: Transport,
  ): Omit<SessionClientOptions, "addrs"> {
    if (transport === "plain" && this.#base.tls !== undefined) {
      const { tls: _tls, ...plain } = this.#base;
      return plain;
    }
    if (transport === "tls" && this.#base.tls === undefined) {
      const key = sessionKey(addrs);
      throw new SigmaError(
        ErrCode.Unreachable,
        key,
        `server unreachable: ${key}: its mount record says it speaks TLS; give its CA ` +
          `(FsLib.connect({ tls: { ca } }), --tls-ca or SIGMA_TLS_CA)`,
      );
    }
    return this.#base;
  }

  #event(entry: SessionEntry, reason: SessionClosedEvent["reason"]): SessionClosedEvent {
    return { kind: "closed", addrs: entry.addrs, sessionId: entry.session.id, reason };
  }

  #closed(entry: SessionEntry, ev: SessionClosedEvent): void {
    if (!entry.markClosed(ev)) return;
    log("session %s to %s closed: %s", ev.sessionId.toString(16), entry.key, ev.reason);
    this.events.publish(ev);
    this.#onClosed(entry);
  }
}

function sessClosed(id: bigint | undefined, key: string): SigmaError {
  const obj = id === undefined ? key : id.toString(16);
  return new SigmaError(ErrCode.SessClosed, obj, `session closed: ${obj} (${key})`);
}
