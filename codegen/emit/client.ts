import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { calls, errorFields, protocolName, protocolStem } from "./rpc-shape.js";
import { Scope } from "./scope.js";

/** client.ts: `<Protocol>Client`, one typed method per request. */
export function emitClient(model: Model, file: SchemaFile): OutputFile | null {
  const scope = new Scope(model, file, "client");
  const methods = calls(model, file, scope);
  if (methods.length === 0) return null;
  const errorMessage = scope.errorMessage();
  const fields = errorFields(errorMessage);
  for (const name of ["CallOptions", "RawReply", "Transport"]) scope.runtime("wire", name, true);
  for (const name of ["SigmaError", "describeErrorCode"]) scope.runtime("errors", name);
  scope.msgType(errorMessage.name);
  scope.value(`decode${errorMessage.name}`, "codec", errorMessage.name);
  for (const m of methods) {
    scope.msgType(m.request);
    scope.msgType(m.reply);
    scope.type(m.request);
    scope.type(m.reply);
    scope.value(`encode${m.request}`, "codec", m.request);
    scope.value(`decode${m.reply}`, "codec", m.reply);
  }
  const view = {
    header: generatedHeader(file.path),
    protocol: protocolName(model, file),
    className: `${protocolStem(model, file)}Client`,
    methods: methods.map((m) => ({ ...m, data: m.requestData ? "req.data" : "null" })),
    errorMessage: errorMessage.name,
    errCodeField: fields.code,
    objField: fields.obj,
    textField: fields.text,
    badFcall: scope.errCode("BadFcall"),
  };
  return {
    path: `${file.outDir}/client.ts`,
    content: render("client", { ...view, imports: scope.renderImports() }),
  };
}
