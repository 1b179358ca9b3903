/**
 * The registry of suites is the directory bench/suites/: each `<name>.ts` there exports
 * `suite`, so adding a suite is adding one file. Suites are imported only when selected, so a
 * suite whose dependencies are broken or not yet written cannot stop the others from running.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Suite } from "./suite.js";

const SUITES_DIR = new URL("../suites/", import.meta.url);

/** Names of all suites, sorted. */
export async function listSuites(): Promise<string[]> {
  const entries = await readdir(fileURLToPath(SUITES_DIR), { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => e.name.slice(0, -".ts".length))
    .sort();
}

export async function loadSuite(name: string): Promise<Suite> {
  const mod: unknown = await import(new URL(`${name}.ts`, SUITES_DIR).href);
  const suite = (mod as { suite?: Suite }).suite;
  if (!suite || typeof suite.run !== "function") {
    throw new Error(`bench/suites/${name}.ts does not export a \`suite\``);
  }
  if (suite.name !== name) {
    throw new Error(`bench/suites/${name}.ts exports suite named "${suite.name}"`);
  }
  return suite;
}
