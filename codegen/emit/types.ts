import type { Field, Member, Model, SchemaFile, TypeRef } from "../model.js";
import { hexLiteral, intLiteral, isBigintScalar, stringLiteral } from "./literals.js";
import { propertyKey } from "./names.js";
import { backlink, docWithBacklink, generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope, type EmitOptions } from "./scope.js";
import { scalarType, tsType } from "./ts-types.js";

/**
 * types.ts: aliases, constants, flags, enums, the error table, records and message types. Pure
 * declarations: importing it registers nothing (the runtime is handed the error table).
 */
export function emitTypes(model: Model, file: SchemaFile, options?: EmitOptions): OutputFile {
  const scope = new Scope(model, file, "types", options);
  const errors = scope.own(model.errors).sort((a, b) => a.code - b.code);
  if (errors.length > 0) scope.runtime("errors", "ErrorCodeInfo", true);
  const messages = scope.own(model.messages);
  const records = [
    ...scope
      .own(model.structs)
      .map((s) => record(s.name, link(s, `struct ${s.name}`, s.doc), s.fields, false, scope)),
    ...messages.map((m) =>
      record(
        m.name,
        link(m, `${m.kind} ${m.name} = ${m.type}`, m.doc),
        m.fields,
        m.flags.data,
        scope,
      ),
    ),
  ];
  const firstError = scope.own(model.errors)[0];
  const view = {
    header: generatedHeader(file.path),
    aliases: scope.own(model.aliases).map((a) => ({
      name: a.name,
      doc: link(a, `alias ${a.name}`, a.doc),
      type: tsType(a.target, scope),
    })),
    consts: scope.own(model.consts).map((c) => ({
      name: c.name,
      doc: link(c, `const ${c.name}`, c.doc),
      value: constValue(c.value, c.type),
    })),
    flagSets: scope.own(model.flags).map((f) => ({
      name: f.name,
      doc: link(f, `flags ${f.name}`, f.doc),
      type: scalarType(f.base),
      members: members(f.members, (v) => hexLiteral(v, isBigintScalar(f.base))),
    })),
    enums: scope.own(model.enums).map((e) => ({
      name: e.name,
      doc: link(e, `enum ${e.name}`, e.doc),
      members: members(e.members, (v) => intLiteral(v, isBigintScalar(e.base))),
    })),
    errorsDoc:
      firstError === undefined
        ? ""
        : docWithBacklink(
            "Error codes: the `code` of a SigmaError and of the error reply.",
            backlink(firstError.span, "errors"),
          ),
    errors: errors.map((e) => ({
      name: propertyKey(e.name),
      nameLiteral: stringLiteral(e.name),
      code: e.code,
      doc: e.doc,
      description: stringLiteral(e.description),
      retry: stringLiteral(e.retry),
    })),
    records,
    messageTypes: messages.map((m) => ({ name: m.name, type: m.type })),
  };
  // Imports last: rendering the view above is what records them.
  return {
    path: `${file.outDir}/types.ts`,
    content: render("types", { ...view, imports: scope.renderImports() }),
  };
}

function link(d: { span: { file: string; line: number } }, what: string, doc: string): string {
  return docWithBacklink(doc, backlink(d.span, what));
}

function record(name: string, doc: string, fields: Field[], data: boolean, scope: Scope) {
  const decls = [...fields]
    .sort((a, b) => a.number - b.number)
    .map((f) => ({ doc: f.doc, decl: fieldDecl(f, scope) }));
  if (data) {
    decls.push({ doc: "The data payload, carried beside the body.", decl: "data: Uint8Array" });
  }
  return { name, doc, empty: decls.length === 0, fields: decls };
}

function fieldDecl(f: Field, scope: Scope): string {
  const key = propertyKey(f.name);
  if (f.type.kind === "optional") return `${key}?: ${tsType(f.type.of, scope)}`;
  return `${key}: ${tsType(f.type, scope)}`;
}

function members(list: Member[], literal: (v: number) => string) {
  return list.map((m) => ({ name: propertyKey(m.name), doc: m.doc, value: literal(m.value) }));
}

function constValue(value: bigint | string | boolean, type: TypeRef): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "boolean") return String(value);
  return intLiteral(value, isBigint(type));
}

function isBigint(t: TypeRef): boolean {
  switch (t.kind) {
    case "scalar":
      return isBigintScalar(t.name);
    case "flags":
    case "enum":
      return isBigintScalar(t.base);
    case "alias":
      return isBigint(t.target);
    default:
      return false;
  }
}
