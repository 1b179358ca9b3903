/**
 * Reads a schema folder: every `*.sigmap` under it, parsed, imports resolved, checked.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import posix from "node:path/posix";
import type { AstFile } from "./ast.js";
import { checkSchema } from "./check.js";
import { diag, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import type { Model } from "./model.js";
import { parseSchema } from "./parse.js";

export interface LoadResult {
  model: Model | null;
  diagnostics: Diagnostic[];
  /** File text by schema-relative path, for rendering code frames. */
  sources: Map<string, string>;
}

export async function loadSchemaDir(schemaDir: string): Promise<LoadResult> {
  const paths = await listSchemaFiles(schemaDir);
  const sources = new Map<string, string>();
  await Promise.all(
    paths.map(async (p) => sources.set(p, await readFile(path.join(schemaDir, p), "utf8"))),
  );
  return loadSchemaSources(sources);
}

/** The same from texts already in memory (tests, `sigma compat` against a git tree). */
export function loadSchemaSources(sources: Map<string, string>): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const files: AstFile[] = [];
  for (const p of [...sources.keys()].sort()) {
    const r = parseSchema(p, sources.get(p)!);
    diagnostics.push(...r.diagnostics);
    if (r.ast) files.push(r.ast);
  }
  const imports = new Map<string, string[]>();
  for (const f of files) {
    const resolved: string[] = [];
    for (const item of f.items) {
      if (item.kind !== "import") continue;
      const target = posix.normalize(posix.join(posix.dirname(f.path), item.path));
      if (!sources.has(target)) {
        diagnostics.push(
          diag("SIG002", `cannot import '${item.path}': no schema file ${target}`, item.span),
        );
      } else if (target === f.path) {
        diagnostics.push(diag("SIG003", "a file cannot import itself", item.span));
      } else {
        resolved.push(target);
      }
    }
    imports.set(f.path, resolved);
  }
  diagnostics.push(...importCycles(files, imports));
  if (diagnostics.some((d) => d.severity === "error")) {
    return { model: null, diagnostics: sortDiagnostics(diagnostics), sources };
  }
  const checked = checkSchema(files, imports);
  return { model: checked.model, diagnostics: sortDiagnostics(checked.diagnostics), sources };
}

async function listSchemaFiles(root: string, rel = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listSchemaFiles(root, p)));
    else if (e.name.endsWith(".sigmap")) out.push(p);
  }
  return out;
}

function importCycles(
  files: readonly AstFile[],
  imports: ReadonlyMap<string, string[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const state = new Map<string, "active" | "done">();
  const byPath = new Map(files.map((f) => [f.path, f]));
  const visit = (p: string, trail: string[]): void => {
    state.set(p, "active");
    for (const next of imports.get(p) ?? []) {
      if (state.get(next) === "active") {
        const item = byPath
          .get(p)!
          .items.find(
            (i) =>
              i.kind === "import" && posix.normalize(posix.join(posix.dirname(p), i.path)) === next,
          )!;
        const cycle = [...trail.slice(trail.indexOf(next)), p, next].join(" -> ");
        out.push(diag("SIG003", `import cycle: ${cycle}`, item.span));
      } else if (!state.has(next)) {
        visit(next, [...trail, p]);
      }
    }
    state.set(p, "done");
  };
  for (const f of files) if (!state.has(f.path)) visit(f.path, []);
  return out;
}
