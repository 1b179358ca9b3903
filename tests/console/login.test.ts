/**
 * Logging in to the console in a real browser (Debian's chromium, headless), in front of a keyed
 * named: with requireLogin the page shows only the token form; alice's token logs in, the page
 * says who (user, role, expiry), and what she creates through the page is hers; a reload keeps
 * her logged in (sessionStorage), log-out returns to the form; a malformed, unknown or expired
 * token shows one error line and logs nobody in. Without requireLogin the page is the console's
 * own principal until someone logs in from the header.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken, parseToken, type Role } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { startConsole, type ConsoleServer } from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";
import { chromiumMissing, launchChromium, type Browser } from "./browser.js";
import { buildConsoleWeb, type WebBuild } from "./web-build.js";
import { text } from "./world.js";

const missing = chromiumMissing();
if (missing !== null) console.warn(missing);

describe.skipIf(missing !== null)("logging in to the console in chromium", () => {
  const realmKey = newKey();
  const token = (user: string, role: Role = "user", more: { ttlMs?: number; now?: number } = {}) =>
    issueToken(realmKey.privateKey, { user, realm: "rootrealm", role, ...more });
  let web: WebBuild;
  let named: Named;
  let strict: ConsoleServer;
  let open: ConsoleServer;
  let carol: FsLib;
  let browser: Browser;

  beforeAll(async () => {
    web = await buildConsoleWeb();
    named = await startNamed({ authKeys: ring(realmKey), onRefused: () => {} });
    const own = { named: named.addr, token: token("operator"), assetsDir: web.dir };
    strict = await startConsole({ ...own, requireLogin: true });
    open = await startConsole(own);
    carol = await FsLib.connect({ named: named.addr, token: token("carol") });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await carol?.close();
    await strict?.close();
    await open?.close();
    await named?.close();
    web?.remove();
  });

  const scriptErrors = new WeakMap<Page, string[]>();

  async function newPage(url: string): Promise<Page> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    scriptErrors.set(page, errors);
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    return page;
  }

  async function done(page: Page): Promise<void> {
    const errors = scriptErrors.get(page);
    await page.close();
    expect(errors).toEqual([]);
  }

  const form = (page: Page) => page.getByRole("form", { name: "log in" });
  const row = (page: Page, p: string) => page.locator(`[role="treeitem"][data-path="${p}"]`);

  async function logIn(page: Page, tok: string): Promise<void> {
    await form(page).getByLabel("sigma token").fill(tok);
    await form(page).getByRole("button", { name: "Log in" }).click();
  }

  /** The one error line under the form, once the form shows it. */
  async function formError(page: Page): Promise<string> {
    const alert = form(page).getByRole("alert");
    await alert.waitFor();
    expect(await page.getByRole("alert").count()).toBe(1);
    return (await alert.textContent()) ?? "";
  }

  it("requireLogin: the form first; alice logs in, creates a file that is hers, logs out", async () => {
    const page = await newPage(strict.url);
    await form(page).waitFor();
    expect(await row(page, "name/").count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);

    const alice = token("alice");
    await logIn(page, alice);
    await page.locator(".badge.live").waitFor();
    expect(await page.getByTestId("auth-user").textContent()).toBe("alice");
    expect(await page.getByTestId("auth-role").textContent()).toBe("user");
    const exp = new Date(parseToken(alice).claims.exp * 1000);
    const until = await page.evaluate((ms) => new Date(ms).toLocaleString(), exp.getTime());
    expect(await page.getByTestId("auth-expires").textContent()).toBe(`until ${until}`);
    expect(await form(page).count()).toBe(0);

    await row(page, "name/").click();
    await row(page, "name/tmp").click();
    await expect.poll(() => row(page, "name/tmp").getAttribute("aria-expanded")).toBe("true");
    await page.getByRole("button", { name: "New…" }).click();
    const create = page.getByRole("dialog", { name: "Create" });
    await create.getByLabel("Name").fill("alices-login.txt");
    await create.getByLabel("Content").fill("written by alice through the page");
    await create.getByRole("button", { name: "Create", exact: true }).click();
    await row(page, "name/tmp/alices-login.txt").waitFor();
    const st = await carol.stat("name/tmp/alices-login.txt");
    expect(st.uid).toBe("alice");
    expect(text(await carol.getFile("name/tmp/alices-login.txt"))).toBe(
      "written by alice through the page",
    );
    // A download carries the token too (fetched, then saved from a blob).
    await row(page, "name/tmp/alices-login.txt").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("alices-login.txt");
    const saved = await download.path();
    expect(readFileSync(saved, "utf8")).toBe("written by alice through the page");

    // A reload of the tab keeps the token (sessionStorage) and the live channel comes back.
    await page.reload();
    await page.locator(".badge.live").waitFor();
    expect(await page.getByTestId("auth-user").textContent()).toBe("alice");

    await page.getByRole("button", { name: "Log out" }).click();
    await form(page).waitFor();
    expect(await row(page, "name/").count()).toBe(0);
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    await page.reload();
    await form(page).waitFor();
    await done(page);
  });

  it("a malformed, an unknown and an expired token each show one error line", async () => {
    const page = await newPage(strict.url);
    await form(page).waitFor();
    await logIn(page, "not-a-token");
    expect(await formError(page)).toMatch(/^token refused: /);

    const stranger = issueToken(newKey().privateKey, { user: "eve", realm: "rootrealm" });
    await logIn(page, stranger);
    // named refuses it (the console checks no signature), and the page says named's reason.
    await expect
      .poll(() => formError(page))
      .toMatch(
        /^token refused: unknown-key \(signed by key [0-9a-f]{16}, which this server does not hold\)$/,
      );

    const late = token("alice", "user", { now: Date.now() - 3000, ttlMs: 1000 });
    await logIn(page, late);
    await expect.poll(() => formError(page)).toBe("token refused: expired");
    expect(await page.locator(".badge.live").count()).toBe(0);
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    await done(page);
  });

  it("a stored token that has expired brings the form back with the reason", async () => {
    const page = await newPage(strict.url);
    await form(page).waitFor();
    // exp is in whole seconds: 2 to 3 s from now, time enough to log in first.
    await logIn(page, token("alice", "user", { ttlMs: 3000 }));
    await page.locator(".badge.live").waitFor();
    // The console ends the stream at the token's expiry; the page's reconnect is refused.
    await form(page).waitFor({ timeout: 10_000 });
    expect(await formError(page)).toBe("token refused: expired");
    await done(page);
  });

  it("without requireLogin: the console's principal, until a login from the header", async () => {
    const page = await newPage(open.url);
    await page.locator(".badge.live").waitFor();
    expect(await page.getByTestId("auth-user").textContent()).toBe("console");
    await page.getByRole("button", { name: "Log in…" }).click();
    await logIn(page, token("rita", "readonly"));
    await page.getByRole("button", { name: "Log out" }).waitFor();
    expect(await page.getByTestId("auth-user").textContent()).toBe("rita");
    expect(await page.getByTestId("auth-role").textContent()).toBe("readonly");
    await page.locator(".badge.ro").waitFor();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in…" }).waitFor();
    expect(await page.getByTestId("auth-user").textContent()).toBe("console");
    await done(page);
  });
});
