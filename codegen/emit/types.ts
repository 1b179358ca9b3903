import type { Field, Member, Model, SchemaFile, TypeRef } from "../model.js";
import { hexLiteral, intLiteral, isBigintScalar, stringLiteral } from "./literals.js";
import { propertyKey } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope } from "./scope.js";
import { scalarType, tsType } from "./ts-types.js";

/** types.ts: aliases, constants, flags, enums, the error table, records and message types. */
export function emitTypes(model: Model, file: SchemaFile): OutputFile {
  const scope = new Scope(model, file, "types");
  const errors = scope.own(model.errors).sort((a, b) => a.code - b.code);
  if (errors.length > 0) {
    scope.runtime("errors", "ErrorCodeInfo", true);
    scope.runtime("errors", "registerErrorCodes");
  }
  const messages = scope.own(model.messages);
  const records = [
    ...scope.own(model.structs).map((s) => record(s.name, s.doc, s.fields, false, scope)),
    ...messages.map((m) => record(m.name, m.doc, m.fields, m.flags.data, scope)),
  ];
  const view = {
    header: generatedHeader(file.path),
    aliases: scope.own(model.aliases).map((a) => ({
      name: a.name,
      doc: a.doc,
      type: tsType(a.target, scope),
    })),
    consts: scope.own(model.consts).map((c) => ({
      name: c.name,
      doc: c.doc,
      value: constValue(c.value, c.type),
    })),
    flagSets: scope.own(model.flags).map((f) => ({
      name: f.name,
      doc: f.doc,
      type: scalarType(f.base),
      members: members(f.members, (v) => hexLiteral(v, isBigintScalar(f.base))),
    })),
    enums: scope.own(model.enums).map((e) => ({
      name: e.name,
      doc: e.doc,
      members: members(e.members, (v) => intLiteral(v, isBigintScalar(e.base))),
    })),
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
