/**
 * One principal per 9P user (docs/security.md, "The 9P gateway and the console"): a gateway with
 * mutual TLS and `userTokenKey` acts for each connection as its client certificate's CN, with a
 * token it mints (named accepts the gateway's key). alice's files are alice's; bob, through the
 * same gateway, is held to the permission bits; a uname other than the CN is refused at attach;
 * the key without mutual TLS is refused at start, in code and in `sigma 9p`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicKey } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { issueToken, KeyRing, readSigningKey, writeKeyPair } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { LerrorError, NinepClient } from "../../servers/9p/client.js";
import { Errno, startGateway, type Gateway } from "../../servers/9p/index.js";
import { O } from "../../servers/9p/tree.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { runSigma } from "../../bin/run-sigma.js";
import { newKey } from "../auth/helpers.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { bytes, text } from "./fixture.js";
import { spawnGateway } from "./gateway-process.js";

const t = needingOpenssl("the 9P gateway with one principal per user");

/** The errno a 9P request was refused with, or "ok". */
async function errnoOf(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof LerrorError) return e.ecode;
    throw e;
  }
}

/** `sigma ARGS` in-process: its exit code and stderr. */
async function sigma(args: string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runSigma(args, {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
  });
  return { code, err };
}

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  let gw: Gateway;
  let carol: FsLib;
  let dir: string;
  /** The gateway's private key file (its public half is in named's ring). */
  let keyFile: string;
  const realmKey = newKey();

  /** A 9P connection over mutual TLS with `user`'s certificate, versioned. */
  const as = async (user: string, gateway = gw.addr): Promise<NinepClient> => {
    const c = await NinepClient.connect(gateway, { tls: { ca: pki.ca.cert, ...pki.client(user) } });
    await c.version();
    return c;
  };

  beforeAll(async () => {
    pki = makeTestPki();
    dir = mkdtempSync(path.join(tmpdir(), "sigma-9p-users-"));
    keyFile = path.join(dir, "gw");
    await writeKeyPair(keyFile);
    const gwKey = await readSigningKey(keyFile);
    named = await startNamed({
      tls: pki.server,
      authKeys: new KeyRing([realmKey.publicKey, createPublicKey(gwKey)]),
      onRefused: () => {},
    });
    gw = await startGateway({
      named: named.addr,
      tls: { ...pki.server, ca: pki.ca.cert },
      client: { tls: { ca: pki.ca.cert } },
      userTokenKey: gwKey,
    });
    const token = issueToken(realmKey.privateKey, { user: "carol", realm: "rootrealm" });
    carol = await FsLib.connect({ named: named.addr, tls: { ca: pki.ca.cert }, token });
  });
  afterAll(async () => {
    await carol?.close();
    await gw?.close();
    await named?.close();
    pki?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("alice's file is alice's; bob can neither write nor remove it", async () => {
    const alice = await as("alice");
    await alice.attach(1, "name", "alice");
    await alice.walk(1, 2, ["tmp"]);
    await alice.rpc({
      type: "Tlcreate",
      fid: 2,
      name: "alices",
      flags: O.RDWR,
      mode: 0o644,
      gid: 0,
    });
    await alice.write(2, 0n, bytes("alice's words"));
    await alice.clunk(2);
    // (A Stat's mode is always 0777, spec 4.5; the 0644 shows in what bob may do.)
    expect((await carol.stat("name/tmp/alices")).uid).toBe("alice");

    const bob = await as("bob");
    await bob.attach(1, "name", "");
    await bob.walk(1, 2, ["tmp", "alices"]);
    expect(await errnoOf(bob.lopen(2, O.WRONLY))).toBe(Errno.EACCES);
    expect(await errnoOf(bob.lopen(2, O.RDONLY | O.TRUNC))).toBe(Errno.EACCES);
    await bob.walk(1, 3, ["tmp"]);
    const unlink = bob.rpc({ type: "Tunlinkat", dirfid: 3, name: "alices", flags: 0 });
    expect(await errnoOf(unlink)).toBe(Errno.EACCES);
    expect(await errnoOf(bob.rpc({ type: "Tremove", fid: 2 }))).toBe(Errno.EACCES);
    // bob may read what others may, and his own file is his.
    await bob.walk(1, 4, ["tmp", "alices"]);
    await bob.lopen(4, O.RDONLY);
    expect(text(await bob.read(4, 0n, 100))).toBe("alice's words");
    await bob.rpc({ type: "Tlcreate", fid: 3, name: "bobs", flags: O.RDWR, mode: 0o644, gid: 0 });
    await bob.clunk(3);
    expect((await carol.stat("name/tmp/bobs")).uid).toBe("bob");

    expect(text(await carol.getFile("name/tmp/alices"))).toBe("alice's words");
    expect((await carol.stat("name/tmp/alices")).uid).toBe("alice");
    await alice.close();
    await bob.close();
  });

  it("an attach naming another user than the certificate's is refused; the connection serves on", async () => {
    const c = await as("alice");
    expect(await errnoOf(c.attach(1, "name", "mallory"))).toBe(Errno.EACCES);
    expect(await errnoOf(c.attach(1, "ctl", "mallory"))).toBe(Errno.EACCES);
    // The refused fid was never bound: the same fid attaches once the uname is alice's.
    await c.attach(1, "name", "alice");
    await c.walk(1, 2, ["tmp"]);
    await c.rpc({
      type: "Tlcreate",
      fid: 2,
      name: "not-mallorys",
      flags: O.RDWR,
      mode: 0o600,
      gid: 0,
    });
    await c.clunk(2);
    expect((await carol.stat("name/tmp/not-mallorys")).uid).toBe("alice");
    await c.close();
  });

  it("userTokenKey without mutual TLS is refused at start", async () => {
    const key = await readSigningKey(keyFile);
    const refusal = "9p gateway: userTokenKey needs mutual TLS (tls with a client CA)";
    await expect(startGateway({ named: named.addr, userTokenKey: key })).rejects.toThrow(refusal);
    await expect(
      startGateway({ named: named.addr, tls: pki.server, userTokenKey: key }),
    ).rejects.toThrow(refusal);
    const gwCert = pki.client("gateway");
    const mtls = { ...pki.server, ca: pki.ca.cert };
    const withCert = { named: named.addr, tls: mtls, userTokenKey: key, client: { tls: gwCert } };
    await expect(startGateway(withCert)).rejects.toThrow(
      "9p gateway: userTokenKey with a client certificate to named: named would refuse every user but the certificate's",
    );
    await expect(startGateway({ named: named.addr, userTokenTtlMs: 1000 })).rejects.toThrow(
      "9p gateway: userTokenTtlMs needs userTokenKey",
    );
  });

  it("sigma 9p --user-token-key: refused in one line without --tls-client-ca", async () => {
    const tlsFlags = ["--tls-cert", pki.file("server.pem"), "--tls-key", pki.file("server.key")];
    const r = await sigma(["9p", "--named", named.addr, "--user-token-key", keyFile, ...tlsFlags]);
    expect(r).toEqual({
      code: 64,
      err: "sigma: --user-token-key needs mutual TLS (--tls-cert, --tls-key and --tls-client-ca): the client certificate's CN is the user\n",
    });
    const mtls = [...tlsFlags, "--tls-client-ca", pki.file("ca.pem")];
    const pub = await sigma([
      "9p",
      "--named",
      named.addr,
      "--user-token-key",
      `${keyFile}.pub`,
      ...mtls,
    ]);
    expect(pub.code).toBe(64);
    expect(pub.err).toMatch(/^sigma: --user-token-key: .*gw\.pub: [^\n]+\n$/);
    const badTtl = ["--user-token-key", keyFile, "--user-token-ttl", "soon"];
    const ttl = await sigma(["9p", "--named", named.addr, ...badTtl, ...mtls]);
    expect(ttl.code).toBe(64);
    expect(ttl.err).toMatch(/^sigma: --user-token-ttl: [^\n]+\n$/);
    const ttlOnly = await sigma(["9p", "--named", named.addr, "--user-token-ttl", "10m"]);
    expect(ttlOnly).toEqual({ code: 64, err: "sigma: --user-token-ttl needs --user-token-key\n" });
  });

  it("sigma 9p --user-token-key with mutual TLS: each connection is its certificate's user", async () => {
    const p = await spawnGateway(
      named.addr,
      ["--tls-cert", pki.file("server.pem"), "--tls-key", pki.file("server.key")].concat(
        ["--tls-client-ca", pki.file("ca.pem"), "--user-token-key", keyFile],
        ["--user-token-ttl", "10m"],
      ),
      { SIGMA_TLS_CA: pki.file("ca.pem") },
    );
    try {
      const c = await as("dave", p.addr);
      expect(await errnoOf(c.attach(1, "name", "alice"))).toBe(Errno.EACCES);
      await c.attach(1, "name", "dave");
      await c.walk(1, 2, ["tmp"]);
      await c.rpc({ type: "Tlcreate", fid: 2, name: "daves", flags: O.RDWR, mode: 0o644, gid: 0 });
      await c.clunk(2);
      await c.close();
      expect((await carol.stat("name/tmp/daves")).uid).toBe("dave");
    } finally {
      const stopped = await p.stop();
      expect(stopped.code).toBe(0);
    }
  });
});
