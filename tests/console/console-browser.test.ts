/**
 * The console in a real browser (Debian's chromium, headless): the tree, live updates without a
 * reload, editing with the loaded version, a refused conflicting save, read-only mode, keyboard
 * navigation and a phone-width window. One browser for the whole file; a page per test.
 * Leaves a screenshot of the main view in test-output/console/ for people to look at.
 */
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { Mode } from "../../generated/sigmap/types.js";
import { LeaderClnt } from "../../runtime/coord/index.js";
import { startRpcServer } from "../../runtime/rpc/index.js";
import { startConsole, type ConsoleServer } from "../../servers/console/index.js";
import { Echo } from "../../servers/echo/index.js";
import { startMemfsd } from "../../servers/memfsd/index.js";
import { chromiumMissing, launchChromium, testOutputDir, type Browser } from "./browser.js";
import { buildConsoleWeb, type WebBuild } from "./web-build.js";
import { bytes, startWorld, text, type ConsoleWorld } from "./world.js";

const missing = chromiumMissing();
if (missing !== null) console.warn(missing);

describe.skipIf(missing !== null)("the console in chromium", () => {
  let web: WebBuild;
  let w: ConsoleWorld;
  let ro: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    web = await buildConsoleWeb();
    w = await startWorld({ assetsDir: web.dir, statsIntervalMs: 500, censusIntervalMs: 1000 });
    ro = await startConsole({ named: w.named.addr, assetsDir: web.dir, readOnly: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ro?.close();
    await w?.close();
    web?.remove();
  });

  const scriptErrors = new WeakMap<Page, string[]>();

  /** A fresh page on `url`, once its live channel is up; `done` checks it threw nothing. */
  async function open(url: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await browser.context.newPage();
    if (viewport !== undefined) await page.setViewportSize(viewport);
    const errors: string[] = [];
    scriptErrors.set(page, errors);
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.locator(".badge.live").waitFor();
    return page;
  }

  async function done(page: Page): Promise<void> {
    const errors = scriptErrors.get(page);
    await page.close();
    expect(errors).toEqual([]);
  }

  const row = (page: Page, p: string) => page.locator(`[role="treeitem"][data-path="${p}"]`);

  /** Opens `dir` (a path below name/) in the tree, its parents first. */
  async function expand(page: Page, dir: string): Promise<void> {
    const parts = dir.split("/").slice(1);
    await row(page, "name/").click();
    let p = "name";
    for (const part of parts) {
      p = `${p}/${part}`;
      await row(page, p).click();
      await expect.poll(() => row(page, p).getAttribute("aria-expanded")).toBe("true");
    }
  }

  it("opens, expands name/ and shows tmp and boot", async () => {
    const page = await open(w.console.url);
    await row(page, "name/").click();
    await row(page, "name/tmp").waitFor();
    await row(page, "name/boot").waitFor();
    expect(await row(page, "name/").getAttribute("aria-expanded")).toBe("true");
    await done(page);
  });

  it("shows a file created through FsLib in the open tree within 2 s, without a reload", async () => {
    await w.fsl.mkDir("name/tmp/live");
    const page = await open(w.console.url);
    await expand(page, "name/tmp/live");
    await page
      .locator('[role="treeitem"][data-listing="name/tmp/live"]')
      .getByText("(empty)")
      .waitFor();
    let reloaded = false;
    page.on("framenavigated", () => (reloaded = true));
    await w.fsl.putFile("name/tmp/live/arrived", 0o777, Mode.OWRITE, bytes("hello"));
    await row(page, "name/tmp/live/arrived").waitFor({ timeout: 2000 });
    expect(reloaded).toBe(false);
    await page.locator(".watch-log").getByText("name/tmp/live/arrived").waitFor({ timeout: 2000 });
    await done(page);
  });

  it("edits and saves a file; FsLib reads the new content back", async () => {
    await w.fsl.putFile("name/tmp/edit.txt", 0o777, Mode.OWRITE, bytes("first version"));
    const page = await open(w.console.url);
    await expand(page, "name/tmp");
    await row(page, "name/tmp/edit.txt").click();
    await page.getByTestId("content").getByText("first version").waitFor();
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("file content").fill("second version, saved from the browser");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("content").getByText("second version, saved from the browser").waitFor();
    expect(text(await w.fsl.getFile("name/tmp/edit.txt"))).toBe(
      "second version, saved from the browser",
    );
    await done(page);
  });

  it("refuses a conflicting save with the message and shows the new content", async () => {
    await w.fsl.putFile("name/tmp/race.txt", 0o777, Mode.OWRITE, bytes("base"));
    const page = await open(w.console.url);
    await expand(page, "name/tmp");
    await row(page, "name/tmp/race.txt").click();
    await page.getByTestId("content").getByText("base").waitFor();
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("file content").fill("mine");
    await w.fsl.putFile("name/tmp/race.txt", 0o777, Mode.OWRITE, bytes("theirs, saved first"));
    await page.getByRole("button", { name: "Save" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^conflict: name\/tmp\/race\.txt changed since version \d+ was loaded \(it is at version \d+ now\); nothing was saved$/,
    );
    expect(await page.getByTestId("theirs").textContent()).toBe("theirs, saved first");
    expect(await page.getByLabel("file content").inputValue()).toBe("mine");
    expect(text(await w.fsl.getFile("name/tmp/race.txt"))).toBe("theirs, saved first");
    await done(page);
  });

  it("creates and removes through dialogs that confirm what will happen", async () => {
    const page = await open(w.console.url);
    await expand(page, "name/tmp");
    await page.getByRole("button", { name: "New…" }).click();
    const create = page.getByRole("dialog", { name: "Create" });
    await create.getByLabel("Name").fill("from-the-page.txt");
    await create.getByLabel("Content").fill("made in a dialog");
    expect(await create.locator(".confirm").textContent()).toBe(
      "Creates name/tmp/from-the-page.txt; an existing file is never replaced.",
    );
    await create.getByRole("button", { name: "Create", exact: true }).click();
    await row(page, "name/tmp/from-the-page.txt").waitFor();
    expect(text(await w.fsl.getFile("name/tmp/from-the-page.txt"))).toBe("made in a dialog");

    await row(page, "name/tmp/from-the-page.txt").click();
    await page.getByRole("button", { name: "Remove…" }).click();
    const remove = page.getByRole("dialog", { name: "Remove" });
    expect(await remove.locator(".confirm").textContent()).toBe(
      "Removes name/tmp/from-the-page.txt. This cannot be undone.",
    );
    await remove.getByRole("button", { name: "Remove", exact: true }).click();
    await row(page, "name/tmp/from-the-page.txt").waitFor({ state: "detached" });
    await expect(w.fsl.stat("name/tmp/from-the-page.txt")).rejects.toMatchObject({ code: 13 });
    await done(page);
  });

  it("read-only: no edit control anywhere, and the API refuses writes", async () => {
    await w.fsl.putFile("name/tmp/ro.txt", 0o777, Mode.OWRITE, bytes("look, don't touch"));
    const page = await open(ro.url);
    await page.locator(".badge.ro").waitFor();
    await expand(page, "name/tmp");
    await row(page, "name/tmp/ro.txt").click();
    await page.getByTestId("content").getByText("look, don't touch").waitFor();
    for (const name of ["Edit", "Save", "New…", "Rename…", "Remove…"]) {
      expect(await page.getByRole("button", { name }).count()).toBe(0);
    }
    expect(await page.locator("textarea").count()).toBe(0);
    await row(page, "name/tmp").click(); // a directory offers nothing to change either
    expect(await page.getByRole("button", { name: "New…" }).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const r = await fetch("/api/create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path: "name/tmp/sneaky", kind: "file" }),
      });
      return r.status;
    });
    expect(status).toBe(403);
    await expect(w.fsl.stat("name/tmp/sneaky")).rejects.toMatchObject({ code: 13 });
    await done(page);
  });

  it("moves through the tree with the keyboard", async () => {
    const page = await open(w.console.url);
    const focused = () => page.locator('[role="treeitem"]:focus').getAttribute("data-path");
    await row(page, "name/").focus();
    await page.keyboard.press("ArrowRight");
    await row(page, "name/tmp").waitFor();
    await page.keyboard.press("ArrowDown");
    // The tree sorts named's overlay entries by name like every other entry.
    await expect.poll(focused).toBe("name/.fences");
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(focused).toBe("name/");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.locator(".object-head h2").getByText("name/.statsd").waitFor();
    await page.keyboard.press("Home");
    await expect.poll(focused).toBe("name/");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => row(page, "name/").getAttribute("aria-expanded")).toBe("false");
    await done(page);
  });

  it("fits a phone-width window: one pane at a time behind tabs", async () => {
    const page = await open(w.console.url, { width: 390, height: 844 });
    expect(await page.getByRole("tab", { name: "panels" }).isVisible()).toBe(true);
    expect(await page.locator(".pane-tree").isVisible()).toBe(true);
    expect(await page.locator(".pane-panels").isVisible()).toBe(false);
    await page.getByRole("tab", { name: "panels" }).click();
    expect(await page.locator(".pane-panels").isVisible()).toBe(true);
    expect(await page.locator(".pane-tree").isVisible()).toBe(false);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(390);
    await done(page);
  });

  it("leaves a screenshot of the main view, with a server, an election and an RPC service", async () => {
    await w.fsl.mkDir("name/memfsd");
    const memfsd = await startMemfsd({ named: w.named.addr, pn: "name/memfsd/m1" });
    const echo = await startRpcServer({
      service: echoService(new Echo()),
      path: "name/echo",
      fsl: w.fsl,
    });
    try {
      await w.fsl.mkDir("name/tmp/kv");
      await new LeaderClnt(w.fsl, "name/tmp/kv-leader").acquireFencedEpoch(bytes("10.0.0.9:4000"), [
        "name/tmp/kv",
      ]);
      const config = { service: "kv", replicas: 3, leader: "name/tmp/kv-leader" };
      await w.fsl.putFile(
        "name/tmp/kv/config.json",
        0o777,
        Mode.OWRITE,
        bytes(JSON.stringify(config)),
      );
      const page = await open(w.console.url);
      await expand(page, "name/tmp/kv");
      await row(page, "name/tmp/kv/config.json").click();
      await page.getByTestId("content").getByText('"replicas": 3').waitFor();
      await page.locator(".pane-panels table").getByText("name/tmp/kv-leader").first().waitFor();
      await page.locator(".pane-panels table").getByText("name/memfsd/m1").first().waitFor();
      await page.locator(".chart canvas").first().waitFor();
      const dir = testOutputDir("console");
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, "console-main.png");
      await page.screenshot({ path: file });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      await done(page);
    } finally {
      await echo.close();
      await memfsd.close();
    }
  });
});
