import path from "node:path";
import { compareModels, type CompatFinding } from "./compat.js";
import { loadAgainst, type AgainstSchema } from "./compat-source.js";
import { relocateDiagnostics, renderDiagnostics, type Diagnostic } from "./diagnostics.js";
import { loadSchemaDir, type LoadResult } from "./load.js";

export interface CompatCliOptions {
  projectRoot: string;
  /** A directory (holding schema/, or a schema folder itself) or a git ref of the project. */
  against: string;
  format: "text" | "json";
}

/** Exit 0: nothing breaking; 1: breaking changes; 2: a schema did not load. */
export interface CompatCliResult {
  exitCode: number;
  output: string;
}

/** `sigma compat --against <dir|ref>`: the working schema/ compared with an older one. */
export async function runCompat(opts: CompatCliOptions): Promise<CompatCliResult> {
  const root = path.resolve(opts.projectRoot);
  let older: AgainstSchema;
  let newer: LoadResult;
  try {
    older = await loadAgainst(root, opts.against);
    newer = await loadSchemaDir(path.join(root, "schema"));
  } catch (e) {
    return loadFailure(opts.format, e instanceof Error ? e.message : String(e));
  }
  const olderModel = older.result.model;
  if (!olderModel) {
    return loadFailure(
      opts.format,
      `${older.label} does not load`,
      located(older.result, older.label),
    );
  }
  if (!newer.model) {
    return loadFailure(opts.format, "schema/ does not load", located(newer, "schema/"));
  }
  const findings = compareModels(olderModel, newer.model);
  const breaking = findings.filter((f) => f.breaking).length;
  const output =
    opts.format === "json"
      ? JSON.stringify({ against: opts.against, breaking, findings }, null, 2) + "\n"
      : renderText(opts.against, findings);
  return { exitCode: breaking > 0 ? 1 : 0, output };
}

function renderText(against: string, findings: readonly CompatFinding[]): string {
  if (findings.length === 0) return `schema/ is unchanged against ${against}\n`;
  const width = Math.max(...findings.map((f) => f.rule.length));
  const lines = findings.map(
    (f) =>
      `${f.breaking ? "breaking" : "ok      "}  ${f.kind.padEnd(6)}  ${f.rule.padEnd(width)}  ${f.subject}: ${f.message}`,
  );
  const breaking = findings.filter((f) => f.breaking);
  const wire = breaking.filter((f) => f.kind === "wire").length;
  const summary =
    breaking.length === 0
      ? `no breaking changes against ${against} (${findings.length} compatible)`
      : `${breaking.length} breaking against ${against} (${wire} wire, ${breaking.length - wire} source), ` +
        `${findings.length - breaking.length} compatible`;
  return [...lines, summary].join("\n") + "\n";
}

interface LocatedDiagnostics {
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

function located(result: LoadResult, label: string): LocatedDiagnostics {
  return relocateDiagnostics(result.diagnostics, result.sources, label);
}

function loadFailure(
  format: "text" | "json",
  message: string,
  { diagnostics, sources }: LocatedDiagnostics = { diagnostics: [], sources: new Map() },
): CompatCliResult {
  const output =
    format === "json"
      ? JSON.stringify({ error: message, diagnostics }, null, 2) + "\n"
      : `compat: ${message}\n${renderDiagnostics(diagnostics, sources)}`;
  return { exitCode: 2, output };
}
