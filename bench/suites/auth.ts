/**
 * auth suite: the cost of tokens (docs/security.md). `auth-verify-token`: verifyToken alone
 * (parse, key lookup, Ed25519 verify, claims). `auth-session-open-token`: a session opened and
 * closed (connect, hello, Tdetach) at a server with keys, vs the same at an open server: what a
 * hello with a token costs on the wire and at the server. Both servers run in the runner, so
 * both sides share one event loop alike.
 */
import { generateKeyPairSync } from "node:crypto";
import { issueToken, KeyRing, verifyToken } from "../../runtime/auth/index.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import { SessionClient } from "../../runtime/session/session-client.js";
import type { Suite } from "../lib/suite.js";

const REALM = "rootrealm";

export const suite: Suite = {
  name: "auth",
  description: "token verification alone, and a session opened with a token vs without",
  run: async (ctx) => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const keys = new KeyRing([publicKey]);
    const token = issueToken(privateKey, { user: "bench", realm: REALM, ttlMs: 24 * 3_600_000 });
    const credentials = new TextEncoder().encode(token);

    await ctx.measure({
      name: "auth-verify-token",
      unit: "ops/s",
      run: async () => {
        verifyToken(credentials, keys, { realm: REALM });
      },
      note: "verifyToken: strict parse, key by id, Ed25519 verify (node:crypto), realm and times",
    });

    const secured = await startFileServer({
      host: "127.0.0.1",
      port: 0,
      auth: { keys, realm: REALM, onRefused: () => undefined },
    });
    ctx.defer(() => secured.close());
    const open = await startFileServer({ host: "127.0.0.1", port: 0 });
    ctx.defer(() => open.close());
    const session = async (addr: string, creds?: Uint8Array): Promise<void> => {
      const s = await SessionClient.open({
        addrs: [addr],
        ...(creds === undefined ? {} : { credentials: creds }),
      });
      await s.close();
    };
    await ctx.compare({
      name: "auth-session-open-token",
      unit: "ops/s",
      run: () => session(secured.addr, credentials),
      baseline: { name: "session-open-no-token", run: () => session(open.addr) },
      note: "connect + hello (+ token verified) + Tdetach, one at a time; servers in the runner",
    });
  },
};
