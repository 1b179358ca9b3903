/**
 * tls suite: what TLS costs on the wire, each case against the same stack over plain TCP in the
 * same run. A null RPC (Tclunk on null handlers) and a named getFile of 100 B, one call in
 * flight. Servers and clients share this process (as in tests), so the ratio counts both ends'
 * encryption on one core; no target, the ratio is what is reported. Needs the openssl binary
 * for the throw-away certificates.
 */
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { TlsClientOptions, TlsServerOptions } from "../../runtime/net/types.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import { startSessionServer } from "../../runtime/session/server/session-server.js";
import { startNamed } from "../../servers/named/index.js";
import { makeTestPki } from "../../tests/support/tls-certs.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { NullHandlers } from "./session/null-handlers.js";

const FILE = "name/tmp/bench-tls";

export const suite: Suite = {
  name: "tls",
  description: "null RPC and named getFile over TLS vs plain TCP (in-process, 1 in flight)",
  run: async (ctx) => {
    const pki = makeTestPki();
    ctx.defer(() => pki.remove());
    const server: TlsServerOptions = pki.server;
    const client: TlsClientOptions = { ca: pki.ca.cert };
    const plainRpc = await nullRpc(ctx, undefined, undefined);
    const tlsRpc = await nullRpc(ctx, server, client);
    await ctx.compare({
      name: "null-rpc-tls",
      unit: "ops/s",
      run: tlsRpc,
      baseline: { name: "null-rpc-plain", run: plainRpc },
      note: "Tclunk, null handlers",
    });
    const plainGet = await getFile(ctx, undefined, undefined);
    const tlsGet = await getFile(ctx, server, client);
    await ctx.compare({
      name: "named-getfile-tls",
      unit: "ops/s",
      run: tlsGet,
      baseline: { name: "named-getfile-plain", run: plainGet },
      note: "getFile of 100 B",
    });
  },
};

type Call = () => Promise<unknown>;

async function nullRpc(
  ctx: SuiteContext,
  tls: TlsServerOptions | undefined,
  clientTls: TlsClientOptions | undefined,
): Promise<Call> {
  const handlers = new NullHandlers();
  const server = await startSessionServer({
    dispatch: (type, body, data, c) => dispatchSigmap(handlers, type, body, data, c),
    ...(tls === undefined ? {} : { tls }),
  });
  ctx.defer(() => server.close());
  const session = await SessionClient.open({
    addrs: [server.addr],
    ...(clientTls === undefined ? {} : { tls: clientTls }),
  });
  ctx.defer(() => session.close());
  const sigmap = new SigmapClient(session);
  return () => sigmap.clunk({ fid: 1 });
}

async function getFile(
  ctx: SuiteContext,
  tls: TlsServerOptions | undefined,
  clientTls: TlsClientOptions | undefined,
): Promise<Call> {
  const named = await startNamed(tls === undefined ? {} : { tls });
  ctx.defer(() => named.close());
  const fsl = await FsLib.connect({
    named: named.addr,
    uname: "bench",
    ...(clientTls === undefined ? {} : { tls: clientTls }),
  });
  ctx.defer(() => fsl.exit());
  await fsl.putFile(FILE, 0o644, 0, new Uint8Array(100).fill(7));
  const got = await fsl.getFile(FILE);
  if (got.length !== 100) throw new Error(`getFile returned ${got.length} bytes, not 100`);
  return () => fsl.getFile(FILE);
}
