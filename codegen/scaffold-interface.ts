import path from "node:path";
import {
  Node,
  type ClassDeclaration,
  type ExpressionWithTypeArguments,
  type InterfaceDeclaration,
  type Project,
  type SourceFile,
  type TypeNode,
} from "ts-morph";
import { resolveModule } from "./scaffold-files.js";

/** A generated interface a hand-written class promises to implement. */
export interface ImplementedInterface {
  decl: InterfaceDeclaration;
  /** The interface's type parameters mapped to the class's type arguments (`Ctx` -> `ConnCtx`). */
  typeArgs: Map<string, string>;
}

/** A name a stub's signature mentions and where the class file must import it from. */
export interface TypeOrigin {
  /** The exported name in `file`. */
  exported: string;
  /** The name the signature uses (differs when the generated file renamed it on import). */
  local: string;
  file: string;
}

export interface StubSpec {
  name: string;
  params: { name: string; type: string; optional: boolean; rest: boolean }[];
  returnType: string;
  isAsync: boolean;
  origins: TypeOrigin[];
}

/**
 * The generated interfaces `cls` implements. Only interfaces declared under `generatedDir` count:
 * resolution is syntactic (imports and re-exports), so no type checker runs.
 */
export function implementedInterfaces(
  project: Project,
  cls: ClassDeclaration,
  generatedDir: string,
): ImplementedInterface[] {
  const found: ImplementedInterface[] = [];
  for (const clause of cls.getImplements()) {
    const target = importedTarget(cls.getSourceFile(), clause);
    if (!target || !isInside(target.file, generatedDir)) continue;
    const decl = findInterface(project, target.file, target.name, new Set());
    if (!decl || !isInside(decl.getSourceFile().getFilePath(), generatedDir)) continue;
    found.push({ decl, typeArgs: typeArgMap(decl, clause) });
  }
  return found;
}

/** The stub for each required interface method, with the class's type arguments substituted. */
export function stubSpecs(iface: ImplementedInterface): StubSpec[] {
  const serverFile = iface.decl.getSourceFile();
  const specs: StubSpec[] = [];
  for (const method of iface.decl.getMethods()) {
    if (method.hasQuestionToken()) continue;
    const hidden = new Set(method.getTypeParameters().map((tp) => tp.getName()));
    const typeNodes: TypeNode[] = [];
    const params = method.getParameters().map((p) => {
      const node = p.getTypeNode();
      if (node) typeNodes.push(node);
      return {
        name: `_${p.getName()}`,
        type: node ? renderType(node, iface.typeArgs) : "unknown",
        optional: p.hasQuestionToken(),
        rest: p.isRestParameter(),
      };
    });
    const ret = method.getReturnTypeNode();
    if (ret) typeNodes.push(ret);
    const returnType = ret ? renderType(ret, iface.typeArgs) : "unknown";
    const names = referencedNames(typeNodes).filter(
      (n) => !iface.typeArgs.has(n) && !hidden.has(n),
    );
    specs.push({
      name: method.getName(),
      params,
      returnType,
      // A stub that throws must still honour a Promise contract by rejecting, not throwing.
      isAsync: /^Promise\s*</.test(returnType),
      origins: names.flatMap((n) => originOf(serverFile, n) ?? []),
    });
  }
  return specs;
}

/** Where `local`, as visible in `file`, is declared; null for globals such as Promise. */
export function originOf(file: SourceFile, local: string): TypeOrigin | null {
  for (const imp of file.getImportDeclarations()) {
    for (const named of imp.getNamedImports()) {
      const alias = named.getAliasNode()?.getText() ?? named.getName();
      if (alias !== local) continue;
      const target = resolveModule(file.getFilePath(), imp.getModuleSpecifierValue());
      return target ? { exported: named.getName(), local, file: target } : null;
    }
  }
  const declared =
    file.getInterface(local) ??
    file.getTypeAlias(local) ??
    file.getClass(local) ??
    file.getEnum(local) ??
    file.getVariableDeclaration(local);
  return declared ? { exported: local, local, file: file.getFilePath() } : null;
}

function importedTarget(
  file: SourceFile,
  clause: ExpressionWithTypeArguments,
): { file: string; name: string } | null {
  const expr = clause.getExpression();
  if (Node.isIdentifier(expr)) {
    for (const imp of file.getImportDeclarations()) {
      const named = imp
        .getNamedImports()
        .find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === expr.getText());
      if (!named) continue;
      const target = resolveModule(file.getFilePath(), imp.getModuleSpecifierValue());
      return target ? { file: target, name: named.getName() } : null;
    }
    return null;
  }
  if (Node.isPropertyAccessExpression(expr)) {
    const ns = expr.getExpression().getText();
    const imp = file.getImportDeclarations().find((i) => i.getNamespaceImport()?.getText() === ns);
    const target = imp && resolveModule(file.getFilePath(), imp.getModuleSpecifierValue());
    return target ? { file: target, name: expr.getName() } : null;
  }
  return null;
}

/** Follows `export { X } from` and `export * from` so an index.ts re-export still resolves. */
function findInterface(
  project: Project,
  file: string,
  name: string,
  seen: Set<string>,
): InterfaceDeclaration | null {
  if (seen.has(file)) return null;
  seen.add(file);
  const sf = project.getSourceFile(file) ?? project.addSourceFileAtPath(file);
  const own = sf.getInterface(name);
  if (own) return own;
  for (const exp of sf.getExportDeclarations()) {
    const spec = exp.getModuleSpecifierValue();
    const target = spec ? resolveModule(file, spec) : null;
    if (!target) continue;
    if (!exp.hasNamedExports()) {
      const hit = findInterface(project, target, name, seen);
      if (hit) return hit;
      continue;
    }
    const named = exp
      .getNamedExports()
      .find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name);
    if (named) return findInterface(project, target, named.getName(), seen);
  }
  return null;
}

function typeArgMap(
  decl: InterfaceDeclaration,
  clause: ExpressionWithTypeArguments,
): Map<string, string> {
  const args = clause.getTypeArguments().map((t) => t.getText());
  const map = new Map<string, string>();
  decl.getTypeParameters().forEach((tp, i) => {
    map.set(tp.getName(), args[i] ?? tp.getDefault()?.getText() ?? "unknown");
  });
  return map;
}

/** The type's text with type-parameter references replaced by the class's arguments. */
function renderType(node: TypeNode, subst: Map<string, string>): string {
  const text = node.getText();
  const start = node.getStart();
  const refs = [node, ...node.getDescendants()]
    .filter(Node.isTypeReference)
    .filter((r) => Node.isIdentifier(r.getTypeName()) && r.getTypeArguments().length === 0)
    .filter((r) => subst.has(r.getTypeName().getText()))
    .sort((a, b) => b.getStart() - a.getStart());
  let out = text;
  for (const ref of refs) {
    const from = ref.getStart() - start;
    const to = ref.getEnd() - start;
    out = out.slice(0, from) + (subst.get(ref.getTypeName().getText()) ?? "") + out.slice(to);
  }
  return out;
}

/** Left-most identifiers of every type reference and `typeof` query, in first-seen order. */
function referencedNames(nodes: TypeNode[]): string[] {
  const names = new Set<string>();
  for (const node of nodes) {
    for (const d of [node, ...node.getDescendants()]) {
      if (Node.isTypeReference(d)) names.add(leftmost(d.getTypeName()));
      else if (Node.isTypeQuery(d)) {
        names.add(leftmost(d.getExprName()));
      }
    }
  }
  return [...names];
}

function leftmost(node: Node): string {
  return Node.isQualifiedName(node) ? leftmost(node.getLeft()) : node.getText();
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}
