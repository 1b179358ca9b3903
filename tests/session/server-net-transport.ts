/**
 * The real thing: startSessionServer on a loopback ephemeral port, clients through netclnt's
 * dial, so every message is framed, encoded and decoded on the way.
 */
import { dial } from "../../runtime/net/netclnt.js";
import { startSessionServer } from "../../runtime/session/server/session-server.js";
import type { Transport } from "./server-harness.js";
import type { TestConn } from "./server-test-conn.js";

export const netTransport: Transport = {
  name: "tcp",
  async start(opts) {
    const server = await startSessionServer({ host: "127.0.0.1", port: 0, ...opts });
    return {
      server,
      async dial(test: TestConn, resume: boolean) {
        const conn = await dial(server.addr, {
          client: test.client,
          session: test.session,
          resume,
          sessionKey: test.key,
          onMessage: (m) => test.deliver(m),
        });
        test.attach(conn);
      },
    };
  },
};
