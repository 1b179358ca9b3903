/**
 * Debian's chromium driven by playwright-core for the browser tests: headless, no sandbox (tests
 * may run as root), nothing that reaches the network, a fresh profile per browser. Never
 * `playwright install`: that downloads a browser.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null if they can. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  return `browser tests skipped: no ${CHROMIUM}; install the Debian package chromium (apt-get install chromium)`;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** `extraArgs`: further chromium flags (e.g. an SPKI pin for a test certificate). */
export async function launchChromium(
  viewport = { width: 1440, height: 900 },
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "console-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        ...extraArgs,
      ],
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Where tests leave files for people to look at: `test-output/` (gitignored), or $SIGMA_TEST_OUTPUT. */
export function testOutputDir(sub: string): string {
  const base =
    process.env["SIGMA_TEST_OUTPUT"] ??
    fileURLToPath(new URL("../../test-output", import.meta.url));
  return path.resolve(base, sub);
}
