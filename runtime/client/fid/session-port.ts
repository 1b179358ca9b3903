/**
 * What the client library needs from one session (sessclnt). The session layer's SessionClient
 * fits; tests may supply another implementation through `FsLibOptions.openSession`.
 */
import type {
  SessionClientOptions,
  SessionClosedEvent,
} from "../../session/client/client-types.js";
import type { Transport } from "../../contract/index.js";

/** An open session: an ordered, exactly-once channel to one server or replica group. */
export interface ClientSession extends Transport {
  /** The session id. */
  readonly id: bigint;
  /** Settles once, when the session closes for any reason. */
  readonly closed: Promise<SessionClosedEvent>;
  /** Times the session resumed on a new connection, when the session layer counts them. */
  readonly resumes?: number;
  /** The negotiated maximum frame size, when the session layer reports it. */
  readonly maxFrame?: number;
  /** The credentials the session's later hellos present (a renewed token), if it can change them. */
  setCredentials?(credentials: Uint8Array | undefined): void;
  /** Sends Tdetach and closes the session. */
  close(): Promise<void>;
  /** Closes the session locally without telling the server (a simulated partition). */
  disconnect(): void | Promise<void>;
}

/** Opens a session; fails with Unreachable when no address answers (no session exists then). */
export type OpenSession = (opts: SessionClientOptions) => Promise<ClientSession>;
