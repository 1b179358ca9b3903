/**
 * `sigma fmt [--check] [files...]`: formats schema files in place, or with --check lists the
 * ones that are not formatted. Exit codes: 0 done or all formatted, 1 some would change, 2 a
 * file does not parse (nothing of that file is written).
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderDiagnostics, type Diagnostic } from "./diagnostics.js";
import { formatSchema } from "./format.js";

export interface FmtOptions {
  projectRoot: string;
  check: boolean;
  /** Relative to the project root, or absolute; default: every schema file of the project. */
  files?: string[];
}

export interface FmtResult {
  exitCode: number;
  output: string;
}

/** Where the default run looks, relative to the project root. */
export const FMT_ROOTS = ["schema", "tests/fixtures/schema/ok"];

export async function runFmt(opts: FmtOptions): Promise<FmtResult> {
  const files = opts.files ?? (await defaultFiles(opts.projectRoot));
  const changed: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const failures: string[] = [];
  for (const file of files) {
    const abs = path.resolve(opts.projectRoot, file);
    const shown = path.relative(opts.projectRoot, abs).split(path.sep).join("/");
    const text = await readFile(abs, "utf8");
    let r;
    try {
      r = formatSchema(shown, text);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
      continue;
    }
    if (r.diagnostics.length) {
      diagnostics.push(...r.diagnostics);
      sources.set(shown, text);
      continue;
    }
    if (r.output === text) continue;
    changed.push(shown);
    if (!opts.check) await writeFile(abs, r.output);
  }
  const out: string[] = [];
  if (opts.check && changed.length) {
    out.push("these files are not formatted (run `sigma fmt`):", ...changed.map((f) => `  ${f}`));
  } else if (changed.length) {
    out.push(...changed.map((f) => `formatted ${f}`));
  }
  const broken = diagnostics.length > 0 || failures.length > 0;
  let output = out.length ? out.join("\n") + "\n" : "";
  output += renderDiagnostics(diagnostics, sources);
  output += failures.map((f) => f + "\n").join("");
  const exitCode = broken ? 2 : opts.check && changed.length ? 1 : 0;
  return { exitCode, output };
}

async function defaultFiles(root: string): Promise<string[]> {
  const lists = await Promise.all(FMT_ROOTS.map((dir) => schemaFiles(root, dir)));
  return lists.flat();
}

async function schemaFiles(root: string, rel: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    // A project need not have every root (fixtures, say); an absent one has no files.
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await schemaFiles(root, p)));
    else if (e.name.endsWith(".sigmap")) out.push(p);
  }
  return out;
}
