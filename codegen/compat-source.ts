import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { loadSchemaDir, loadSchemaSources, type LoadResult } from "./load.js";

const run = promisify(execFile);

/** An older schema, loaded; `label` prefixes its file names in diagnostics. */
export interface AgainstSchema {
  label: string;
  result: LoadResult;
}

/**
 * Loads the schema `against` names: a directory (holding schema/, or a schema folder itself)
 * or a git ref of the project, read with `git show` so the working tree is never touched.
 */
export async function loadAgainst(projectRoot: string, against: string): Promise<AgainstSchema> {
  const dir = path.resolve(projectRoot, against);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const schemaDir = isDir(path.join(dir, "schema")) ? path.join(dir, "schema") : dir;
    return {
      label: `${path.relative(projectRoot, schemaDir) || "."}/`,
      result: await loadSchemaDir(schemaDir),
    };
  }
  return {
    label: `${against}:schema/`,
    result: loadSchemaSources(await gitSchemaSources(projectRoot, against)),
  };
}

async function gitSchemaSources(projectRoot: string, ref: string): Promise<Map<string, string>> {
  // A leading dash would be read as an option by git, not as a ref.
  if (ref.startsWith("-")) throw new Error(`'${ref}' is neither a directory nor a git ref`);
  const git = async (...args: string[]): Promise<string> =>
    (await run("git", ["-C", projectRoot, ...args], { maxBuffer: 64 << 20 })).stdout;
  try {
    await git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw new Error(`'${ref}' is neither a directory nor a git ref`);
  }
  const listing = await git("ls-tree", "-r", "-z", "--name-only", ref, "--", "schema/");
  const files = listing.split("\0").filter((f) => f.endsWith(".sigmap"));
  if (files.length === 0) throw new Error(`${ref} has no schema/*.sigmap files`);
  const sources = new Map<string, string>();
  for (const file of files) {
    sources.set(file.slice("schema/".length), await git("show", `${ref}:${file}`));
  }
  return sources;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
