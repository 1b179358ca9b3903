/**
 * named reaching etcd over TLS with a client certificate (`--etcd-ca/--etcd-cert/--etcd-key`,
 * docs/named-etcd.md): etcd started with `--client-cert-auth` takes the certificate's CN as the
 * user, so named's user needs no password. `sigma etcd-setup` works over the same TLS; a named
 * whose certificate names its user serves; one whose CN has no role on the prefix exits with one
 * line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { etcdClient } from "../../runtime/fs-etcd/etcd-client.js";
import { startEtcdNamed, type EtcdNamed } from "../../servers/named/named-etcd.js";
import { sigmaIn } from "../cli/run-cli.js";
import { ETCD_BIN, freePort } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";

const e = needingEtcd("named on etcd over TLS with a client certificate as its user");
const o = needingOpenssl(e.title);

describe.skipIf(e.missing || o.missing)(o.title, () => {
  let pki: TestPki;
  let dir: string;
  let etcd: ChildProcess;
  let endpoint: string;
  let named: EtcdNamed | undefined;
  const certFlags = (user: string, ca = "ca"): string[] => {
    const c = pki.client(user);
    const cert = join(dir, `${user}.pem`);
    const key = join(dir, `${user}.key`);
    writeFileSync(cert, c.cert);
    writeFileSync(key, c.key);
    return ["--etcd-ca", pki.file(`${ca}.pem`), "--etcd-cert", cert, "--etcd-key", key];
  };

  beforeAll(async () => {
    pki = makeTestPki();
    dir = mkdtempSync(join(tmpdir(), "sigma-etcd-tls-"));
    const client = await freePort();
    const peer = await freePort();
    endpoint = `127.0.0.1:${client}`;
    etcd = spawn(
      ETCD_BIN,
      [
        ["--name", "m0", "--data-dir", join(dir, "m0")],
        ["--listen-client-urls", `https://${endpoint}`],
        ["--advertise-client-urls", `https://${endpoint}`],
        ["--listen-peer-urls", `http://127.0.0.1:${peer}`],
        ["--initial-advertise-peer-urls", `http://127.0.0.1:${peer}`],
        ["--initial-cluster", `m0=http://127.0.0.1:${peer}`],
        ["--cert-file", pki.file("server.pem"), "--key-file", pki.file("server.key")],
        ["--trusted-ca-file", pki.file("ca.pem"), "--client-cert-auth"],
        ["--heartbeat-interval", "50", "--election-timeout", "500"],
        ["--logger", "zap", "--log-level", "error"],
      ].flat(),
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    // Ready once a put through TLS with a client certificate goes through.
    const admin = pki.client("admin");
    const c = etcdClient([endpoint], {
      tls: {
        ca: Buffer.from(pki.ca.cert),
        cert: Buffer.from(admin.cert),
        key: Buffer.from(admin.key),
      },
    });
    try {
      for (;;) {
        try {
          await c.put("/ready").value("1");
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      c.close();
    }
    const root = join(dir, "root.pw");
    writeFileSync(root, "root-secret\n");
    chmodSync(root, 0o600);
    // named-t's password is not what it logs in with (its certificate is), but etcd wants one.
    const pw = join(dir, "named-t.pw");
    writeFileSync(pw, "unused-password\n");
    chmodSync(pw, 0o600);
    const r = await sigmaIn([
      "etcd-setup",
      "--etcd",
      endpoint,
      "--realm",
      "t",
      "--etcd-user",
      "named-t",
      "--etcd-password-file",
      pw,
      "--root-password-file",
      root,
      ...certFlags("admin"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await named?.close();
    if (etcd !== undefined && etcd.exitCode === null) {
      const exited = once(etcd, "exit");
      etcd.kill("SIGKILL");
      await exited;
    }
    pki?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("a named whose certificate's CN is its etcd user serves its realm", async () => {
    const c = pki.client("named-t");
    const port = await freePort();
    const leads = new Promise<void>((resolve) => {
      named = startEtcdNamed({
        etcd: [endpoint],
        host: "127.0.0.1",
        port,
        realm: "t",
        leaseMs: 1000,
        etcdConnection: {
          tls: { ca: Buffer.from(pki.ca.cert), cert: Buffer.from(c.cert), key: Buffer.from(c.key) },
        },
        onRole: (role) => role === "leading" && resolve(),
      });
    });
    await leads;
    const fsl = await FsLib.connect({ named: named!.addr, localIp: "127.0.0.1", realm: "t" });
    await fsl.putFile("name/tmp/over-etcd-tls", 0o644, 0, new TextEncoder().encode("ok"));
    expect(new TextDecoder().decode(await fsl.getFile("name/tmp/over-etcd-tls"))).toBe("ok");
    await fsl.exit();
  }, 30_000);

  it("a CA that did not sign etcd's certificate: sigma named exits in one line", async () => {
    const r = await sigmaIn([
      "named",
      "--etcd",
      endpoint,
      "--realm",
      "t",
      ...certFlags("named-t", "otherCa"),
    ]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "sigma: named: etcd's TLS was not accepted: unable to verify the first certificate (check --etcd-ca, --etcd-cert)\n",
    });
  });

  it("a certificate whose CN has no role on the prefix: sigma named exits in one line", async () => {
    const r = await sigmaIn(["named", "--etcd", endpoint, "--realm", "t", ...certFlags("mallory")]);
    expect(r.code).toBe(1);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "sigma: named: etcd refused the client certificate's user: permission denied on the keys under /sigma/t/\n",
    });
  });
});
