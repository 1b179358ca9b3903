/**
 * Servers started from code apply the CLI's rule themselves (runtime/net/exposure.ts,
 * docs/security.md "Defaults"): off loopback, without keys, or with keys but without TLS, named,
 * etcd named, memfsd, procd and an RPC server refuse to start with Inval and the CLI's words,
 * before they bind or register anything; `insecure: true` serves; keys with TLS serve.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr, isSigmaError } from "../../runtime/errors/index.js";
import { startRpcServer } from "../../runtime/rpc/index.js";
import { startMemfsd } from "../../servers/memfsd/memfsd.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { startEtcdNamed } from "../../servers/named/named-etcd.js";
import { startProcd } from "../../servers/procd/index.js";
import { freePort } from "../support/etcd.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { TestEcho } from "../rpc/fixture.js";
import { newKey, ring } from "./helpers.js";

const OPEN = (what: string): string =>
  `${what}: refusing to serve 0.0.0.0 without --auth-keys (give --insecure to serve everyone)`;
const PLAIN = (what: string): string =>
  `${what}: refusing to take tokens on 0.0.0.0 without TLS (give --tls-cert and --tls-key, or --insecure)`;

/** Resolves with the refusal's message; fails the test if `p` starts or fails otherwise. */
async function refusal(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    const started = typeof p === "function" ? p() : await p;
    await (started as { close?: () => Promise<void> }).close?.();
  } catch (e) {
    if (isSigmaError(e) && isErr(e, ErrCode.Inval) && e.obj === "0.0.0.0") return e.message;
    throw e;
  }
  throw new Error("started");
}

/** Whether `port` is free on every address (nothing was left bound by a refused server). */
async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  srv.listen(port, "0.0.0.0");
  const [ok] = await Promise.race([
    once(srv, "listening").then(() => [true]),
    once(srv, "error").then(() => [false]),
  ]);
  if (ok === true) {
    srv.close();
    await once(srv, "close");
  }
  return ok === true;
}

let named: Named;
let scratch: string;
beforeAll(async () => {
  named = await startNamed();
  scratch = mkdtempSync(path.join(tmpdir(), "exposure-"));
});
afterAll(async () => {
  await named?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("started from code on 0.0.0.0", () => {
  it("named without keys is refused with the CLI's line, and binds nothing", async () => {
    const port = await freePort();
    expect(await refusal(startNamed({ host: "0.0.0.0", port }))).toBe(OPEN("named"));
    expect(await portFree(port)).toBe(true);
  });

  it("named with keys but without TLS is refused", async () => {
    const authKeys = ring(newKey());
    expect(await refusal(startNamed({ host: "0.0.0.0", authKeys }))).toBe(PLAIN("named"));
  });

  it("named with insecure: true serves (reached here on loopback)", async () => {
    const open = await startNamed({ host: "0.0.0.0", insecure: true });
    try {
      const port = open.addr.split(":").at(-1)!;
      const c = await FsLib.connect({ named: `127.0.0.1:${port}`, localIp: "127.0.0.1" });
      await c.putFile("name/tmp/x", 0o644, 0, new TextEncoder().encode("x"));
      expect(new TextDecoder().decode(await c.getFile("name/tmp/x"))).toBe("x");
      await c.exit();
    } finally {
      await open.close();
    }
  });

  it("etcd named is refused at once, before it reaches etcd", async () => {
    const start = (): unknown =>
      startEtcdNamed({ etcd: ["127.0.0.1:1"], host: "0.0.0.0", port: 1, realm: "r" });
    expect(await refusal(start)).toBe(OPEN("named"));
  });

  it("memfsd is refused and registers nothing in named", async () => {
    const start = startMemfsd({ named: named.addr, pn: "name/exposed-memfsd", host: "0.0.0.0" });
    expect(await refusal(start)).toBe(OPEN("memfsd"));
    const c = await FsLib.connect({ named: named.addr, localIp: "127.0.0.1" });
    expect((await c.getDir("name/")).map((s) => s.name)).not.toContain("exposed-memfsd");
    await c.exit();
  });

  it("procd is refused before it connects anywhere", async () => {
    const start = startProcd({ named: "127.0.0.1:1", binDir: scratch, host: "0.0.0.0" });
    expect(await refusal(start)).toBe(OPEN("procd"));
  });

  it("an RPC server is refused, with keys but without TLS too", async () => {
    const service = echoService(new TestEcho());
    expect(await refusal(startRpcServer({ service, host: "0.0.0.0" }))).toBe(OPEN("rpc server"));
    const auth = { keys: ring(newKey()), realm: "rootrealm" };
    expect(await refusal(startRpcServer({ service, host: "0.0.0.0", auth }))).toBe(
      PLAIN("rpc server"),
    );
  });
});

const t = needingOpenssl("started from code on 0.0.0.0 with keys and TLS");
describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki?.remove());

  it("named and an RPC server serve without insecure", async () => {
    const keys = ring(newKey());
    const n = await startNamed({ host: "0.0.0.0", authKeys: keys, tls: pki.server });
    await n.close();
    const rpc = await startRpcServer({
      service: echoService(new TestEcho()),
      host: "0.0.0.0",
      tls: pki.server,
      auth: { keys, realm: "rootrealm" },
    });
    await rpc.close();
    expect(n.addr).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(rpc.addr).toMatch(/^0\.0\.0\.0:\d+$/);
  });
});
