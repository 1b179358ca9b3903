/**
 * Builds the console's web app (web/) into `dist/console-web`: `npm run build` runs it, and the
 * browser tests run it into a temporary directory through `buildConsoleWeb`. Everything the page
 * needs is bundled; nothing is loaded from elsewhere at run time.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(here, "web"),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: path.resolve(here, "../../dist/console-web"),
    emptyOutDir: true,
    // Phones and current desktop browsers alike run ES2022.
    target: "es2022",
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
