/**
 * "tls" in mount records: a server serving TLS registers `<net>+tls`, so a client dials each
 * server as its record says. A TLS memfsd and a plain one in the same named are both used by one
 * client; a client without a CA is refused the TLS one at once, saying why; a record mixing both
 * is Inval.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { startMemfsd, type Memfsd } from "../../servers/memfsd/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";

const t = needingOpenssl("TLS in mount records");
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

async function named(tls: boolean): Promise<Named> {
  const n = await startNamed(tls ? { tls: pki.server } : {});
  cleanups.push(() => n.close());
  return n;
}

/** A TLS memfsd and a plain one, both registered through a client of `n`. */
async function twoMemfsds(n: Named, namedTls: boolean): Promise<[Memfsd, Memfsd]> {
  const client = namedTls ? { tls: { ca: pki.ca.cert } } : {};
  const secure = await startMemfsd({ named: n.addr, pn: "name/secure", tls: pki.server, client });
  cleanups.push(() => secure.close());
  const plain = await startMemfsd({ named: n.addr, pn: "name/plain", client });
  cleanups.push(() => plain.close());
  return [secure, plain];
}

async function client(opts: Parameters<typeof FsLib.connect>[0]): Promise<FsLib> {
  const fsl = await FsLib.connect(opts);
  cleanups.push(() => fsl.exit());
  return fsl;
}

async function errorOf(p: Promise<unknown>): Promise<SigmaError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe.skipIf(t.missing)(t.title, () => {
  it("each server's record says how to dial it; a client with the CA uses both", async () => {
    const n = await named(true);
    await twoMemfsds(n, true);
    const fsl = await client({ named: n.addr, tls: { ca: pki.ca.cert } });
    expect((await fsl.readMount("name/secure")).addr.map((a) => a.net)).toEqual(["rootrealm+tls"]);
    expect((await fsl.readMount("name/plain")).addr.map((a) => a.net)).toEqual(["rootrealm"]);
    await fsl.putFile("name/secure/f", 0o644, 0, text("over TLS"));
    await fsl.putFile("name/plain/f", 0o644, 0, text("over TCP"));
    expect(str(await fsl.getFile("name/secure/f"))).toBe("over TLS");
    expect(str(await fsl.getFile("name/plain/f"))).toBe("over TCP");
  });

  it("a client without a CA uses the plain server and is refused the TLS one, nothing sent", async () => {
    const n = await named(false);
    const [secure] = await twoMemfsds(n, false);
    const fsl = await client({ named: n.addr });
    await fsl.putFile("name/plain/f", 0o644, 0, text("plain"));
    expect(str(await fsl.getFile("name/plain/f"))).toBe("plain");
    const e = await errorOf(fsl.putFile("name/secure/f", 0o644, 0, text("never")));
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toBe(
      `server unreachable: ${secure.addr}: its mount record says it speaks TLS; give its CA ` +
        `(FsLib.connect({ tls: { ca } }), --tls-ca or SIGMA_TLS_CA)`,
    );
    // Nothing reached the TLS server: a client of it directly, with the CA, finds no file.
    const direct = await client({ named: secure.addr, tls: { ca: pki.ca.cert } });
    expect((await direct.getDir("name/")).map((s) => s.name)).not.toContain("f");
  });

  it("a record whose addresses mix TLS and plain is Inval", async () => {
    const n = await named(true);
    const [secure, plain] = await twoMemfsds(n, true);
    const fsl = await client({ named: n.addr, tls: { ca: pki.ca.cert } });
    await fsl.mkMountSymlink("name/tmp/mixed", {
      addr: [
        { addr: secure.addr, net: "rootrealm+tls" },
        { addr: plain.addr, net: "rootrealm" },
      ],
      root: "",
      pubKey: new Uint8Array(),
    });
    const e = await errorOf(fsl.getFile("name/tmp/mixed/f"));
    expect(e.code).toBe(ErrCode.Inval);
    expect(e.message).toContain("bad mount record: its addresses mix TLS and plain");
  });
});
