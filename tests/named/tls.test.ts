/**
 * named over TLS end to end: FsLib.connect({ tls }) round trips, a session that survives a cut
 * and reconnects over TLS, mutual TLS, and the CLI's --tls-* flags and SIGMA_TLS_CA.
 *
 * memfs only (not over tests/support/store-matrix): named on etcd takes no TLS options yet.
 */
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { startMemfsd } from "../../servers/memfsd/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { ROOT, sigmaArgv, sigmaIn } from "../cli/run-cli.js";

const DMTMP = 0x04000000;
const t = needingOpenssl("named over TLS");
let pki: TestPki;
const cleanups: (() => Promise<void>)[] = [];
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeAll(() => {
  if (!t.missing) pki = makeTestPki();
});
afterAll(() => pki?.remove());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function named(mutual = false): Promise<Named> {
  const n = await startNamed({ tls: mutual ? { ...pki.server, ca: pki.ca.cert } : pki.server });
  cleanups.push(() => n.close());
  return n;
}

async function client(opts: Parameters<typeof FsLib.connect>[0]): Promise<FsLib> {
  const fsl = await FsLib.connect(opts);
  cleanups.push(() => fsl.exit());
  return fsl;
}

async function connectError(opts: Parameters<typeof FsLib.connect>[0]): Promise<SigmaError> {
  try {
    await (await FsLib.connect(opts)).exit();
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error("connect succeeded");
}

/** The error's message and its causes', as the CLI prints them. */
function messages(e: unknown): string {
  const out: string[] = [];
  for (let c: unknown = e; c instanceof Error; c = c.cause) out.push(c.message);
  return out.join(" <- ");
}

describe.skipIf(t.missing)(t.title, () => {
  it("FsLib.connect({ tls: { ca } }) writes and reads back over TLS", async () => {
    const n = await named();
    const fsl = await client({ named: n.addr, tls: { ca: pki.ca.cert } });
    await fsl.putFile("name/tmp/over-tls", 0o644, 0, text("secret"));
    expect(str(await fsl.getFile("name/tmp/over-tls"))).toBe("secret");
  });

  it("a plain client, or one trusting another CA, is refused with Unreachable", async () => {
    const n = await named();
    const plain = await connectError({ named: n.addr, sessionTimeoutMs: 200 });
    expect(plain.code).toBe(ErrCode.Unreachable);
    expect(messages(plain)).toContain("if the server speaks TLS, give its CA");
    const wrong = await connectError({ named: n.addr, tls: { ca: pki.otherCa.cert } });
    expect(wrong.code).toBe(ErrCode.Unreachable);
    expect(messages(wrong)).toContain("TLS: unable to verify the first certificate");
  });

  it("the session survives a cut and reconnects over TLS, its ephemeral file kept", async () => {
    const n = await named();
    const proxy = await FaultProxy.start({ target: n.addr });
    cleanups.push(() => proxy.close());
    const fsl = await client({ named: proxy.addr, tls: { ca: pki.ca.cert } });
    await fsl.putFile("name/tmp/mine", 0o644 | DMTMP, 0, text("ephemeral"));
    proxy.cut();
    // The next call redials (a TLS handshake again) and resumes the same session.
    await fsl.putFile("name/tmp/after-cut", 0o644, 0, text("after"));
    expect(proxy.stats.connections).toBe(2);
    expect(str(await fsl.getFile("name/tmp/mine"))).toBe("ephemeral");
    expect(str(await fsl.getFile("name/tmp/after-cut"))).toBe("after");
  });

  it("a TLS memfsd registers in a TLS named; a client follows its mount record over TLS", async () => {
    const n = await named();
    const tls = { ca: pki.ca.cert };
    const m = await startMemfsd({ named: n.addr, pn: "name/m1", tls: pki.server, client: { tls } });
    cleanups.push(() => m.close());
    const fsl = await client({ named: n.addr, tls });
    await fsl.putFile("name/m1/f", 0o644, 0, text("on memfsd"));
    expect(str(await fsl.getFile("name/m1/f"))).toBe("on memfsd");
    // The same client without TLS cannot get past named, let alone to memfsd.
    const plain = await connectError({ named: n.addr });
    expect(plain.code).toBe(ErrCode.Unreachable);
  });

  it("mutual TLS: a client certificate is required; with one the client is served", async () => {
    const n = await named(true);
    // The certificate's CN is the session's user, so Tattach names it (or nobody).
    const fsl = await client({
      named: n.addr,
      uname: "alice",
      tls: { ca: pki.ca.cert, ...pki.client("alice") },
    });
    await fsl.putFile("name/tmp/alice", 0o644, 0, text("a"));
    expect(str(await fsl.getFile("name/tmp/alice"))).toBe("a");
    const none = await connectError({ named: n.addr, tls: { ca: pki.ca.cert } });
    expect(none.code).toBe(ErrCode.Unreachable);
  });

  describe("CLI", () => {
    it("--tls-ca and SIGMA_TLS_CA reach a TLS named; without them the error says why", async () => {
      const n = await named();
      const ca = pki.file("ca.pem");
      await sigmaIn(["put", "--named", n.addr, "--tls-ca", ca, "name/tmp/cli"], "via flag\n");
      const byFlag = await sigmaIn(["cat", "--named", n.addr, "--tls-ca", ca, "name/tmp/cli"]);
      expect(byFlag).toEqual({ code: 0, stdout: "via flag\n", stderr: "" });
      process.env["SIGMA_TLS_CA"] = ca;
      try {
        const byEnv = await sigmaIn(["cat", "--named", n.addr, "name/tmp/cli"]);
        expect(byEnv.stdout).toBe("via flag\n");
      } finally {
        delete process.env["SIGMA_TLS_CA"];
      }
      const plain = await sigmaIn(["cat", "--named", n.addr, "name/tmp/cli"]);
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain("if the server speaks TLS, give its CA (--tls-ca");
    });

    it("sigma named --tls-cert without --tls-key is a usage error", async () => {
      const r = await sigmaIn(["named", "--tls-cert", pki.file("server.pem")]);
      expect(r).toEqual({
        code: 64,
        stdout: "",
        stderr: "sigma: --tls-cert and --tls-key go together\n",
      });
    });

    it("sigma named --tls-cert --tls-key serves TLS and says so", async () => {
      const args = ["named", "--tls-cert", pki.file("server.pem")];
      args.push("--tls-key", pki.file("server.key"));
      const child = spawn(process.execPath, sigmaArgv(args), { cwd: ROOT });
      const exited = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
      let out = "";
      const addr = await new Promise<string>((resolve) => {
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const m = /named listening on (\S+) \(TLS\)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
      });
      try {
        const ls = await sigmaIn(["ls", "--named", addr, "--tls-ca", pki.file("ca.pem"), "name/"]);
        expect(ls.code).toBe(0);
        expect(ls.stdout).toContain("tmp/\n");
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
    });
  });
});
