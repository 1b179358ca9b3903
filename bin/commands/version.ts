/**
 * `sigma --version`: the package's version and the protocol it speaks (name and schema
 * fingerprint), which is what two peers must share (a mismatch fails the hello).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export async function versionText(): Promise<string> {
  const { fingerprint, protocol } = await import("../../generated/sigmap/registry.js");
  return `sigmats ${await packageVersion()} (protocol ${protocol.name}/${fingerprint})`;
}

/** The version in sigmats' package.json: beside bin/ in a checkout, two levels up from dist/bin/. */
async function packageVersion(): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const text = await readFile(path.join(dir, "package.json"), "utf8").catch(() => null);
    if (text !== null) {
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === "sigmats" && pkg.version !== undefined) return pkg.version;
    }
    const up = path.dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}
