/**
 * Every runnable `ts` block of the docs runs to its end against the doc world (named, procd,
 * echo), as a module in this process: imports of `sigmats`, `sigmats/…` (through the package's
 * exports map) and of `./…` (the docs write them from the repository root) point at the sources.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, it } from "vitest";
import { packageSources } from "../support/package-sources.js";
import { allBlocks, ROOT, runnable, where } from "./doc-blocks.js";
import { type DocWorld, startDocWorld } from "./doc-world.js";

const blocks = allBlocks().filter((b) => b.lang === "ts" && runnable(b));
const sources = packageSources();

let world: DocWorld;
let dir: string;
beforeAll(async () => {
  world = await startDocWorld();
  dir = await mkdtemp(path.join(tmpdir(), "doc-ts-"));
});
afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The block's text with its imports pointed at the sources and named's real address. */
function runnableSource(text: string): string {
  return world
    .localize(text)
    .replace(/from "(sigmats(?:\/[^"]+)?)"/g, (m, name: string) => {
      const file = sources.get(name);
      return file === undefined ? m : `from ${JSON.stringify(file)}`;
    })
    .replace(
      /from "\.\/([^"]+)"/g,
      (_m, rel: string) => `from ${JSON.stringify(path.join(ROOT, rel))}`,
    )
    .concat("\nexport {};\n");
}

describe("ts blocks of the docs run", () => {
  for (const b of blocks) {
    it(where(b), async () => {
      const file = path.join(dir, `${b.file.replace(/[/.]/g, "_")}_${b.line}.ts`);
      await writeFile(file, runnableSource(b.text));
      await import(pathToFileURL(file).href);
    });
  }
});
