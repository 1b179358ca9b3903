/**
 * The web app's built files (vite's output, `npm run build`), served as they are. Nothing is
 * fetched from anywhere else: the app's code, styles and fonts all come from here.
 */
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run build` puts the web app: `dist/console-web`. */
export const ASSETS_DIRNAME = "console-web";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * The built app beside this module: `dist/console-web` seen from the sources
 * (servers/console/) or from the compiled package (dist/servers/console/).
 */
export function defaultAssetsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, "../..", ASSETS_DIRNAME),
    path.resolve(here, "../../dist", ASSETS_DIRNAME),
  ];
  return (
    candidates.find((d) => existsSync(path.join(d, "index.html"))) ?? (candidates[1] as string)
  );
}

/** Serves `urlPath` from `dir`; `/` is index.html. Answers 404 for anything outside `dir`. */
export async function serveAsset(dir: string, urlPath: string, res: ServerResponse): Promise<void> {
  let rel: string;
  try {
    rel = urlPath === "/" ? "index.html" : decodeURIComponent(urlPath).replace(/^\/+/, "");
  } catch {
    return notFound(res);
  }
  const file = path.resolve(dir, rel);
  if (!file.startsWith(path.resolve(dir) + path.sep)) return notFound(res);
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return notFound(res);
    size = st.size;
  } catch {
    if (rel === "index.html") return notBuilt(res);
    return notFound(res);
  }
  res.writeHead(200, {
    "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
    "content-length": size,
    // Vite names assets by content hash, so they never change; index.html must be re-read.
    "cache-control": rel.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
  });
  createReadStream(file).pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  res.end("not found\n");
}

function notBuilt(res: ServerResponse): void {
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
  res.end("the console's web app is not built: run npm run build\n");
}
