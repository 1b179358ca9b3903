/**
 * `sigma gen`: schema/ -> generated/. Loads and checks the schema, runs every emitter, formats the
 * output with prettier in one pass, and writes only files whose content changed. In check mode
 * nothing is written and any difference (including a stale file generated/ should no longer
 * hold) is reported.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { hasErrors, type Diagnostic } from "./diagnostics.js";
import { emitFile, emitRootIndex, type OutputFile, type RuntimeImports } from "./emit/index.js";
import { PACKAGE } from "./emit/scope.js";
import { checkGrammarBundle } from "./grammar-bundle.js";
import { loadSchemaDir } from "./load.js";
import type { Model } from "./model.js";

export interface GenerateOptions {
  projectRoot: string;
  /** Report differences instead of writing. Default false. */
  check?: boolean;
  /** Format output with prettier. Default true; false only for measuring its cost. */
  prettier?: boolean;
  /** Write changed files. Default true (ignored in check mode). */
  write?: boolean;
  /**
   * How generated code imports the runtime: `relative` (`../../runtime/contract/index.js`) inside
   * the sigmats repository, `package` (`sigmats/contract`) everywhere else. Default: `relative` when
   * the project's package.json names sigmats, else `package`.
   */
  runtime?: RuntimeImports;
}

export interface GeneratedFile {
  /** Path relative to the project root, e.g. `generated/sigmap/codec.ts`. */
  path: string;
  content: string;
  /** Differs from what is on disk (or is missing there). */
  changed: boolean;
}

export interface GenerateResult {
  files: GeneratedFile[];
  /** Files under generated/ that the schema no longer produces. */
  stale: string[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  model: Model | null;
  /** Problems that are not schema diagnostics, such as a stale grammar bundle. */
  problems: string[];
  ms: number;
}

const DEFAULTS = { check: false, prettier: true, write: true };

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const opts = { ...DEFAULTS, ...options };
  const started = performance.now();
  const root = opts.projectRoot;
  const genDir = path.join(root, "generated");
  const problems: string[] = [];
  const grammarProblem = await checkGrammarBundle(root);
  if (grammarProblem) problems.push(grammarProblem);

  const loaded = await loadSchemaDir(path.join(root, "schema"));
  const base = {
    diagnostics: loaded.diagnostics,
    sources: loaded.sources,
    model: loaded.model,
    problems,
  };
  if (!loaded.model || hasErrors(loaded.diagnostics)) {
    return { ...base, files: [], stale: [], ms: performance.now() - started };
  }
  const model = loaded.model;
  const emit = { runtime: opts.runtime ?? (await runtimeImportsOf(root)) };
  const outputs: OutputFile[] = [
    ...model.files.flatMap((f) => emitFile(model, f, emit)),
    ...emitRootIndex(model),
  ];
  const formatted = opts.prettier ? await formatAll(root, outputs) : outputs;

  const files: GeneratedFile[] = await Promise.all(
    formatted.map(async (o) => {
      const rel = path.posix.join("generated", o.path);
      const old = await readFile(path.join(root, rel), "utf8").catch(() => null);
      return { path: rel, content: o.content, changed: old !== o.content };
    }),
  );
  const produced = new Set(files.map((f) => f.path));
  const stale = (await listFiles(genDir, "generated")).filter((p) => !produced.has(p));

  if (!opts.check && opts.write) {
    for (const f of files.filter((x) => x.changed)) {
      await mkdir(path.dirname(path.join(root, f.path)), { recursive: true });
      await writeFile(path.join(root, f.path), f.content);
    }
    for (const s of stale) await rm(path.join(root, s));
  }
  return { ...base, files, stale, ms: performance.now() - started };
}

/** Inside the sigmats repository generated code reaches the runtime by relative paths. */
export async function runtimeImportsOf(projectRoot: string): Promise<RuntimeImports> {
  const text = await readFile(path.join(projectRoot, "package.json"), "utf8").catch(() => "{}");
  try {
    return (JSON.parse(text) as { name?: unknown }).name === PACKAGE ? "relative" : "package";
  } catch {
    return "package";
  }
}

async function formatAll(root: string, outputs: readonly OutputFile[]): Promise<OutputFile[]> {
  const config = (await prettier.resolveConfig(path.join(root, "generated", "index.ts"))) ?? {};
  return Promise.all(
    outputs.map(async (o) => ({
      path: o.path,
      content: await prettier.format(o.content, { ...config, parser: "typescript" }),
    })),
  );
}

async function listFiles(dir: string, rel: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = path.posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), p)));
    else out.push(p);
  }
  return out.sort();
}
