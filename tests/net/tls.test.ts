/**
 * netsrv/netclnt over TLS: the same frames and hello, a certificate checked against the
 * address's host, and each misconfiguration failing the dial with a clear Unreachable at once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import type { TlsServerOptions } from "../../runtime/net/index.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { dialEcho, EchoServer, message } from "./helpers.js";

const t = needingOpenssl("net over TLS");
let pki: TestPki;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  if (!t.missing) pki = makeTestPki();
});
afterAll(() => pki?.remove());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tlsEcho(tls: TlsServerOptions): Promise<EchoServer> {
  const s = await EchoServer.start({ tls });
  cleanups.push(() => s.close());
  return s;
}

async function dialError(addr: string, opts: Parameters<typeof dialEcho>[1]): Promise<SigmaError> {
  try {
    const d = await dialEcho(addr, opts);
    d.conn.close();
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error("dial succeeded");
}

describe.skipIf(t.missing)(t.title, () => {
  it("round-trips messages over TLS with the CA; the server sees no peer user", async () => {
    const s = await tlsEcho(pki.server);
    const d = await dialEcho(s.addr, { tls: { ca: pki.ca.cert } });
    d.conn.send(message(1, new Uint8Array([1, 2, 3])));
    const got = await d.inbox.next();
    expect(got.header.seqno).toBe(1n);
    expect([...got.data]).toEqual([1, 2, 3]);
    expect(s.conns[0]!.peerUser).toBeUndefined();
    d.conn.close();
  });

  it("checks the server's name against the address's host", async () => {
    const s = await tlsEcho(pki.server);
    // The certificate names 127.0.0.1 and localhost; dialled as localhost it still matches.
    const port = s.addr.split(":")[1]!;
    const d = await dialEcho(`localhost:${port}`, { tls: { ca: pki.ca.cert } });
    d.conn.close();
    // A certificate for another host: the CA's own, whose CN and SANs name no address.
    const other = await tlsEcho({ cert: pki.ca.cert, key: pki.ca.key });
    const e = await dialError(other.addr, { tls: { ca: pki.ca.cert } });
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toContain("TLS: Hostname/IP does not match certificate's altnames");
    expect(e.message).toContain("(ERR_TLS_CERT_ALTNAME_INVALID)");
  });

  it("refuses a server whose certificate another CA signed", async () => {
    const s = await tlsEcho(pki.server);
    const e = await dialError(s.addr, { tls: { ca: pki.otherCa.cert } });
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toContain(`${s.addr}: TLS: unable to verify the first certificate`);
    expect(e.message).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("refuses an expired server certificate", async () => {
    const s = await tlsEcho(pki.expiredServer);
    const e = await dialError(s.addr, { tls: { ca: pki.ca.cert } });
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toContain("TLS: certificate has expired (CERT_HAS_EXPIRED)");
  });

  it("a plain client at a TLS server fails its hello and is told it may be TLS", async () => {
    const s = await tlsEcho(pki.server);
    const e = await dialError(s.addr, {});
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toContain("connection closed during the hello");
    expect(e.message).toContain("if the server speaks TLS, give its CA (--tls-ca, SIGMA_TLS_CA)");
    expect(s.conns).toHaveLength(0);
  });

  it("a TLS client at a plain server fails with a TLS error", async () => {
    const s = await EchoServer.start();
    cleanups.push(() => s.close());
    const e = await dialError(s.addr, { tls: { ca: pki.ca.cert } });
    expect(e.code).toBe(ErrCode.Unreachable);
    expect(e.message).toContain("TLS: ");
    expect(s.conns).toHaveLength(0);
  });

  describe("mutual TLS", () => {
    const mutual = (): TlsServerOptions => ({ ...pki.server, ca: pki.ca.cert });

    it("exposes the client certificate's CN as the connection's peerUser", async () => {
      const s = await tlsEcho(mutual());
      const d = await dialEcho(s.addr, { tls: { ca: pki.ca.cert, ...pki.client("alice") } });
      d.conn.send(message(7));
      expect((await d.inbox.next()).header.seqno).toBe(7n);
      expect(s.conns[0]!.peerUser).toBe("alice");
      d.conn.close();
    });

    it("refuses a client without a certificate, or with one another CA signed", async () => {
      const s = await tlsEcho(mutual());
      for (const tls of [
        { ca: pki.ca.cert },
        { ca: pki.ca.cert, ...pki.client("eve", "otherCa") },
      ]) {
        const e = await dialError(s.addr, { tls });
        expect(e.code).toBe(ErrCode.Unreachable);
        expect(e.message).toMatch(/TLS: |connection closed during the hello/);
      }
      expect(s.conns).toHaveLength(0);
    });
  });
});
