/**
 * Procs of a procd with a signing key (docs/security.md, "procd"): each gets a token of its
 * spawner's user (SIGMA_TOKEN) and the CA file (SIGMA_TLS_CA), so a proc from procd's bin
 * directory writes, as its spawner, into a named that takes tokens over TLS only. And Ps shows
 * a user only its own procs; an admin sees all.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import { issueToken, type Role } from "../../runtime/auth/index.js";
import { makeProc, procdRpcPath, SigmaClnt, StatusCode } from "../../runtime/proc/index.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { startProcd, type Procd } from "../../servers/procd/index.js";
import { PROCS_DIR, testProcUser } from "../proc/procd-child.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { newKey, ring } from "./helpers.js";

const t = needingOpenssl("procs get a token of their own and the CA");
const KERNEL = "tok-k1";

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  let procd: Procd;
  let caDir: string;
  const realmKey = newKey();
  const procdKey = newKey();
  const token = (user: string, role: Role = "user"): string =>
    issueToken(realmKey.privateKey, { user, realm: "rootrealm", role });
  const clients: SigmaClnt[] = [];
  const connect = async (user: string, role: Role = "user"): Promise<SigmaClnt> => {
    const sc = await SigmaClnt.connect({
      named: named.addr,
      token: token(user, role),
      tls: { ca: pki.ca.cert },
      localIp: "127.0.0.1",
    });
    clients.push(sc);
    return sc;
  };

  beforeAll(async () => {
    pki = makeTestPki();
    // The proc user (nobody, when tests run as root) must read the CA file.
    const procUser = testProcUser();
    caDir = mkdtempSync(path.join(tmpdir(), "proc-ca-"));
    chmodSync(caDir, 0o755);
    const caFile = path.join(caDir, "ca.pem");
    writeFileSync(caFile, pki.ca.cert, { mode: 0o644 });
    // named accepts the realm's key and procd's: procd speaks for its spawners.
    named = await startNamed({
      tls: pki.server,
      authKeys: ring(realmKey, procdKey),
      onRefused: () => {},
    });
    procd = await startProcd({
      named: named.addr,
      kernel: KERNEL,
      warmPool: 0,
      binDir: PROCS_DIR,
      procUser,
      tls: pki.server,
      authKeys: ring(realmKey),
      client: { token: token("procd-k"), tls: { ca: pki.ca.cert }, localIp: "127.0.0.1" },
      procTokenKey: procdKey.privateKey,
      procTokenTtlMs: 10 * 60 * 1000,
      procTlsCaFile: caFile,
    });
  }, 30_000);
  afterAll(async () => {
    for (const sc of clients) await sc.close().catch(() => undefined);
    await procd?.close();
    await named?.close();
    pki?.remove();
    if (caDir !== undefined) rmSync(caDir, { recursive: true, force: true });
  });

  it("a spawned proc writes a file in the keyed TLS named, owned by its spawner", async () => {
    const alice = await connect("alice");
    await alice.fsl.mkDir("name/tmp/alice-out", 0o755);
    const p = makeProc("hello.ts", ["name/tmp/alice-out"]);
    await alice.procClnt.spawn(p);
    expect(await alice.procClnt.waitExit(p.pid)).toEqual({
      code: StatusCode.OK,
      message: "Goodbye World",
    });
    const file = `name/tmp/alice-out/${p.pid}`;
    expect(new TextDecoder().decode(await alice.fsl.getFile(file))).toBe("hello");
    expect((await alice.fsl.stat(file)).uid).toBe("alice");
  });

  it("Ps shows a user its own procs only; an admin sees every proc", async () => {
    const alice = await connect("alice");
    const bob = await connect("bob");
    const ops = await connect("ops", "admin");
    const pa = makeProc("sleeper.ts", []);
    const pb = makeProc("sleeper.ts", []);
    await alice.procClnt.spawn(pa);
    await bob.procClnt.spawn(pb);
    await alice.procClnt.waitStart(pa.pid);
    await bob.procClnt.waitStart(pb.pid);
    const psOf = async (sc: SigmaClnt): Promise<string[]> => {
      const rpc = await RpcClient.connect(sc.fsl, procdRpcPath(KERNEL));
      try {
        return (await new ProcdClient(rpc).ps({})).procs.map((p) => p.pid).sort();
      } finally {
        await rpc.close();
      }
    };
    expect(await psOf(alice)).toEqual([pa.pid]);
    expect(await psOf(bob)).toEqual([pb.pid]);
    expect(await psOf(ops)).toEqual([pa.pid, pb.pid].sort());
    await alice.procClnt.evict(pa.pid);
    await bob.procClnt.evict(pb.pid);
    await alice.procClnt.waitExit(pa.pid);
    await bob.procClnt.waitExit(pb.pid);
  });
});
