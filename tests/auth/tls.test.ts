/**
 * TLS at the socket (runtime/net/tls.ts): a named serving TLS with a certificate for 127.0.0.1,
 * a client trusting its CA; a client trusting another CA, a plain client at the TLS server and a
 * TLS client at a plain server each fail to connect with Unreachable, and the TLS server serves
 * on. Certificates come from openssl, made for this run.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigma } from "../../bin/run-sigma.js";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { ring, newKey } from "./helpers.js";
import { issueToken } from "../../runtime/auth/index.js";

const run = promisify(execFile);

async function sigma(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runSigma(args, { stdin: Readable.from([]), stdout, stderr });
  return { code, stdout: out, stderr: err };
}

let dir: string;
let tlsNamed: Named;
let plainNamed: Named;
let ca: Buffer;
let otherCa: Buffer;
const key = newKey();
const token = issueToken(key.privateKey, { user: "alice", realm: "rootrealm" });

async function selfSigned(name: string): Promise<{ cert: Buffer; key: Buffer }> {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  return { cert: await readFile(certFile), key: await readFile(keyFile) };
}

/** The error `p` fails with; throws if it succeeds. */
async function failure(p: Promise<FsLib>): Promise<{ code: number; text: string }> {
  try {
    const fsl = await p;
    await fsl.exit();
  } catch (e) {
    if (!isSigmaError(e)) throw e;
    const cause = e.cause instanceof Error ? ` ${e.cause.message}` : "";
    return { code: e.code, text: e.message + cause };
  }
  throw new Error("expected the connect to fail");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigma-tls-"));
  const server = await selfSigned("server");
  ca = server.cert;
  otherCa = (await selfSigned("other")).cert;
  tlsNamed = await startNamed({ tls: server, authKeys: ring(key), onRefused: () => undefined });
  plainNamed = await startNamed();
});
afterAll(async () => {
  await tlsNamed?.close();
  await plainNamed?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const opts = { localIp: "127.0.0.1", token };

describe("TLS", () => {
  it("a client trusting the server's CA works: write and read back", async () => {
    const fsl = await FsLib.connect({ named: tlsNamed.addr, tlsCa: ca, ...opts });
    try {
      await fsl.putFile(
        "name/tmp/over-tls",
        0o644,
        Mode.OWRITE,
        new TextEncoder().encode("sealed"),
      );
      expect(new TextDecoder().decode(await fsl.getFile("name/tmp/over-tls"))).toBe("sealed");
    } finally {
      await fsl.exit();
    }
  });

  it("a client trusting another CA: Unreachable, naming the certificate problem", async () => {
    const f = await failure(FsLib.connect({ named: tlsNamed.addr, tlsCa: otherCa, ...opts }));
    expect(f.code).toBe(ErrCode.Unreachable);
    expect(f.text).toMatch(/certificate/i);
  });

  it("a plain client at the TLS server: Unreachable", async () => {
    const f = await failure(FsLib.connect({ named: tlsNamed.addr, ...opts }));
    expect(f.code).toBe(ErrCode.Unreachable);
  });

  it("a TLS client at a plain server: Unreachable", async () => {
    const f = await failure(FsLib.connect({ named: plainNamed.addr, tlsCa: ca, ...opts }));
    expect(f.code).toBe(ErrCode.Unreachable);
  });

  it("sigma cat --tls-ca reads over TLS; without it the command fails", async () => {
    const ca = path.join(dir, "server.pem");
    const base = ["--named", tlsNamed.addr, "--token", token, "name/tmp/over-tls"];
    expect(await sigma(["cat", "--tls-ca", ca, ...base])).toEqual({
      code: 0,
      stdout: "sealed",
      stderr: "",
    });
    const plain = await sigma(["cat", ...base]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/unreachable/);
  });

  it("the TLS server serves on after the failed handshakes", async () => {
    const fsl = await FsLib.connect({ named: tlsNamed.addr, tlsCa: ca, ...opts });
    try {
      expect(new TextDecoder().decode(await fsl.getFile("name/tmp/over-tls"))).toBe("sealed");
    } finally {
      await fsl.exit();
    }
  });
});
