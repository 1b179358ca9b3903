/**
 * `sigma named --etcd` with `--auth-keys` and `--tls-cert/--tls-key` (docs/named-etcd.md,
 * "Running it with etcd auth"): the replica's session server takes tokens over TLS as memfs
 * named does. A client with a token and the CA works, and what it creates is its own (another
 * user may not remove it from the sticky boot directory); without a token the hello is
 * Unauthorized; a plain client is refused with a clear error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib, type FsLibOptions } from "../../runtime/client/fslib/fslib.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { newKey, type TestKey } from "../auth/helpers.js";
import { codeOf } from "../auth/servers.js";
import { sigmaArgv } from "../cli/run-cli.js";
import { freePort, needingEtcd, startEtcd, type EtcdCluster } from "../support/etcd.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";

const e = needingEtcd("named on etcd with --auth-keys and TLS");
const o = needingOpenssl(e.title);
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(e.missing || o.missing)(o.title, () => {
  let etcd: EtcdCluster;
  let pki: TestPki;
  let key: TestKey;
  let named: ChildProcess;
  let addr: string;
  const stderr: string[] = [];
  const clients: FsLib[] = [];
  const connect = async (opts: Partial<FsLibOptions>): Promise<FsLib> => {
    const c = await FsLib.connect({ named: addr, localIp: "127.0.0.1", ...opts });
    clients.push(c);
    return c;
  };
  const token = (user: string): string => issueToken(key.privateKey, { user, realm: "rootrealm" });

  beforeAll(async () => {
    etcd = await startEtcd(1);
    pki = makeTestPki();
    key = newKey();
    const pub = pki.file("realm-key.pub");
    writeFileSync(pub, key.publicKey.export({ type: "spki", format: "pem" }));
    const port = await freePort();
    addr = `127.0.0.1:${port}`;
    named = spawn(
      process.execPath,
      sigmaArgv([
        "named",
        "--etcd",
        etcd.endpoints.join(","),
        "--port",
        String(port),
        "--lease-ms",
        "1000",
        "--auth-keys",
        pub,
        "--tls-cert",
        pki.file("server.pem"),
        "--tls-key",
        pki.file("server.key"),
      ]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    named.stderr?.on("data", (b: Buffer) => stderr.push(b.toString()));
    await new Promise<void>((resolve, reject) => {
      let out = "";
      named.stdout?.on("data", (b: Buffer) => {
        out += b.toString();
        if (/ leading \(/.test(out)) resolve();
      });
      named.once("exit", (code) => reject(new Error(`named exited ${code}: ${stderr.join("")}`)));
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    if (named !== undefined && named.exitCode === null) {
      const exited = once(named, "exit");
      named.kill("SIGTERM");
      await exited;
    }
    await etcd?.stop();
    pki?.remove();
  });

  it("a client with a token and the CA works, and owns what it creates", async () => {
    const alice = await connect({ token: token("alice"), tls: { ca: pki.ca.cert } });
    await alice.putFile("name/tmp/alices", 0o644, 0, enc.encode("hers"));
    expect(dec.decode(await alice.getFile("name/tmp/alices"))).toBe("hers");
    const bob = await connect({ token: token("bob"), tls: { ca: pki.ca.cert } });
    expect((await bob.stat("name/tmp/alices")).uid).toBe("alice");
    // name/tmp is sticky on the etcd store too: only its entry's owner removes it.
    expect(await codeOf(bob.remove("name/tmp/alices"))).toBe(ErrCode.Perm);
    expect(dec.decode(await bob.getFile("name/tmp/alices"))).toBe("hers");
  });

  it("without a token the hello is Unauthorized, and named logs one line", async () => {
    const before = stderr.join("").split("\n").length;
    expect(await codeOf(connect({ tls: { ca: pki.ca.cert } }))).toBe(ErrCode.Unauthorized);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (stderr.join("").split("\n").length > before) resolve();
        else named.stderr?.once("data", check);
      };
      check();
    });
    const lines = stderr
      .join("")
      .split("\n")
      .filter((l) => l !== "");
    expect(lines.at(-1)).toMatch(
      /^sesssrv: hello from 127\.0\.0\.1:\d+ refused: token refused: missing \(no token given\)$/,
    );
  });

  it("a plain client is refused with a clear error", async () => {
    let err: unknown;
    try {
      await connect({ token: token("alice"), sessionTimeoutMs: 200 });
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(SigmaError);
    expect((err as SigmaError).code).toBe(ErrCode.Unreachable);
    const text: string[] = [];
    for (let c: unknown = err; c instanceof Error; c = c.cause) text.push(c.message);
    expect(text.join(" <- ")).toContain("if the server speaks TLS, give its CA");
  });
});
