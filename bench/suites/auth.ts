/**
 * auth suite: the cost of tokens (docs/security.md). `auth-verify-token`: verifyToken alone
 * (parse, key lookup, Ed25519 verify, claims). `auth-session-open-token`: a session opened and
 * closed (connect, hello, Tdetach) at a server with keys, vs the same at an open server: what a
 * hello with a token costs on the wire and at the server. `auth-getfile-tls`: FsLib getFile of
 * 100 B from a named serving TLS vs the same from a plain named, 1 in flight (certificates made
 * with openssl for the run). Servers run in the runner, so both sides share one event loop alike.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { issueToken, KeyRing, verifyToken } from "../../runtime/auth/index.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import { FsLib } from "../../runtime/client/index.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import { startNamed } from "../../servers/named/index.js";
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

    const dir = await mkdtemp(path.join(tmpdir(), "bench-tls-"));
    ctx.defer(() => rm(dir, { recursive: true, force: true }));
    const tls = await selfSigned(dir);
    const tlsNamed = await startNamed({ tls });
    ctx.defer(() => tlsNamed.close());
    const plainNamed = await startNamed();
    ctx.defer(() => plainNamed.close());
    const data = new Uint8Array(100);
    const overTls = await FsLib.connect({
      named: tlsNamed.addr,
      tls: { ca: tls.cert },
      localIp: "127.0.0.1",
    });
    ctx.defer(() => overTls.exit());
    const plain = await FsLib.connect({ named: plainNamed.addr, localIp: "127.0.0.1" });
    ctx.defer(() => plain.exit());
    await overTls.putFile("name/tmp/f", 0o644, 1, data);
    await plain.putFile("name/tmp/f", 0o644, 1, data);
    await ctx.compare({
      name: "auth-getfile-tls",
      unit: "ops/s",
      run: () => overTls.getFile("name/tmp/f"),
      baseline: { name: "getfile-plain", run: () => plain.getFile("name/tmp/f") },
      note: "getFile of 100 B, 1 in flight, named over TLS (P-256 certificate) vs plain TCP; servers in the runner",
    });
  },
};

async function selfSigned(dir: string): Promise<{ cert: Buffer; key: Buffer }> {
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  return { cert: await readFile(certFile), key: await readFile(keyFile) };
}
