/**
 * Builds the console's web app for the browser tests, from the sources, into a temporary
 * directory: a clean clone needs no `npm run build` first, and the tests never overwrite `dist/`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const CONFIG = fileURLToPath(new URL("../../servers/console/vite.config.ts", import.meta.url));

export interface WebBuild {
  dir: string;
  remove(): void;
}

export async function buildConsoleWeb(): Promise<WebBuild> {
  const dir = mkdtempSync(path.join(tmpdir(), "console-web-"));
  try {
    await build({
      configFile: CONFIG,
      logLevel: "error",
      build: { outDir: dir, emptyOutDir: true },
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
