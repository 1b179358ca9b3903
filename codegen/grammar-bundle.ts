/**
 * The ohm grammar is checked in twice: as `sigmap.ohm` (what people edit) and as the generated
 * typed bundle the parser imports. The bundle embeds the grammar source, so comparing the two
 * tells whether someone edited the grammar without regenerating the bundle.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import grammar from "./grammar/sigmap.ohm-bundle.js";

export const GRAMMAR_BUNDLE_COMMAND =
  "npx ohm generateBundles --withTypes --esm codegen/grammar/sigmap.ohm";

/** A problem description, or null when the bundle matches the grammar. */
export async function checkGrammarBundle(projectRoot: string): Promise<string | null> {
  const file = path.join(projectRoot, "codegen", "grammar", "sigmap.ohm");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  // ohm keeps the grammar's source interval at run time; its typings do not declare it.
  const embedded = (grammar as unknown as { source: { contents: string } }).source.contents;
  if (embedded.trim() === text.trim()) return null;
  return `codegen/grammar/sigmap.ohm-bundle.js is stale: run \`${GRAMMAR_BUNDLE_COMMAND}\``;
}
