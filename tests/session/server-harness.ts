/**
 * Starts a session server with the test handlers and opens raw connections to it. Transports
 * (real loopback sockets, or the in-memory pair for pure pipeline tests) implement Transport.
 */
import { randomBytes } from "node:crypto";
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import type {
  SessionInfo,
  SessionServer,
  SessionServerOptions,
} from "../../runtime/session/server/server-types.js";
import { deferred, TestHandlers } from "./server-handlers.js";
import { TestConn } from "./server-test-conn.js";

export interface ConnectOptions {
  client?: bigint;
  session?: bigint;
  resume?: boolean;
  /** Default: the key this harness created the session with, or a fresh one. */
  key?: Uint8Array;
}

export interface Harness {
  readonly server: SessionServer;
  readonly handlers: TestHandlers;
  /** onDetach calls, in order. */
  readonly detached: SessionInfo[];
  /** Resolves with the next onDetach call. */
  nextDetach(): Promise<SessionInfo>;
  /** Makes onDetach wait (the session stays closing) until the returned function is called. */
  holdDetach(): () => void;
  /** Dials and says hello; rejects with the SigmaError the server refused it with. */
  connect(opts?: ConnectOptions): Promise<TestConn>;
}

export type HarnessOptions = Partial<Omit<SessionServerOptions, "dispatch" | "onDetach">>;

export interface Transport {
  readonly name: string;
  start(opts: SessionServerOptions): Promise<{
    server: SessionServer;
    dial(conn: TestConn, resume: boolean): Promise<void>;
  }>;
}

export function randomId(): bigint {
  // Never 0 or all-ones: both are reserved session ids.
  return (randomBytes(8).readBigUInt64BE() >> 1n) | 1n;
}

export async function startHarness(
  transport: Transport,
  opts: HarnessOptions = {},
): Promise<Harness> {
  const handlers = new TestHandlers();
  const detached: SessionInfo[] = [];
  const detachWaiters: ((s: SessionInfo) => void)[] = [];
  let hold: Promise<void> | null = null;
  const { server, dial } = await transport.start({
    ...opts,
    dispatch: (type, body, data, ctx) => dispatchSigmap(handlers, type, body, data, ctx),
    async onDetach(session) {
      detached.push(session);
      detachWaiters.shift()?.(session);
      if (hold !== null) await hold;
    },
  });
  const client = randomId();
  // The key each session was created with, so a resume proves it as its owner would.
  const keys = new Map<bigint, Uint8Array>();
  return {
    server,
    handlers,
    detached,
    nextDetach: () => new Promise((resolve) => detachWaiters.push(resolve)),
    holdDetach() {
      const gate = deferred();
      hold = gate.promise;
      return () => gate.resolve();
    },
    async connect(c: ConnectOptions = {}) {
      const session = c.session ?? randomId();
      const key = c.key ?? keys.get(session) ?? new Uint8Array(randomBytes(16));
      const conn = new TestConn(c.client ?? client, session, key);
      await dial(conn, c.resume ?? false);
      if (!(c.resume ?? false)) keys.set(session, key);
      return conn;
    },
  };
}
