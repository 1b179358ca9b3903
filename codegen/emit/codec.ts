import type { Field, Model, SchemaFile } from "../model.js";
import { encodeExpr, readCall, readerRef } from "./codec-exprs.js";
import { member, propertyKey } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope, type EmitOptions } from "./scope.js";

/**
 * codec.ts: records and messages as positional arrays in field-number order. A number left out
 * (reserved) is written as nil so later fields keep their positions. Decoders fail only with
 * the runtime's decodeFailure (BadFcall from the error table).
 */
export function emitCodec(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "codec", options);
  scope.ownTypesAs("t");
  const structs = scope.own(model.structs);
  const messages = scope.own(model.messages);
  const enums = scope.own(model.enums);
  if (structs.length + messages.length + enums.length === 0) return null;
  const records = structs.length + messages.length > 0;
  if (records) scope.runtime("contract", "expectArray");
  if (messages.length > 0) scope.runtime("contract", "decodeFailure");
  const view = {
    header: generatedHeader(file.path),
    errors: records ? scope.errorTable() : "",
    enums: enums.map((e) => {
      scope.runtime("contract", "expectMember");
      return {
        name: e.name,
        type: scope.type(e.name),
        value: scope.value(e.name, "types"),
        reader: readerRef({ kind: "scalar", name: e.base }, scope),
      };
    }),
    structs: structs.map((s) => {
      scope.runtime("contract", "fieldPath");
      scope.runtime("contract", "recordDecoder");
      const param = s.fields.length > 0 ? "m" : "_m";
      return {
        name: s.name,
        type: scope.type(s.name),
        param,
        ...body(s.fields, param, "p", scope),
      };
    }),
    messages: messages.map((m) => {
      if (m.flags.data) scope.runtime("contract", "NO_DATA");
      const param = m.fields.length > 0 ? "m" : "_m";
      return {
        name: m.name,
        type: scope.type(m.name),
        param,
        data: m.flags.data,
        dataParam: m.flags.data ? "data" : "_data",
        ...body(m.fields, param, JSON.stringify(m.name), scope),
      };
    }),
  };
  return {
    path: `${file.outDir}/codec.ts`,
    content: render("codec", { ...view, imports: scope.renderImports() }),
  };
}

function body(fields: Field[], msg: string, path: string, scope: Scope) {
  const sorted = [...fields].sort((a, b) => a.number - b.number);
  const last = sorted.at(-1)?.number ?? 0;
  const byNumber = new Map(sorted.map((f) => [f.number, f]));
  const encoded: string[] = [];
  for (let n = 1; n <= last; n++) {
    const f = byNumber.get(n);
    encoded.push(f === undefined ? "null" : encodeExpr(f.type, member(msg, f.name), scope));
  }
  return {
    min: last,
    encoded: encoded.join(", "),
    fields: sorted.map((f) => ({
      key: propertyKey(f.name),
      read: readCall(f.type, `a[${f.number - 1}]`, path, JSON.stringify(f.name), scope),
    })),
  };
}
