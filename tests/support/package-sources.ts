/**
 * What each `sigmats/...` specifier of the package's `exports` map resolves to in the sources
 * (`./dist/runtime/client/index.js` → `runtime/client/index.ts`): tests and doc blocks import
 * the package by name without a build, through the same map a user's install reads.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface PackageJson {
  name: string;
  exports: Record<string, string | { default: string }>;
}

/** Specifier (`sigmats`, `sigmats/client`, …) → absolute path of its source file. */
export function packageSources(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson;
  const out = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    const file = typeof target === "string" ? target : target.default;
    if (!file.startsWith("./dist/")) continue; // ./package.json
    const specifier = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    const source = file.slice("./dist/".length).replace(/\.js$/, ".ts");
    out.set(specifier, path.join(ROOT, source));
  }
  return out;
}
