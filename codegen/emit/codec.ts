import type { Field, Model, SchemaFile } from "../model.js";
import { encodeExpr, readCall, readerRef } from "./codec-exprs.js";
import { member, propertyKey } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope } from "./scope.js";

/**
 * codec.ts: records and messages as positional arrays in field-number order. A number left out
 * (reserved) is written as nil so later fields keep their positions.
 */
export function emitCodec(model: Model, file: SchemaFile): OutputFile | null {
  const scope = new Scope(model, file, "codec");
  const structs = scope.own(model.structs);
  const messages = scope.own(model.messages);
  const enums = scope.own(model.enums);
  if (structs.length + messages.length + enums.length === 0) return null;
  for (const name of ["DecodeError", "expectArray"]) scope.runtime("wire", name);
  for (const name of ["SigmaError", "describeErrorCode", "errorText"])
    scope.runtime("errors", name);
  const badFcall = scope.errCode("BadFcall");
  const view = {
    header: generatedHeader(file.path),
    badFcall,
    enums: enums.map((e) => {
      scope.type(e.name);
      scope.value(e.name, "types");
      scope.runtime("wire", "expectMember");
      return { name: e.name, reader: readerRef({ kind: "scalar", name: e.base }, scope) };
    }),
    structs: structs.map((s) => {
      scope.type(s.name);
      scope.runtime("wire", "fieldPath");
      const param = s.fields.length > 0 ? "m" : "_m";
      return { name: s.name, param, ...body(s.fields, param, "p", scope) };
    }),
    messages: messages.map((m) => {
      scope.type(m.name);
      if (m.flags.data) scope.runtime("wire", "NO_DATA");
      const param = m.fields.length > 0 ? "m" : "_m";
      return {
        name: m.name,
        param,
        data: m.flags.data,
        dataParam: m.flags.data ? "data" : "_data",
        ...body(m.fields, param, JSON.stringify(m.name), scope),
      };
    }),
  };
  if (messages.length > 0) {
    scope.localType("MessageTypes");
    scope.localType("MessageBody");
    for (const m of messages) scope.msgType(m.name);
  }
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
