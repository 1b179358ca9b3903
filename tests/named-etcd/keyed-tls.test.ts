/**
 * `sigma named --etcd` with `--auth-keys` and `--tls-cert/--tls-key` (docs/named-etcd.md,
 * "Running it with etcd auth"): the replica's session server takes tokens over TLS as memfs
 * named does. A client with a token and the CA works, and what it creates is its own (another
 * user may not remove it from the sticky boot directory); without a token the hello is
 * Unauthorized; a plain client is refused with a clear error. Last, the CLI replica is SIGKILLed:
 * a second replica (started in code with the same keys and certificate) takes over, and the
 * token'd client's session goes on there with its principal, its file still its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib, type FsLibOptions } from "../../runtime/client/fslib/fslib.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { startEtcdNamed, type EtcdNamed } from "../../servers/named/named-etcd.js";
import { newKey, ring, type TestKey } from "../auth/helpers.js";
import { codeOf } from "../auth/servers.js";
import { sigmaArgv } from "../cli/run-cli.js";
import { freePort, startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";

const e = needingEtcd("named on etcd with --auth-keys and TLS");
const o = needingOpenssl(e.title);
const enc = new TextEncoder();
const SESSION_TIMEOUT = 10_000;
const dec = new TextDecoder();

describe.skipIf(e.missing || o.missing)(o.title, () => {
  let etcd: EtcdCluster;
  let pki: TestPki;
  let key: TestKey;
  let named: ChildProcess;
  let addr: string;
  let second: EtcdNamed | undefined;
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
        // Longer than any failover under load, so the session outlives it (the last test).
        "--session-timeout",
        String(SESSION_TIMEOUT),
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
    await second?.close();
    if (named !== undefined && named.exitCode === null && named.signalCode === null) {
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

  it("after a failover to a replica started in code, the session goes on with its principal", async () => {
    const port = await freePort();
    let leads: () => void = () => {};
    const led = new Promise<void>((resolve) => (leads = resolve));
    second = startEtcdNamed({
      etcd: etcd.endpoints,
      host: "127.0.0.1",
      port,
      realm: "rootrealm",
      leaseMs: 1000,
      sessionTimeoutMs: SESSION_TIMEOUT,
      tls: pki.server,
      authKeys: ring(key),
      onRefused: (l) => stderr.push(`${l}\n`),
      onRole: (role) => role === "leading" && leads(),
    });
    const both = [addr, second.addr];
    // A session's record is written in the background (session-records.ts): the failover below
    // must come after alice's is in etcd, or there is nothing to resume.
    const watcher = await etcd.client().watch().prefix("/sigma/rootrealm/s/").create();
    const recorded = new Promise<void>((resolve) => watcher.once("put", () => resolve()));
    const alice = await connect({
      named: both,
      token: token("alice"),
      tls: { ca: pki.ca.cert },
      sessionTimeoutMs: SESSION_TIMEOUT,
    });
    const closed: unknown[] = [];
    void (async () => {
      for await (const ev of alice.sessionEvents()) closed.push(ev);
    })();
    await alice.putFile("name/tmp/before-failover", 0o644, 0, enc.encode("a"));
    await recorded;
    await watcher.cancel();
    const exited = once(named, "exit");
    named.kill("SIGKILL");
    await exited;
    await led;
    expect(dec.decode(await alice.getFile("name/tmp/before-failover"))).toBe("a");
    await alice.putFile("name/tmp/after-failover", 0o644, 0, enc.encode("b"));
    // The same session, resumed on the new leader (its record is in etcd), not a new one.
    expect(closed).toEqual([]);
    const bob = await connect({ named: both, token: token("bob"), tls: { ca: pki.ca.cert } });
    expect((await bob.stat("name/tmp/after-failover")).uid).toBe("alice");
    expect(await codeOf(bob.remove("name/tmp/before-failover"))).toBe(ErrCode.Perm);
    expect(await codeOf(connect({ named: both, tls: { ca: pki.ca.cert } }))).toBe(
      ErrCode.Unauthorized,
    );
  }, 30_000);
});
