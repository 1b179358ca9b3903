/**
 * Plain-JavaScript copies of the project's TypeScript modules, so that Node procs and warm
 * runtimes start on bare `node`: loading tsx costs about four times Node's own start-up, which
 * would swamp what a warm start saves. Each module is transpiled on its own (no type checking,
 * as tsx does) into a mirror of the project tree under `node_modules/.cache/sigmats-js/`, together
 * with the relative imports it reaches, and rewritten only when its source is newer. Running from
 * compiled JavaScript (the published package) there is nothing to do.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: two levels above this file (servers/procd/). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNNING_TS = import.meta.url.endsWith(".ts");

// Relative specifiers of static imports and re-exports, side-effect imports and import().
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

type TypeScript = typeof import("typescript");

/** Maps project modules to runnable JavaScript. */
export class JsMirror {
  /** The mirror's root (the project root itself when running compiled). */
  readonly root: string;
  readonly #verified = new Set<string>();
  #ts: TypeScript | null = null;

  constructor(cacheDir = path.join(ROOT, "node_modules", ".cache", "sigmats-js")) {
    this.root = RUNNING_TS ? cacheDir : ROOT;
    if (RUNNING_TS) {
      mkdirSync(this.root, { recursive: true });
      // The cache sits under node_modules, where Node stops looking for the project's package.json.
      writeIfChanged(path.join(this.root, "package.json"), '{ "type": "module" }\n');
    }
  }

  /** The JavaScript path of a file of this project, given relative to its root (`runtime/…`). */
  async projectModule(rel: string): Promise<string> {
    const src = path.join(ROOT, rel);
    if (!RUNNING_TS) return jsName(src);
    await this.#ensure(src);
    return this.#target(src);
  }

  /**
   * A runnable path for `file`: JavaScript as it is; TypeScript inside the project transpiled
   * (with everything it imports relatively); null for TypeScript elsewhere (run it with tsx).
   */
  async toJs(file: string): Promise<string | null> {
    const abs = path.resolve(file);
    if (!/\.[cm]?ts$/.test(abs)) return abs;
    if (!RUNNING_TS) return null;
    const rel = path.relative(ROOT, abs);
    if (rel.startsWith("..") || path.isAbsolute(rel) || rel.startsWith("node_modules")) return null;
    await this.#ensure(abs);
    return this.#target(abs);
  }

  #target(src: string): string {
    const rel = path.relative(ROOT, src);
    return path.join(this.root, jsName(rel));
  }

  async #ensure(entry: string): Promise<void> {
    const todo = [entry];
    while (todo.length > 0) {
      const src = todo.pop() as string;
      if (this.#verified.has(src)) continue;
      this.#verified.add(src);
      const text = readFileSync(src, "utf8");
      const dest = this.#target(src);
      if (mtime(dest) < mtime(src)) await this.#transpile(src, text, dest);
      for (const m of text.matchAll(IMPORT_RE)) {
        const dep = sourceOf(path.resolve(path.dirname(src), m[1] as string));
        if (dep !== null) todo.push(dep);
      }
    }
  }

  async #transpile(src: string, text: string, dest: string): Promise<void> {
    this.#ts ??= (await import("typescript")).default;
    const ts = this.#ts;
    const out = ts.transpileModule(text, {
      fileName: src,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        isolatedModules: true,
        sourceMap: false,
      },
    });
    mkdirSync(path.dirname(dest), { recursive: true });
    // Several procds may fill the cache at once: each writes a private file and renames it in.
    const tmp = `${dest}.${process.pid}.tmp`;
    writeFileSync(tmp, out.outputText);
    renameSync(tmp, dest);
  }
}

function jsName(file: string): string {
  return file.replace(/\.ts$/, ".js").replace(/\.mts$/, ".mjs");
}

/** The TypeScript source a `.js` specifier names, if the project has one. */
function sourceOf(spec: string): string | null {
  for (const cand of [spec.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts"), spec]) {
    if (/\.[cm]?ts$/.test(cand) && mtime(cand) > 0) return cand;
  }
  return null;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, "utf8") === text) return;
  } catch {
    // missing: write it
  }
  writeFileSync(file, text);
}
