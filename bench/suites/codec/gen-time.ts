/**
 * Wall time of a full `sigma gen` (everything but process start-up and writing files), with and
 * without prettier, to show what formatting costs and whether regeneration stays interactive.
 */
import { fileURLToPath } from "node:url";
import { generate } from "../../../codegen/generate.js";
import { percentile } from "../../lib/percentile.js";

const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface GenTimes {
  /** The first generate() in this process: grammar, prettier plugins and emitters still cold. */
  firstMs: number;
  prettierMs: number;
  plainMs: number;
  runs: number;
}

/** Times `runs` regenerations of each kind (after the cold first call), in ABBA order. */
export async function timeGeneration(runs: number): Promise<GenTimes> {
  const firstMs = await timeOnce(true);
  const withPrettier: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [false, true] : [true, false];
    for (const prettier of order)
      (prettier ? withPrettier : without).push(await timeOnce(prettier));
  }
  return {
    firstMs,
    prettierMs: percentile(withPrettier, 50),
    plainMs: percentile(without, 50),
    runs,
  };
}

async function timeOnce(prettier: boolean): Promise<number> {
  const t0 = performance.now();
  const result = await generate({ projectRoot: PROJECT_ROOT, prettier, write: false });
  const ms = performance.now() - t0;
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || result.files.length === 0) {
    const first = errors[0]?.message ?? "no files produced";
    throw new Error(`sigma gen failed (${errors.length} errors): ${first}`);
  }
  return ms;
}
