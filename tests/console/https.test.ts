/**
 * The console over HTTPS, in front of a named that takes tokens over TLS: the console's own
 * session dials named with the CA and its token; the API answers over HTTPS to a client trusting
 * the test CA and to chromium pinning the certificate's key, and not over plain HTTP.
 */
import { createHash, X509Certificate } from "node:crypto";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { startConsole, type ConsoleServer } from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";
import { makeTestPki, needingOpenssl, type TestPki } from "../support/tls-certs.js";
import { chromiumMissing, launchChromium } from "./browser.js";
import { buildConsoleWeb, type WebBuild } from "./web-build.js";

const t = needingOpenssl("the console over HTTPS");
const noChromium = chromiumMissing();

/** GET `url` with node:https trusting `ca`: status and body. */
function getHttps(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

/** Chromium's pin of a certificate: base64 of SHA-256 over its SubjectPublicKeyInfo (DER). */
function spkiPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

describe.skipIf(t.missing)(t.title, () => {
  let pki: TestPki;
  let named: Named;
  let con: ConsoleServer;
  let web: WebBuild;
  const key = newKey();

  beforeAll(async () => {
    pki = makeTestPki();
    named = await startNamed({ tls: pki.server, authKeys: ring(key), onRefused: () => {} });
    web = await buildConsoleWeb();
    const token = issueToken(key.privateKey, { user: "ops", realm: "rootrealm" });
    con = await startConsole({
      named: named.addr,
      token,
      namedTls: { ca: pki.ca.cert },
      tls: pki.server,
      assetsDir: web.dir,
    });
    const fsl = await FsLib.connect({
      named: named.addr,
      tls: { ca: pki.ca.cert },
      token: issueToken(key.privateKey, { user: "alice", realm: "rootrealm" }),
    });
    await fsl.putFile("name/tmp/over-https", 0o644, 0, new TextEncoder().encode("hello"));
    await fsl.close();
  }, 60_000);
  afterAll(async () => {
    await con?.close();
    await named?.close();
    web?.remove();
    pki?.remove();
  });

  it("serves its API over HTTPS, its session to named over TLS with its token", async () => {
    expect(con.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await getHttps(
      new URL("/api/file?path=name/tmp/over-https", con.url).href,
      pki.ca.cert,
    );
    expect(r.status).toBe(200);
    expect(r.body).toContain("hello");
    const dir = await getHttps(new URL("/api/dir?path=name/tmp", con.url).href, pki.ca.cert);
    const entry = (JSON.parse(dir.body) as { entries: { name: string; owner: string }[] }).entries;
    expect(entry.find((e) => e.name === "over-https")?.owner).toBe("alice");
  });

  it("refuses a client trusting another CA, and answers no plain HTTP", async () => {
    await expect(getHttps(con.url, pki.otherCa.cert)).rejects.toThrow(
      /unable to verify the first certificate/,
    );
    const plain = await new Promise<string>((resolve) => {
      const req = httpGet(con.url.replace("https:", "http:"), (res) => {
        res.resume();
        resolve(`answered ${res.statusCode ?? 0}`);
      });
      req.on("error", (e) => resolve(e.message));
    });
    expect(plain).not.toMatch(/^answered/);
  });

  it.skipIf(noChromium !== null)(
    "loads in chromium pinning the certificate's key",
    async () => {
      const browser = await launchChromium(undefined, [
        `--ignore-certificate-errors-spki-list=${spkiPin(pki.server.cert)}`,
      ]);
      try {
        const page = await browser.context.newPage();
        await page.goto(con.url);
        await page.locator(".badge.live").waitFor();
        await page.locator(`[role="treeitem"][data-path="name/"]`).click();
        await page.locator(`[role="treeitem"][data-path="name/tmp"]`).waitFor();
        expect(page.url()).toBe(con.url);
        await page.close();
      } finally {
        await browser.close();
      }
      // Without the pin the test CA is nobody chromium trusts: the pin is what lets it in.
      const unpinned = await launchChromium();
      try {
        const page = await unpinned.context.newPage();
        await expect(page.goto(con.url)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
      } finally {
        await unpinned.close();
      }
    },
    60_000,
  );
});
