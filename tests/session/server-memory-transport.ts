/**
 * The session service's net hooks driven by in-memory connections: the pipeline without
 * sockets or framing, for tests that pin down scheduling and the reply table alone.
 */
import type {
  CloseReason,
  MessageConn,
  NetServerHooks,
  WireMessage,
} from "../../runtime/net/types.js";
import { createSessionService } from "../../runtime/session/server/session-service.js";
import type { Transport } from "./server-harness.js";
import type { TestConn } from "./server-test-conn.js";

class MemoryConn implements MessageConn {
  readonly maxFrame = 1 << 24;
  readonly closed: Promise<CloseReason>;
  isClosed = false;
  peer: MemoryConn | null = null;
  private resolveClosed!: (r: CloseReason) => void;

  constructor(
    readonly remote: string,
    private readonly onMessage: (msg: WireMessage) => void,
    private readonly onClose: (reason: CloseReason) => void,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  send(msg: WireMessage): void {
    const peer = this.peer;
    if (this.isClosed || peer === null) return;
    // Delivered a microtask later, in order, as a socket would deliver it later.
    queueMicrotask(() => {
      if (!peer.isClosed) peer.onMessage(msg);
    });
  }

  writable(): Promise<void> {
    return Promise.resolve();
  }

  close(reason: CloseReason = "local"): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.resolveClosed(reason);
    this.onClose(reason);
    // After what was sent before the close, as a socket delivers its data before its FIN.
    const peer = this.peer;
    if (peer !== null) queueMicrotask(() => peer.close("remote"));
  }
}

export const memoryTransport: Transport = {
  name: "memory",
  async start(opts) {
    const service = createSessionService(opts);
    const hooks: NetServerHooks = service.hooks;
    let n = 0;
    return {
      server: {
        addr: "memory",
        sessions: service.sessions,
        stats: service.stats,
        disconnect: service.disconnect,
        detach: service.detach,
        close: async () => service.shutdown(),
      },
      async dial(test: TestConn, resume: boolean) {
        const port = ++n;
        const client = new MemoryConn(
          `server:${port}`,
          (m) => test.deliver(m),
          () => {},
        );
        const server: MemoryConn = new MemoryConn(
          `client:${port}`,
          (m) => hooks.onMessage(server, m),
          (r) => hooks.onClose(server, r),
        );
        client.peer = server;
        server.peer = client;
        const answer = hooks.onHello(server, {
          msize: 1 << 24,
          version: "sigmap",
          fingerprint: "",
          client: test.client,
          session: test.session,
          resume,
          key: test.key,
          credentials: new Uint8Array(0),
        });
        // Awaited only when the server answers later (a journal), as the net layer does.
        const refused = answer instanceof Promise ? await answer : answer;
        if (refused !== null) {
          server.close("protocol");
          throw refused;
        }
        test.attach(client);
      },
    };
  },
};
