/**
 * Mutual TLS binds the certificate's user (docs/security.md, "TLS in phase 2"): without keys a
 * client certificate alone makes the session's principal `{ user: CN, realm, role: "user" }`, so
 * permissions hold between certificate users; with keys, a token beside the certificate must name
 * the same user, or the hello is Unauthorized and no session is created.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../runtime/auth/index.js";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { newKey, ring } from "./helpers.js";
import { codeOf } from "./servers.js";

const t = needingOpenssl("mutual TLS binds the certificate's user");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
let pki: TestPki;

beforeAll(() => {
  if (!t.missing) pki = makeTestPki();
});
afterAll(() => pki?.remove());

function asUser(named: Named, user: string, extra: { token?: string; uname?: string } = {}) {
  return FsLib.connect({
    named: named.addr,
    localIp: "127.0.0.1",
    uname: extra.uname ?? user,
    tls: { ca: pki.ca.cert, ...pki.client(user) },
    ...(extra.token === undefined ? {} : { token: extra.token }),
  });
}

describe.skipIf(t.missing)(t.title, () => {
  describe("without keys", () => {
    let named: Named;
    beforeAll(async () => {
      named = await startNamed({ tls: { ...pki.server, ca: pki.ca.cert } });
    });
    afterAll(async () => named?.close());

    it("the CN owns what it creates, another CN may not remove it, and Tattach must name it", async () => {
      const alice = await asUser(named, "alice");
      const bob = await asUser(named, "bob");
      try {
        await alice.putFile("name/tmp/a", 0o644, Mode.OWRITE, enc("alice's"));
        expect((await bob.stat("name/tmp/a")).uid).toBe("alice");
        expect(await codeOf(bob.remove("name/tmp/a"))).toBe(ErrCode.Perm);
        expect(
          await codeOf(bob.putFile("name/tmp/a", 0o644, Mode.OWRITE | Mode.OTRUNC, enc("b"))),
        ).toBe(ErrCode.Perm);
        expect(dec(await alice.getFile("name/tmp/a"))).toBe("alice's");
      } finally {
        await bob.exit();
        await alice.exit();
      }
      expect(await codeOf(asUser(named, "bob", { uname: "alice" }))).toBe(ErrCode.Unauthorized);
    });

    it("without a uname, the client certificate's CN is the uname", async () => {
      const carol = await FsLib.connect({
        named: named.addr,
        localIp: "127.0.0.1",
        tls: { ca: pki.ca.cert, ...pki.client("carol") },
      });
      try {
        expect(carol.uname).toBe("carol");
        await carol.putFile("name/tmp/c", 0o644, Mode.OWRITE, enc("carol's"));
        expect((await carol.stat("name/tmp/c")).uid).toBe("carol");
      } finally {
        await carol.exit();
      }
    });
  });

  describe("with keys", () => {
    const key = newKey();
    const refusals: string[] = [];
    let named: Named;
    const token = (user: string, role: "user" | "admin" = "user"): string =>
      issueToken(key.privateKey, { user, realm: "rootrealm", role });
    beforeAll(async () => {
      named = await startNamed({
        tls: { ...pki.server, ca: pki.ca.cert },
        authKeys: ring(key),
        onRefused: (l) => refusals.push(l),
      });
    });
    afterAll(async () => named?.close());

    it("a token naming another user than the certificate: Unauthorized, other-user", async () => {
      let err: unknown = null;
      try {
        await (await asUser(named, "mallory", { token: token("alice"), uname: "" })).exit();
      } catch (e) {
        err = e;
      }
      expect(isSigmaError(err) && err.code).toBe(ErrCode.Unauthorized);
      expect(isSigmaError(err) && err.obj).toBe("other-user");
      expect(refusals.at(-1)).toContain("token for alice, client certificate for mallory");
    });

    it("a token of the certificate's user keeps its role; the certificate alone is a user", async () => {
      const ops = await asUser(named, "ops", { token: token("ops", "admin") });
      const alice = await asUser(named, "alice");
      try {
        await alice.putFile("name/tmp/b", 0o644, Mode.OWRITE, enc("b"));
        expect((await ops.stat("name/tmp/b")).uid).toBe("alice");
        await ops.remove("name/tmp/b");
        expect(await codeOf(alice.stat("name/tmp/b"))).toBe(ErrCode.Notfound);
      } finally {
        await alice.exit();
        await ops.exit();
      }
    });
  });
});
