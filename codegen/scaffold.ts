import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import {
  IndentationText,
  Project,
  QuoteKind,
  type ClassDeclaration,
  type SourceFile,
} from "ts-morph";
import { findCandidateFiles } from "./scaffold-files.js";
import { addMissingImports, type NeededImport } from "./scaffold-imports.js";
import {
  implementedInterfaces,
  originOf,
  stubSpecs,
  type StubSpec,
  type TypeOrigin,
} from "./scaffold-interface.js";

export interface ScaffoldOptions {
  projectRoot: string;
  /**
   * Folders (relative to projectRoot) holding hand-written handler classes. Default: the whole
   * project (tests and benchmarks too), but for node_modules, generated/, dist/ and dot-folders.
   */
  sourceDirs?: string[];
}

export interface ScaffoldResult {
  /** Files that gained stubs; `added` names them `Class.method`. Paths are projectRoot-relative. */
  changed: { file: string; added: string[] }[];
}

const DEFAULTS = { sourceDirs: ["."] };

/**
 * Adds a NotSupported stub for every method of a generated handler interface that a hand-written
 * class declares it implements but lacks, so a new schema message compiles at once and fails
 * loudly only when used. Running it again changes nothing.
 */
export async function scaffoldHandlers(opts: ScaffoldOptions): Promise<ScaffoldResult> {
  const { projectRoot, sourceDirs } = { ...DEFAULTS, ...opts };
  const root = path.resolve(projectRoot);
  const generatedDir = path.join(root, "generated");
  const files = findCandidateFiles(root, sourceDirs);
  const changed: ScaffoldResult["changed"] = [];
  if (files.length === 0) return { changed };

  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { strict: true, skipLibCheck: true, noEmit: true },
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
    },
  });
  const sigmaError = locateSigmaError(root);

  for (const file of files) {
    const sf = project.addSourceFileAtPath(file);
    const original = sf.getFullText();
    project.manipulationSettings.set({ indentationText: indentationOf(original) });
    const added: string[] = [];
    const needs: NeededImport[] = [];
    for (const cls of sf.getClasses()) {
      for (const iface of implementedInterfaces(project, cls, generatedDir)) {
        const errCode = locateErrCode(iface.decl.getSourceFile(), generatedDir);
        for (const spec of stubSpecs(iface)) {
          if (hasMember(cls, spec.name)) continue;
          addStub(cls, spec);
          added.push(`${cls.getName() ?? "default"}.${spec.name}`);
          needs.push(...spec.origins.map((o) => ({ ...o, isType: true })));
          needs.push({ ...errCode, isType: false }, { ...sigmaError, isType: false });
        }
      }
    }
    if (added.length === 0) continue;
    addMissingImports(sf, needs);
    await writeFile(file, await formatLikeBefore(file, original, sf.getFullText()));
    changed.push({ file: path.relative(root, file).split(path.sep).join("/"), added });
  }
  return { changed };
}

function addStub(cls: ClassDeclaration, spec: StubSpec): void {
  cls.addMethod({
    isAsync: spec.isAsync,
    name: spec.name,
    parameters: spec.params.map((p) => ({
      name: p.name,
      type: p.type,
      hasQuestionToken: p.optional,
      isRestParameter: p.rest,
    })),
    returnType: spec.returnType,
    statements: [`throw new SigmaError(ErrCode.NotSupported, ${JSON.stringify(spec.name)});`],
  });
}

/**
 * Own members are found syntactically; only a class with a base class needs the type checker,
 * because an inherited method satisfies the interface too.
 */
function hasMember(cls: ClassDeclaration, name: string): boolean {
  if (cls.getInstanceMember(name)) return true;
  return cls.getExtends() !== undefined && cls.getType().getProperty(name) !== undefined;
}

/**
 * The runtime/errors module that exports SigmaError; its index is the room's front door. Outside
 * the sigmats repository that is the package's `sigmats/errors`.
 */
function locateSigmaError(root: string): TypeOrigin {
  const dir = path.join(root, "runtime", "errors");
  if (!existsSync(dir))
    return { exported: "SigmaError", local: "SigmaError", file: "sigmats/errors" };
  const index = path.join(dir, "index.ts");
  const candidates = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .map((f) => path.join(dir, f))
    : [];
  const exporting = candidates.filter((f) => /\bSigmaError\b/.test(readFileSync(f, "utf8")));
  const file = exporting.includes(index) ? index : (exporting.sort()[0] ?? index);
  return { exported: "SigmaError", local: "SigmaError", file };
}

/**
 * ErrCode lives in the types.ts beside the server interface for the root protocol; service
 * folders may import it from there instead, so follow the server's own import, then search.
 */
function locateErrCode(server: SourceFile, generatedDir: string): TypeOrigin {
  const declares = (f: string): boolean =>
    existsSync(f) && /export\s+(const|enum)\s+ErrCode\b/.test(readFileSync(f, "utf8"));
  const sibling = path.join(path.dirname(server.getFilePath()), "types.ts");
  if (declares(sibling)) return { exported: "ErrCode", local: "ErrCode", file: sibling };
  const viaServer = originOf(server, "ErrCode");
  if (viaServer) return viaServer;
  const found = typesFiles(generatedDir).find(declares);
  // A schema without an error table of its own uses sigmats' (see docs/schema.md).
  if (!found) return { exported: "ErrCode", local: "ErrCode", file: "sigmats/sigmap" };
  return { exported: "ErrCode", local: "ErrCode", file: found };
}

function typesFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === "types.ts")
    .map((f) => path.join(dir, f))
    .sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/** The file's own indentation unit, so stubs line up with the members around them. */
function indentationOf(text: string): IndentationText {
  const indents = text.match(/^[ \t]+(?=[^\s*])/gm) ?? [];
  if (indents.some((i) => i.startsWith("\t"))) return IndentationText.Tab;
  const unit = Math.min(...indents.map((i) => i.length));
  if (unit === 4) return IndentationText.FourSpaces;
  if (unit === 8) return IndentationText.EightSpaces;
  return IndentationText.TwoSpaces;
}

/** Prettier runs only on files that were prettier-clean, so nobody's own layout is rewritten. */
async function formatLikeBefore(file: string, before: string, after: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  const options = { ...config, filepath: file };
  return (await prettier.check(before, options)) ? prettier.format(after, options) : after;
}
