/**
 * The 9P gateway over TLS and in front of a keyed TLS named: 9P-over-TLS clients are served, a
 * plain 9P client gets no Rversion, the gateway's sessions to named are its token's principal
 * over TLS; and `sigma 9p` with --tls-cert/--tls-key, SIGMA_TLS_CA and SIGMA_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { NinepClient } from "../../servers/9p/client.js";
import { startGateway, type Gateway } from "../../servers/9p/index.js";
import { O } from "../../servers/9p/tree.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { bytes, text } from "./fixture.js";
import { spawnGateway } from "./gateway-process.js";

const t = needingOpenssl("the 9P gateway over TLS");

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  let gw: Gateway;
  let fsl: FsLib;
  const key = newKey();
  const token = (user: string): string => issueToken(key.privateKey, { user, realm: "rootrealm" });

  beforeAll(async () => {
    pki = makeTestPki();
    named = await startNamed({ tls: pki.server, authKeys: ring(key), onRefused: () => {} });
    gw = await startGateway({
      named: named.addr,
      tls: pki.server,
      client: { tls: { ca: pki.ca.cert }, token: token("gw-user") },
    });
    fsl = await FsLib.connect({ named: named.addr, tls: { ca: pki.ca.cert }, token: token("bob") });
    await fsl.putFile("name/tmp/for-9p", 0o644, 0, bytes("over TLS twice"));
  });
  afterAll(async () => {
    await fsl?.close();
    await gw?.close();
    await named?.close();
    pki?.remove();
  });

  it("serves a 9P-over-TLS client; what it creates is owned by the gateway's token user", async () => {
    const c = await NinepClient.connect(gw.addr, { tls: { ca: pki.ca.cert } });
    await c.version();
    await c.attach(1, "name", "whoever");
    await c.walk(1, 2, ["tmp", "for-9p"]);
    await c.lopen(2, O.RDONLY);
    expect(text(await c.read(2, 0n, 100))).toBe("over TLS twice");
    await c.walk(1, 3, ["tmp"]);
    await c.rpc({ type: "Tlcreate", fid: 3, name: "from-9p", flags: O.RDWR, mode: 0o644, gid: 0 });
    await c.write(3, 0n, bytes("made"));
    await c.clunk(3);
    expect(text(await fsl.getFile("name/tmp/from-9p"))).toBe("made");
    expect((await fsl.stat("name/tmp/from-9p")).uid).toBe("gw-user");
    await c.close();
  });

  it("a plain 9P client gets no answer but the connection's end; the gateway serves on", async () => {
    const plain = await NinepClient.connect(gw.addr);
    await expect(plain.version()).rejects.toThrow(/connection closed|ECONNRESET/);
    const c = await NinepClient.connect(gw.addr, { tls: { ca: pki.ca.cert } });
    expect((await c.version()).version).toBe("9P2000.L");
    await c.close();
  });

  it("a 9P client trusting another CA is refused in the handshake", async () => {
    await expect(NinepClient.connect(gw.addr, { tls: { ca: pki.otherCa.cert } })).rejects.toThrow(
      /unable to verify the first certificate/,
    );
  });

  it("sigma 9p --tls-cert/--tls-key with SIGMA_TLS_CA and SIGMA_TOKEN", async () => {
    const p = await spawnGateway(
      named.addr,
      ["--tls-cert", pki.file("server.pem"), "--tls-key", pki.file("server.key")],
      { SIGMA_TLS_CA: pki.file("ca.pem"), SIGMA_TOKEN: token("cli-gw") },
    );
    try {
      const c = await NinepClient.connect(p.addr, { tls: { ca: pki.ca.cert } });
      await c.version();
      await c.attach(1, "name");
      await c.walk(1, 2, ["tmp"]);
      await c.rpc({
        type: "Tlcreate",
        fid: 2,
        name: "from-cli",
        flags: O.RDWR,
        mode: 0o644,
        gid: 0,
      });
      await c.clunk(2);
      await c.close();
      expect((await fsl.stat("name/tmp/from-cli")).uid).toBe("cli-gw");
    } finally {
      const stopped = await p.stop();
      expect(stopped.stdout).toMatch(/^9p gateway listening on 127\.0\.0\.1:\d+ \(TLS\)\n/);
      expect(stopped.code).toBe(0);
    }
  });
});
