import type { ImportDeclaration, SourceFile } from "ts-morph";
import { importSpecifier, resolveModule } from "./scaffold-files.js";
import type { TypeOrigin } from "./scaffold-interface.js";

/** A name the stubs need in scope; values (ErrCode, SigmaError) cannot go in `import type`. */
export interface NeededImport extends TypeOrigin {
  isType: boolean;
}

/**
 * Adds the imports `needs` asks for that `file` lacks. Names already in scope are left alone,
 * even when they come from elsewhere: the file's author chose them.
 */
export function addMissingImports(file: SourceFile, needs: readonly NeededImport[]): void {
  const inScope = namesInScope(file);
  const byModule = new Map<string, NeededImport[]>();
  for (const need of needs) {
    if (inScope.has(need.local)) continue;
    inScope.add(need.local);
    byModule.set(need.file, [...(byModule.get(need.file) ?? []), need]);
  }
  for (const [target, group] of byModule) addToModule(file, target, group);
}

function addToModule(file: SourceFile, target: string, group: NeededImport[]): void {
  const existing = file
    .getImportDeclarations()
    .filter(
      (imp) =>
        !imp.getNamespaceImport() &&
        !imp.getDefaultImport() &&
        (imp.getModuleSpecifierValue() === target ||
          resolveModule(file.getFilePath(), imp.getModuleSpecifierValue()) === target),
    );
  const valueDecl = existing.find((imp) => !imp.isTypeOnly());
  const typeDecl = existing.find((imp) => imp.isTypeOnly());
  const leftover: NeededImport[] = [];
  for (const need of group) {
    const decl: ImportDeclaration | undefined = need.isType ? (valueDecl ?? typeDecl) : valueDecl;
    if (decl) insertNamed(decl, need);
    else leftover.push(need);
  }
  if (leftover.length === 0) return;
  file.addImportDeclaration({
    isTypeOnly: leftover.every((n) => n.isType),
    namedImports: leftover.map(specifier),
    moduleSpecifier: importSpecifier(file.getFilePath(), target),
  });
}

/** Keeps an alphabetised import list alphabetised; otherwise appends. */
function insertNamed(decl: ImportDeclaration, need: NeededImport): void {
  const names = decl.getNamedImports().map((n) => n.getName());
  const sorted = names.every((n, i) => i === 0 || (names[i - 1] ?? "").localeCompare(n) <= 0);
  const index = sorted
    ? names.filter((n) => n.localeCompare(need.exported) < 0).length
    : names.length;
  // A type name joining a value import says so, which verbatimModuleSyntax requires.
  decl.insertNamedImport(index, {
    ...specifier(need),
    isTypeOnly: need.isType && !decl.isTypeOnly(),
  });
}

function specifier(need: NeededImport): { name: string; alias?: string } {
  return need.exported === need.local
    ? { name: need.local }
    : { name: need.exported, alias: need.local };
}

function namesInScope(file: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const imp of file.getImportDeclarations()) {
    const def = imp.getDefaultImport();
    if (def) names.add(def.getText());
    const ns = imp.getNamespaceImport();
    if (ns) names.add(ns.getText());
    for (const named of imp.getNamedImports()) {
      names.add(named.getAliasNode()?.getText() ?? named.getName());
    }
  }
  for (const decl of [
    ...file.getClasses(),
    ...file.getInterfaces(),
    ...file.getTypeAliases(),
    ...file.getFunctions(),
    ...file.getEnums(),
    ...file.getVariableDeclarations(),
  ]) {
    const name = decl.getName();
    if (name) names.add(name);
  }
  return names;
}
