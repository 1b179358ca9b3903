/**
 * Mutual TLS without keys at memfsd and RPC servers (and so procd, an RPC server), as at named:
 * each client certificate's CN is its session's principal, so permissions hold between
 * certificate users, Tattach must name the CN, and RPC handlers see the CN in RpcContext.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EchoClient } from "../../generated/services/echo/rpc-client.js";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import { RpcClient, startRpcServer } from "../../runtime/rpc/index.js";
import { startMemfsd } from "../../servers/memfsd/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { codeOf } from "./servers.js";

const t = needingOpenssl("mutual-TLS principals at memfsd and RPC servers");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cleanups: (() => Promise<void>)[] = [];

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  beforeAll(async () => {
    pki = makeTestPki();
    named = await startNamed({ tls: pki.server });
  });
  afterAll(async () => {
    await named?.close();
    pki?.remove();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A client of named presenting `user`'s certificate (named ignores it; memfsd binds it). */
  async function as(user: string, uname?: string): Promise<FsLib> {
    const fsl = await FsLib.connect({
      named: named.addr,
      ...(uname === undefined ? { uname: user } : { uname }),
      tls: { ca: pki.ca.cert, ...pki.client(user) },
    });
    cleanups.push(() => fsl.exit());
    return fsl;
  }

  it("memfsd: the CN owns what it creates; another CN may not overwrite it; uname must be the CN", async () => {
    const m = await startMemfsd({
      named: named.addr,
      pn: "name/mm",
      tls: { ...pki.server, ca: pki.ca.cert },
      client: { tls: { ca: pki.ca.cert } },
    });
    cleanups.push(() => m.close());
    const alice = await as("alice");
    await alice.putFile("name/mm/a", 0o644, Mode.OWRITE, enc("alice's"));
    expect((await alice.stat("name/mm/a")).uid).toBe("alice");
    const mallory = await as("mallory");
    expect(
      await codeOf(mallory.putFile("name/mm/a", 0o644, Mode.OWRITE | Mode.OTRUNC, enc("x"))),
    ).toBe(ErrCode.Perm);
    expect(new TextDecoder().decode(await alice.getFile("name/mm/a"))).toBe("alice's");
    // A certificate for mallory attaching as alice: refused at memfsd's Tattach.
    const liar = await as("mallory", "alice");
    expect(await codeOf(liar.getFile("name/mm/a"))).toBe(ErrCode.Unauthorized);
    // No certificate at all: memfsd refuses the handshake.
    const none = await FsLib.connect({ named: named.addr, tls: { ca: pki.ca.cert } });
    cleanups.push(() => none.exit());
    expect(await codeOf(none.getFile("name/mm/a"))).toBe(ErrCode.Unreachable);
  });

  it("an RPC server's handlers see the certificate's CN as the caller", async () => {
    const registrar = await as("echo-svc");
    const server = await startRpcServer({
      service: echoService({
        echo: async (_req, ctx) => ({
          text: ctx.principal === null ? "nobody" : `${ctx.principal.user}@${ctx.principal.realm}`,
          payload: new Uint8Array(),
        }),
      }),
      host: "127.0.0.1",
      port: 0,
      path: "name/echo-mtls",
      fsl: registrar,
      tls: { ...pki.server, ca: pki.ca.cert },
    });
    cleanups.push(() => server.close());
    const bob = await as("bob");
    const rpc = await RpcClient.connect(bob, "name/echo-mtls");
    try {
      const r = await new EchoClient(rpc).echo({ text: "who", payload: new Uint8Array() });
      expect(r.text).toBe("bob@rootrealm");
    } finally {
      await rpc.close();
    }
  });
});
