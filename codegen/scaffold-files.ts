import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Hand-written files that may implement a generated handler interface. A cheap text test keeps
 * ts-morph away from every file that cannot possibly qualify.
 */
export function findCandidateFiles(projectRoot: string, sourceDirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of sourceDirs) {
    const abs = path.resolve(projectRoot, dir);
    if (existsSync(abs)) walk(abs, out);
  }
  return out
    .filter((file) => {
      const text = readFileSync(file, "utf8");
      return text.includes("implements") && text.includes("generated/");
    })
    .sort();
}

/**
 * The TypeScript file an ESM import specifier names. Sources import `.js` names that exist on
 * disk as `.ts`; bare package specifiers are not ours and resolve to null.
 */
export function resolveModule(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(js|ts|mjs|mts)$/, "");
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}.d.ts`, `${base}/index.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * The specifier `fromFile` uses to import `target`: relative, posix, with the `.js` suffix; a
 * package specifier (`sigmats/errors`) as it is.
 */
export function importSpecifier(fromFile: string, target: string): string {
  if (!path.isAbsolute(target)) return target;
  const rel = path.relative(path.dirname(fromFile), target).split(path.sep).join("/");
  const js = rel.replace(/(\.d)?\.ts$/, ".js").replace(/\.mts$/, ".mjs");
  return js.startsWith(".") ? js : `./${js}`;
}

/** Folders that hold no hand-written sources: dependencies, output, and tools' own state. */
const SKIPPED = new Set(["node_modules", "generated", "dist"]);

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
}
