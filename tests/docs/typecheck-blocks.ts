/**
 * Type-checks every `ts` block of the docs in one TypeScript program, with the project's compiler
 * options. A block is a module placed at the repository root (the docs import `./runtime/…` as
 * a reader in a clone would) and `sigmats`, `sigmats/…` resolve to their sources through the
 * package's exports map. A `typecheck` fragment gets a prelude: every export of the package, and
 * `fsl`, `named`.
 */
import path from "node:path";
import ts from "typescript";
import { packageSources } from "../support/package-sources.js";
import { type DocBlock, marker, ROOT } from "./doc-blocks.js";

export interface BlockDiagnostic {
  block: DocBlock;
  line: number;
  message: string;
}

/** The virtual file a block is checked as. */
export function blockFileName(b: DocBlock): string {
  return path.join(ROOT, `__doc__${b.file.replace(/[/.]/g, "_")}_${b.line}.ts`);
}

export function typecheckBlocks(blocks: readonly DocBlock[]): BlockDiagnostic[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error("tsconfig.json does not parse");
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    baseUrl: ROOT,
    paths: Object.fromEntries([...packageSources()].map(([name, file]) => [name, [file]])),
  };
  const entryProgram = ts.createProgram([path.join(ROOT, "index.ts")], options);
  const exported = packageExports(entryProgram);
  const sources = new Map<string, { text: string; prelude: number }>();
  for (const b of blocks) {
    const prelude = marker(b, "typecheck") ? fragmentPrelude(b, exported) : "";
    sources.set(blockFileName(b), {
      text: `${prelude}${b.text}\nexport {};\n`,
      prelude: prelude.split("\n").length - 1,
    });
  }
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => sources.get(f)?.text ?? readFile(f);
  host.fileExists = (f) => sources.has(f) || ts.sys.fileExists(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const v = sources.get(f);
    return v ? ts.createSourceFile(f, v.text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  // The second program reuses the first's parsed files: one type-check of the sources.
  const program = ts.createProgram([...sources.keys()], options, host, entryProgram);
  const out: BlockDiagnostic[] = [];
  for (const b of blocks) {
    const file = program.getSourceFile(blockFileName(b));
    if (file === undefined) throw new Error(`no source for ${b.file}:${b.line}`);
    const skip = sources.get(file.fileName)?.prelude ?? 0;
    for (const d of [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ]) {
      const at = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
      out.push({
        block: b,
        line: b.line + 1 + at - skip,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      });
    }
  }
  return out;
}

/** The names `import … from "sigmats"` offers, read from the entry's own declarations. */
function packageExports(program: ts.Program): string[] {
  const entry = path.join(ROOT, "index.ts");
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  const symbol = file && checker.getSymbolAtLocation(file);
  if (symbol === undefined) throw new Error("index.ts has no module symbol");
  return checker.getExportsOfModule(symbol).map((s) => s.name);
}

/** What a fragment may use without importing it: the package's names, fsl, named, its givens. */
function fragmentPrelude(b: DocBlock, exported: readonly string[]): string {
  const own = new Set(
    [
      ...b.text.matchAll(
        /\b(?:import\s+(?:type\s+)?\{([^}]*)\}|(?:const|let|class|function)\s+(\w+))/g,
      ),
    ].flatMap((m) =>
      m[1] !== undefined
        ? m[1].split(",").map(
            (s) =>
              s
                .trim()
                .split(/\s+as\s+/)
                .pop()
                ?.replace(/^type\s+/, "") ?? "",
          )
        : [m[2] ?? ""],
    ),
  );
  const names = exported.filter((n) => !own.has(n));
  const given = [
    own.has("fsl") ? "" : "declare const fsl: FsLib;",
    own.has("named") ? "" : "declare const named: Named;",
    marker(b, "given")?.text ?? "",
  ];
  const imports = `import { ${names.join(", ")} } from "sigmats";`;
  const types = `import type { FsLib as __FsLib, Named as __Named } from "sigmats";`;
  const decls = given
    .join(" ")
    .replace(/: FsLib;/g, ": __FsLib;")
    .replace(/: Named;/g, ": __Named;");
  return `${imports}\n${types}\n${decls}\n`;
}
