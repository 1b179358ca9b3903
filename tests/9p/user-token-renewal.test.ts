/**
 * The gateway renews each user's token (docs/security.md, "The 9P gateway and the console"): a
 * 9P connection that outlives its first token still resumes its session as its user after a cut.
 * named allows no clock skew, so an unrenewed token would be refused the second its `exp` passes
 * (tests/auth/token-renewal.test.ts shows that refusal for a plain FsLib). The wait past the
 * first token's end is the clock under test, not synchronisation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultProxy } from "../../devtools/fault-proxy.js";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { NinepClient } from "../../servers/9p/client.js";
import { startGateway, type Gateway } from "../../servers/9p/index.js";
import { O } from "../../servers/9p/tree.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { bytes, text } from "./fixture.js";

const t = needingOpenssl("the 9P gateway renews its users' tokens");
const TTL_MS = 2000;

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  let proxy: FaultProxy;
  let gw: Gateway;
  const realmKey = newKey();
  const gwKey = newKey();

  beforeAll(async () => {
    pki = makeTestPki();
    named = await startNamed({
      authKeys: ring(realmKey, gwKey),
      authSkewMs: 0,
      onRefused: () => {},
    });
    proxy = await FaultProxy.start({ target: named.addr });
    gw = await startGateway({
      named: proxy.addr,
      tls: { ...pki.server, ca: pki.ca.cert },
      userTokenKey: gwKey.privateKey,
      userTokenTtlMs: TTL_MS,
    });
  });
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await named?.close();
    pki?.remove();
  });

  it("past the first token's end and a cut, alice's session resumes as alice", async () => {
    const c = await NinepClient.connect(gw.addr, {
      tls: { ca: pki.ca.cert, ...pki.client("alice") },
    });
    await c.version();
    const minted = Date.now();
    await c.attach(1, "name", "");
    await c.walk(1, 2, ["tmp"]);
    await c.rpc({ type: "Tlcreate", fid: 2, name: "renewed", flags: O.RDWR, mode: 0o644, gid: 0 });
    await c.write(2, 0n, bytes("before"));
    // The first token's exp is at most TTL_MS after it was minted (after `minted`).
    await new Promise((r) => setTimeout(r, minted + TTL_MS + 300 - Date.now()));
    proxy.cut();
    await c.write(2, 6n, bytes(" and after"));
    await c.clunk(2);
    await c.walk(1, 3, ["tmp"]);
    await c.rpc({ type: "Tlcreate", fid: 3, name: "later", flags: O.RDWR, mode: 0o644, gid: 0 });
    await c.clunk(3);
    expect(proxy.stats.cuts).toBe(1);
    expect(proxy.stats.connections).toBeGreaterThanOrEqual(2);

    const token = issueToken(realmKey.privateKey, { user: "carol", realm: "rootrealm" });
    const carol = await FsLib.connect({ named: named.addr, token, localIp: "127.0.0.1" });
    try {
      expect(text(await carol.getFile("name/tmp/renewed"))).toBe("before and after");
      expect((await carol.stat("name/tmp/renewed")).uid).toBe("alice");
      expect((await carol.stat("name/tmp/later")).uid).toBe("alice");
    } finally {
      await carol.close();
      await c.close();
    }
  });
});
